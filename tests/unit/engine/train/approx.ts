import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';

export function assertClose(actual: number, expected: number, tol = 1e-6, what = ''): void {
  assert.ok(Number.isFinite(actual), `${what} is ${actual}`);
  assert.ok(Math.abs(actual - expected) <= tol * Math.max(1, Math.abs(expected)), `${what}: ${actual} ≠ ${expected} (±${tol})`);
}

export function assertAllClose(actual: ArrayLike<number>, expected: readonly number[], tol = 1e-6, what = ''): void {
  assert.equal(actual.length, expected.length, `${what}: length`);
  for (let i = 0; i < expected.length; i++) assertClose(actual[i], expected[i], tol, `${what}[${i}]`);
}

/** Reads a scalar tensor and disposes it. */
export function value(t: tf.Tensor): number {
  const v = t.dataSync()[0];
  t.dispose();
  return v;
}

export async function useCpu(): Promise<void> {
  await tf.setBackend('cpu');
  await tf.ready();
}
