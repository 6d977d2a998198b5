import * as activations from '../../../blocks/activations/engine';
import { add } from '../../../blocks/add/engine';
import { batchNorm } from '../../../blocks/batchnorm/engine';
import { cbam } from '../../../blocks/cbam/engine';
import { concat } from '../../../blocks/concat/engine';
import { conv2d } from '../../../blocks/conv2d/engine';
import { conv2dTranspose } from '../../../blocks/conv2d_transpose/engine';
import { coordAttention } from '../../../blocks/coord_attention/engine';
import { dense } from '../../../blocks/dense/engine';
import { depthwiseConv2d } from '../../../blocks/depthwise_conv2d/engine';
import { encoder } from '../../../blocks/encoder/engine';
import { flatten } from '../../../blocks/flatten/engine';
import { globalAvgPool, globalMaxPool } from '../../../blocks/global_pool/engine';
import { groupNorm } from '../../../blocks/groupnorm/engine';
import { classify, segment } from '../../../blocks/heads/engine';
import { input } from '../../../blocks/input/engine';
import { layerNorm } from '../../../blocks/layernorm/engine';
import { metaformer } from '../../../blocks/metaformer/engine';
import { mhsa } from '../../../blocks/mhsa/engine';
import { multiply } from '../../../blocks/multiply/engine';
import { patchEmbed } from '../../../blocks/patch_embed/engine';
import { avgPool, maxPool } from '../../../blocks/pooling/engine';
import { dropout, dropPath } from '../../../blocks/regularization/engine';
import { reshape } from '../../../blocks/reshape/engine';
import { squeezeExcite } from '../../../blocks/se/engine';
import { separableConv2d } from '../../../blocks/separable_conv2d/engine';
import { classToken, clsPool, posEmbed } from '../../../blocks/tokens/engine';
import type { EngineBlock } from './types';
import { upsample } from '../../../blocks/upsample/engine';
import { yoloHead } from '../../../blocks/yolo_head/engine';
import { zeroPad } from '../../../blocks/zeropad/engine';

export type { BuildCtx, EngineBlock, NodeRef } from './types';

const TWINS: readonly EngineBlock[] = [
  input,
  conv2d,
  depthwiseConv2d,
  separableConv2d,
  conv2dTranspose,
  dense,
  flatten,
  reshape,
  zeroPad,
  upsample,
  maxPool,
  avgPool,
  globalAvgPool,
  globalMaxPool,
  batchNorm,
  layerNorm,
  groupNorm,
  activations.relu,
  activations.relu6,
  activations.leakyRelu,
  activations.prelu,
  activations.elu,
  activations.gelu,
  activations.silu,
  activations.hardswish,
  activations.hardsigmoid,
  activations.mish,
  activations.sigmoid,
  activations.tanh,
  activations.softmax,
  dropout,
  dropPath,
  add,
  concat,
  multiply,
  squeezeExcite,
  cbam,
  coordAttention,
  mhsa,
  patchEmbed,
  classToken,
  posEmbed,
  encoder,
  metaformer,
  clsPool,
  classify,
  segment,
  yoloHead,
];

/** The engine twin of every block type, keyed by the BlockDef's `type`. Importing it registers the custom layers. */
export const ENGINE_BLOCKS: Readonly<Record<string, EngineBlock>> = Object.fromEntries(TWINS.map((t) => [t.type, t]));
