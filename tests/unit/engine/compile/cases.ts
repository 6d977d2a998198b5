import { blockByType } from '../../../../src/shared/blocks';
import { analyze } from '../../../../src/shared/graph/analyze';
import { GraphBuilder, type Ref } from '../../../../src/shared/graph/builder';
import type { GraphDoc, Task } from '../../../../src/shared/graph/types';

/** Minimal graphs for the block contract: Input → [adapter] → block → a head fitting the block's output. */

export type Build = (b: GraphBuilder, x: Ref) => Ref;

export interface Case {
  params?: Record<string, unknown>;
  /** Per-sample input `[H, W, C]` (default 8×8×4). */
  input?: number[];
  /** Adapter between the input and the block (e.g. Patch Embed before attention). */
  before?: Build;
  /** Builds the block itself when it needs more than one input. */
  build?: Build;
  task?: Task;
  name?: string;
}

const tokens: Build = (b, x) => b.add('tfm/patch_embed', { patch: 2, dim: 8 }, x);
const pair = (type: string, params: Record<string, unknown> = {}): Build => (b, x) => b.add(type, params, [x, b.add('core/conv2d', { filters: 4, kernel: 1 }, x)]);

/** Extra cases per block type: default params always run first, unless the defaults cannot fit a small input. */
export const CASES: Record<string, Case[]> = {
  'core/conv2d': [
    {},
    { params: { padding: 'explicit', pad: 1, stride: 2 } },
    { params: { padding: 'valid', kernel: 3, bias: false } },
    { params: { groups: 2, filters: 6 }, name: 'grouped' },
    { params: { groups: 4, filters: 8 }, name: 'groups = C (depthwise)' },
    { params: { dilation: 2 }, name: 'dilated same' },
    { params: { dilation: 2, padding: 'explicit', pad: 2, groups: 2, filters: 4 }, name: 'dilated grouped explicit' },
    { params: { dilation: 3, padding: 'valid', kernel: 2 }, input: [9, 7, 4], name: 'dilated valid, odd sizes' },
  ],
  'core/depthwise_conv2d': [
    {},
    { params: { multiplier: 2, stride: 2, padding: 'explicit', pad: 1 } },
    { params: { dilation: 2, multiplier: 2 }, name: 'dilated' },
  ],
  'core/separable_conv2d': [{}, { params: { multiplier: 2, padding: 'explicit', pad: 1, stride: 2 } }, { params: { dilation: 2, bias: false }, name: 'dilated' }],
  'core/conv2d_transpose': [
    {},
    { params: { padding: 'same', kernel: 3 } },
    { params: { padding: 'valid', kernel: 3, stride: 2 } },
    { params: { padding: 'valid', kernel: 1, stride: 2 }, name: 'K < S' },
    { params: { padding: 'explicit', pad: 1, kernel: 3, stride: 2, outputPadding: 1 }, name: 'explicit + outputPadding' },
  ],
  'core/dense': [{}, { before: tokens, name: 'on tokens' }],
  'reshape/reshape': [{}, { params: { shape: [16, -1] } }],
  'reshape/upsample': [{}, { params: { mode: 'bilinear' } }, { params: { mode: 'bilinear', scale: 3 }, input: [3, 5, 2] }],
  'pool/maxpool': [{}, { params: { size: 3, stride: 2, padding: 'explicit', pad: 1 } }, { params: { size: 3, padding: 'same' } }],
  'pool/avgpool': [{}, { params: { size: 3, stride: 2, padding: 'explicit', pad: 1 } }, { params: { size: 3, stride: 2, padding: 'valid' } }],
  'pool/global_avgpool': [{}, { params: { keepDims: true } }],
  'pool/global_maxpool': [{}, { params: { keepDims: true } }],
  'norm/batchnorm': [{}, { params: { affine: false } }, { before: tokens, name: 'on tokens' }],
  'norm/layernorm': [{}, { before: tokens, name: 'on tokens' }],
  'norm/groupnorm': [{ params: { groups: 2 } }, { params: { groups: 4 }, before: tokens, name: 'on tokens' }],
  'act/prelu': [{}, { before: tokens, name: 'on tokens' }],
  'act/elu': [{}, { params: { alpha: 0.5 } }],
  'act/gelu': [{}, { params: { approximate: 'tanh' } }],
  'act/softmax': [{}, { params: { axis: 2 } }],
  'merge/add': [{ build: pair('merge/add') }],
  'merge/concat': [{ build: pair('merge/concat') }, { build: pair('merge/concat', { axis: 1 }) }],
  'merge/multiply': [
    { build: pair('merge/multiply') },
    { build: (b, x) => b.add('merge/multiply', {}, [x, b.add('pool/global_avgpool', { keepDims: true }, x)]), name: 'broadcast 1×1×C' },
  ],
  'attn/se': [{}, { params: { activation: 'silu', gate: 'hardsigmoid', bias: false, squeeze: 3 } }],
  'attn/cbam': [{ params: { reduction: 2 } }, { params: { reduction: 2, bias: true, spatialKernel: 3 } }],
  'attn/coord_attention': [{}, { params: { activation: 'relu', bias: false, minMid: 2 }, input: [6, 5, 8] }],
  'attn/mhsa': [{ before: tokens }, { before: tokens, params: { qkvBias: false, dropout: 0.1, heads: 2 } }],
  'tfm/patch_embed': [{ params: { patch: 2, dim: 8 } }, { params: { patch: 4, dim: 6 } }],
  'tfm/class_token': [{ before: tokens }],
  'tfm/pos_embed': [{ before: tokens }, { before: tokens, params: { mode: 'sinusoidal' } }],
  'tfm/encoder': [{ before: tokens }, { before: tokens, params: { heads: 2, mlpDim: 12, dropout: 0.1, attnDropout: 0.1 } }],
  'tfm/cls_pool': [{ before: tokens }, { before: tokens, params: { mode: 'mean' } }],
  'tfm/metaformer': [{}, { params: { mixer: 'affine', mlpRatio: 2 } }, { params: { poolSize: 5 }, input: [6, 5, 4], name: 'pool 5, odd sizes' }],
  'head/classify': [{ before: (b, x) => b.add('reshape/flatten', {}, x) }],
  'head/segment': [{ task: 'segmentation' }],
  'det/yolo_head': [
    { params: { classes: 3, anchors: 2, stride: 1 }, task: 'detection' },
    { params: { classes: 2, anchors: 0, stride: 2 }, before: (b, x) => b.add('pool/maxpool', {}, x), task: 'detection', name: 'anchor-free' },
  ],
};

