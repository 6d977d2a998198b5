// The fused training BatchNorm (wasm kernels + custom gradient) equals
// tf.moments + tf.batchNorm with autodiff on the cpu backend.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../../../../src/main/engine/backend/batchNormTraining';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { maxAbsDiff, randomArray } from './helpers';

async function run(backend: string, shape: number[], seed: number) {
  await tf.setBackend(backend);
  const c = shape[shape.length - 1];
  const size = shape.reduce((a, b) => a * b, 1);
  const x = tf.tensor(randomArray(size, seed, 2), shape);
  const gamma = tf.tensor1d(randomArray(c, seed + 1).map((v) => v + 1));
  const beta = tf.tensor1d(randomArray(c, seed + 2));
  const w = tf.tensor(randomArray(size, seed + 3), shape);
  const loss = (xs: tf.Tensor, g: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(batchNormTraining(xs, g as tf.Tensor1D, b as tf.Tensor1D, 1e-3).y, w));
  const grads = tf.grads(loss)([x, gamma, beta]);
  const { y, mean, variance } = batchNormTraining(x, gamma, beta, 1e-3);
  const out = [y, mean, variance, ...grads].map((t) => Float32Array.from(t.dataSync()));
  tf.dispose([x, gamma, beta, w, y, mean, variance, ...grads]);
  return out;
}

before(async () => {
  await initWasmBackend();
});

describe('batchNormTraining', () => {
  for (const [i, shape] of [[8, 5, 5, 12], [16, 6], [4, 3, 7, 5], [2, 9, 9, 32]].entries()) {
    it(`x=[${shape}]: y, statistics and gradients on wasm equal cpu`, async () => {
      const names = ['y', 'mean', 'variance', 'dx', 'dgamma', 'dbeta'];
      const want = await run('cpu', shape, 10 * i);
      const got = await run('wasm', shape, 10 * i);
      names.forEach((name, k) => {
        const scale = Math.max(1, ...Array.from(want[k], Math.abs));
        assert.ok(maxAbsDiff(got[k], want[k]) <= 2e-4 * scale, `${name}: max diff ${maxAbsDiff(got[k], want[k])}`);
      });
    });
  }
});
