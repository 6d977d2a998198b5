import { ACTIVATIONS } from './activations';
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
import { separableConv2d } from './separable_conv2d';
import { squeezeExcite } from './se';
import { classToken, clsPool, posEmbed } from './tokens';
import type { AnyBlockDef } from './types';
import { upsample } from './upsample';
import { yoloHead } from './yolo_head';
import { zeroPad } from './zeropad';

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
