import * as tf from '@tensorflow/tfjs';
import { compile, type Compiled } from '../../../../src/main/engine/compile/compile';
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
      if (!['moving_mean', 'moving_variance', 'gamma', 'beta', 'alpha'].includes(short)) continue;
      const n = v.shape.reduce((a, b) => a! * b!, 1) as number;
      const r = fixedData(n, k++);
      const data = short === 'moving_variance' ? r.map((x) => 0.5 + Math.abs(x)) : short === 'gamma' ? r.map((x) => 1 + 0.5 * x) : r.map((x) => 0.3 * x);
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
