// The engine's BatchNorm block trains on the fused op (wasm) and must match tfjs' own BatchNormalization
// (cpu): outputs, moving statistics after a few steps, and the gradients of x, gamma and beta.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { batchNormalization } from '../../../../src/blocks/batchnorm/engine';
import { maxAbsDiff, randomArray } from './helpers';

before(async () => {
  await initWasmBackend();
});

async function trainSteps(backend: string, make: () => tf.layers.Layer, shape: number[]) {
  await tf.setBackend(backend);
  const layer = make();
  layer.build(shape);
  const c = shape[shape.length - 1];
  layer.setWeights([tf.tensor1d(randomArray(c, 3, 1).map((v) => 1 + v)), tf.tensor1d(randomArray(c, 4)), tf.zeros([c]), tf.ones([c])]);
  const size = shape.reduce((a, b) => a * b, 1);
  const outs: Float32Array[] = [];
  const grads: Float32Array[] = [];
  for (let step = 0; step < 3; step++) {
    const x = tf.tensor(randomArray(size, 10 + step, 2).map((v, i) => v + (i % c) * 0.3), shape);
    const dy = tf.tensor(randomArray(size, 20 + step), shape);
    const [gamma, beta] = layer.trainableWeights.map((w) => w.read() as tf.Variable);
    const { value, grads: g } = tf.variableGrads(() => tf.sum(tf.mul(layer.apply(x, { training: true }) as tf.Tensor, dy)) as tf.Scalar, [gamma, beta]);
    // dx through the training-mode op (this applies the layer once more: both sides update their statistics twice).
    const dx = tf.grad((xs: tf.Tensor) => tf.sum(tf.mul(layer.apply(xs, { training: true }) as tf.Tensor, dy)))(x);
    outs.push(Float32Array.from(await (layer.apply(x, { training: false }) as tf.Tensor).data()));
    grads.push(Float32Array.from([...(await g[gamma.name].data()), ...(await g[beta.name].data()), value.dataSync()[0], ...(await dx.data())]));
    tf.dispose([x, dy, dx, value, ...Object.values(g)]);
  }
  const stats = layer.getWeights().slice(2).map((w) => Float32Array.from(w.dataSync()));
  return { outs, grads, stats };
}

describe("the BatchNorm block's training step", () => {
  for (const shape of [[4, 5, 5, 8], [3, 7, 6], [16, 12]]) {
    it(`matches tfjs BatchNormalization on ${JSON.stringify(shape)}`, async () => {
      const args = { momentum: 0.9, epsilon: 1e-3, name: `bn${shape.length}` };
      const want = await trainSteps('cpu', () => tf.layers.batchNormalization({ axis: -1, ...args }), shape);
      const got = await trainSteps('wasm', () => batchNormalization(args), shape);
      got.stats.forEach((s, i) => assert.ok(maxAbsDiff(s, want.stats[i]) < 1e-4, `moving stat ${i}: ${maxAbsDiff(s, want.stats[i])}`));
      got.outs.forEach((o, i) => assert.ok(maxAbsDiff(o, want.outs[i]) < 1e-4, `inference output after step ${i}: ${maxAbsDiff(o, want.outs[i])}`));
      got.grads.forEach((g, i) => assert.ok(maxAbsDiff(g, want.grads[i]) < 2e-3, `loss and x/gamma/beta gradients at step ${i}: ${maxAbsDiff(g, want.grads[i])}`));
    });
  }

  it('uses the fused kernels on wasm', async () => {
    await tf.setBackend('wasm');
    const layer = batchNormalization({ momentum: 0.9, epsilon: 1e-3, name: 'bnk' });
    const x = tf.tensor(randomArray(2 * 3 * 3 * 4, 1), [2, 3, 3, 4]);
    const profile = await tf.profile(() => tf.tidy(() => layer.apply(x, { training: true }) as tf.Tensor));
    assert.ok(profile.kernels.some((k) => k.name === 'NetsmithBatchNormMoments'), profile.kernels.map((k) => k.name).join(' '));
    x.dispose();
  });
});
