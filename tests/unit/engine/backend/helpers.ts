// Shared helpers for the backend tests: deterministic data and running one
// kernel on a given backend from plain arrays.
import * as tf from '@tensorflow/tfjs';

/** Deterministic uniform values in [-scale, scale) (mulberry32). */
export function randomArray(size: number, seed: number, scale = 0.5): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(size);
  for (let i = 0; i < size; i++) {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    out[i] = ((((t ^ (t >>> 14)) >>> 0) / 4294967296) * 2 - 1) * scale;
  }
  return out;
}

export type Input = { shape: number[]; values: Float32Array | Int32Array; dtype?: 'float32' | 'int32' };

/** Runs kernel `name` on `backend` with fresh input tensors; returns the output's shape and values. */
export async function runOn(
  backend: string,
  name: string,
  inputs: Record<string, Input>,
  attrs: Record<string, unknown>,
): Promise<{ shape: number[]; values: Float32Array }> {
  await tf.setBackend(backend);
  const ts: Record<string, tf.Tensor> = {};
  for (const [k, v] of Object.entries(inputs)) ts[k] = tf.tensor(v.values, v.shape, v.dtype ?? 'float32');
  const out = tf.engine().runKernel(name, ts, attrs as tf.NamedAttrMap) as tf.Tensor;
  const result = { shape: out.shape, values: Float32Array.from(await out.data()) };
  tf.dispose([out, ...Object.values(ts)]);
  return result;
}

export function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) return Infinity;
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

export const TOLERANCE = 2e-4;
