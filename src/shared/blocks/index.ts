import { ACTIVATIONS } from '../../blocks/activations/definition';
import { add } from '../../blocks/add/definition';
import { batchNorm } from '../../blocks/batchnorm/definition';
import { cbam } from '../../blocks/cbam/definition';
import { concat } from '../../blocks/concat/definition';
import { conv2d } from '../../blocks/conv2d/definition';
import { conv2dTranspose } from '../../blocks/conv2d_transpose/definition';
import { coordAttention } from '../../blocks/coord_attention/definition';
import { dense } from '../../blocks/dense/definition';
import { depthwiseConv2d } from '../../blocks/depthwise_conv2d/definition';
import { encoder } from '../../blocks/encoder/definition';
import { flatten } from '../../blocks/flatten/definition';
import { globalAvgPool, globalMaxPool } from '../../blocks/global_pool/definition';
import { groupNorm } from '../../blocks/groupnorm/definition';
import { classify, segment } from '../../blocks/heads/definition';
import { input } from '../../blocks/input/definition';
import { layerNorm } from '../../blocks/layernorm/definition';
import { metaformer } from '../../blocks/metaformer/definition';
import { mhsa } from '../../blocks/mhsa/definition';
import { multiply } from '../../blocks/multiply/definition';
import { patchEmbed } from '../../blocks/patch_embed/definition';
import { avgPool, maxPool } from '../../blocks/pooling/definition';
import { dropout, dropPath } from '../../blocks/regularization/definition';
import { reshape } from '../../blocks/reshape/definition';
import { separableConv2d } from '../../blocks/separable_conv2d/definition';
import { squeezeExcite } from '../../blocks/se/definition';
import { classToken, clsPool, posEmbed } from '../../blocks/tokens/definition';
import type { AnyBlockDef } from './types';
import { upsample } from '../../blocks/upsample/definition';
import { yoloHead } from '../../blocks/yolo_head/definition';
import { zeroPad } from '../../blocks/zeropad/definition';

export * from './types';
export * from './params';

/** The block catalog, in palette order. The palette, inspector, validator, compiler and exporters iterate it. */
export const BLOCKS: readonly AnyBlockDef[] = [
  input,
  // conv / dense
  conv2d,
  depthwiseConv2d,
  separableConv2d,
  conv2dTranspose,
  dense,
  // pooling
  maxPool,
  avgPool,
  globalAvgPool,
  globalMaxPool,
  // normalisation
  batchNorm,
  layerNorm,
  groupNorm,
  // activations
  ...ACTIVATIONS,
  // regularisation
  dropout,
  dropPath,
  // merge
  add,
  concat,
  multiply,
  // reshape
  flatten,
  reshape,
  zeroPad,
  upsample,
  // attention
  squeezeExcite,
  cbam,
  coordAttention,
  mhsa,
  // transformer
  patchEmbed,
  classToken,
  posEmbed,
  encoder,
  metaformer,
  clsPool,
  // heads
  classify,
  segment,
  yoloHead,
] as unknown as AnyBlockDef[];

const byType = new Map(BLOCKS.map((b) => [b.type, b]));
export const blockByType = (type: string): AnyBlockDef | undefined => byType.get(type);
