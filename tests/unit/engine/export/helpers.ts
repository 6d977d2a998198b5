import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { ENGINE_BLOCKS } from '../../../../src/main/engine/blocks';
import { exporterOf } from '../../../../src/main/engine/blocks/types';
import { exportFiles } from '../../../../src/main/engine/export';
import { analyze } from '../../../../src/shared/graph/analyze';
import { compile, type Compiled } from '../../../../src/main/engine/compile/compile';
import { GraphBuilder, type Ref } from '../../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { templateById } from '../../../../src/shared/templates';

/** Deterministic uniform(−1, 1) data. */
export function fixedData(n: number, seed: number): Float32Array {
  const data = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32) * 2 - 1;
  }
  return data;
}

export function templateGraph(id: string): GraphDoc {
  const t = templateById(id);
  if (!t) throw new Error(`no template ${id}`);
  return t.build();
}

/**
 * Compiles a graph with a seed and gives BatchNorm non-trivial statistics and affine weights (a fresh model
 * has mean 0, variance 1, γ 1, β 0, which would hide a wrong folding or channel order).
 */
export function compiledWithStats(graph: GraphDoc, seed = 1): Compiled {
  const c = compile(graph, { seed });
  let k = 11;
  for (const layer of c.model.layers) {
    for (const v of layer.weights) {
      const short = (v.originalName ?? v.name).split('/').pop()!;
      // Also the BatchNorm inside a custom layer (coordinate attention's `bn_moving_mean`, …).
      const kind = ['moving_mean', 'moving_variance', 'gamma', 'beta', 'alpha'].find((s) => short === s || short.endsWith(`_${s}`));
      if (!kind) continue;
      const n = v.shape.reduce((a, b) => a! * b!, 1) as number;
      const r = fixedData(n, k++);
      const data = kind === 'moving_variance' ? r.map((x) => 0.5 + Math.abs(x)) : kind === 'gamma' ? r.map((x) => 1 + 0.5 * x) : r.map((x) => 0.3 * x);
      v.write(tf.tensor(data, v.shape as number[]));
    }
  }
  return c;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

/** A BatchNorm after every layer kind Conv-BN fusion folds into: separable, depthwise ×2 (dilated too), grouped conv, dense; one without affine. */
export function foldKindsGraph(): GraphDoc {
  const b = new GraphBuilder({ name: 'fold-kinds', input: [8, 8, 4], task: 'classification' });
  const bn = (x: Ref, affine = true): Ref => b.add('norm/batchnorm', { momentum: 0.1, epsilon: 1e-3, affine }, x);
  let x = bn(b.add('core/separable_conv2d', { filters: 6, multiplier: 2 }, b.input()));
  x = bn(b.add('core/depthwise_conv2d', { multiplier: 2, bias: false }, x), false);
  x = bn(b.add('core/depthwise_conv2d', { dilation: 2 }, x));
  x = bn(b.add('core/conv2d', { filters: 8, kernel: 3, stride: 1, padding: 'explicit', pad: 1, dilation: 1, groups: 4, bias: true }, x));
  x = bn(b.add('core/dense', { units: 5 }, b.add('reshape/flatten', {}, x)));
  b.add('head/classify', { classes: 3 }, x);
  return b.build();
}

/**
 * The block types of a graph whose twin declares it has no `kind` exporter ({ unsupported: 'because …' }), with
 * the reasons. A twin with neither an exporter nor a declaration throws here, so the export contract fails
 * instead of skipping the block.
 */
export function declaredUnsupported(graph: GraphDoc, kind: 'onnx' | 'pytorch'): { type: string; reason: string }[] {
  const types = [...new Set(analyze(graph).expanded.nodes.map((n) => n.type))];
  return types.flatMap((type) => {
    const e = exporterOf(ENGINE_BLOCKS[type], kind);
    return typeof e === 'function' ? [] : [{ type, reason: e.unsupported }];
  });
}

/** Asserts that exporting `graph` as `format` is refused with the declared reason of each unsupported block. */
export async function assertRefused(format: 'onnx' | 'pytorch', graph: GraphDoc, unsupported: { type: string; reason: string }[]): Promise<void> {
  const { model } = compile(graph, { seed: 1 });
  try {
    await assert.rejects(
      async () => exportFiles(format, graph, model),
      (err: Error) => unsupported.some((u) => err.message.includes(u.type) && err.message.includes(u.reason)),
    );
  } finally {
    model.dispose();
  }
}
