import * as activations from './activations';
import { add } from './add';
import { batchNorm } from './batchnorm';
import { cbam } from './cbam';
import { concat } from './concat';
import { conv2d } from './conv2d';
import { conv2dTranspose } from './conv2d_transpose';
import { coordAttention } from './coord_attention';
import { dense } from './dense';
import { depthwiseConv2d } from './depthwise_conv2d';
import { encoder } from './encoder';
import { flatten } from './flatten';
import { globalAvgPool, globalMaxPool } from './global_pool';
import { groupNorm } from './groupnorm';
import { classify, segment } from './heads';
import { input } from './input';
import { layerNorm } from './layernorm';
import { metaformer } from './metaformer';
import { mhsa } from './mhsa';
import { multiply } from './multiply';
import { patchEmbed } from './patch_embed';
import { avgPool, maxPool } from './pooling';
import { dropout, dropPath } from './regularization';
import { reshape } from './reshape';
import { squeezeExcite } from './se';
import { separableConv2d } from './separable_conv2d';
import { classToken, clsPool, posEmbed } from './tokens';
import type { EngineBlock } from './types';
import { upsample } from './upsample';
import { yoloHead } from './yolo_head';
import { zeroPad } from './zeropad';

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