/** Input → [adapter] → block → a head fitting the block's output rank. */
export function caseGraph(type: string, c: Case): { graph: GraphDoc; node: string } {
  const make = (withHead: boolean) => {
    const b = new GraphBuilder({ name: 'contract', input: c.input ?? [8, 8, 4], task: c.task });
    let x = b.input();
    if (c.before) x = c.before(b, x);
    const y = type === 'io/input' ? x : c.build ? c.build(b, x) : b.add(type, c.params ?? {}, x);
    if (withHead) head(b, y);
    return { b, y };
  };
  let rank = 0;
  const head = (b: GraphBuilder, y: Ref) => {
    const family = blockByType(type)?.family;
    if (family === 'head' || family === 'detection') return;
    if (rank === 4) b.add('head/segment', { classes: 3 }, y);
    else if (rank === 3) b.add('head/classify', { classes: 3 }, b.add('tfm/cls_pool', { mode: 'mean' }, y));
    else b.add('head/classify', { classes: 3 }, y);
  };
  const partial = make(false);
  const a = analyze(partial.b.build());
  rank = a.nodes[partial.y.node]?.output?.length ?? 0;
  const full = make(true);
  return { graph: full.b.build(), node: full.y.node };
}

export function caseName(c: Case, i: number): string {
  return c.name ?? (i === 0 ? 'defaults' : JSON.stringify(c.params ?? {}));
}
