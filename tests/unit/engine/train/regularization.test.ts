import { before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as tf from '@tensorflow/tfjs';
import {
  isBiasOrNormParam,
  l1Penalty,
  l2Penalty,
  regularizationLoss,
  regularizedWeights,
} from '../../../../src/main/engine/train/regularization';
import { clipByGlobalNorm, clipByValue, clipGradients, globalNorm } from '../../../../src/main/engine/train/clipping';
import { assertAllClose, assertClose, useCpu, value } from './approx';

before(useCpu);

describe('L1 / L2 penalties', () => {
  it('L2 = (λ/2)·Σw² with gradient λw; L1 = λ·Σ|w| with gradient λ·sign(w)', () => {
    const w = tf.tensor2d([[1, -2, 3]]);
    assertClose(value(l2Penalty([w], 0.1)), 0.05 * 14); // .05·(1 + 4 + 9) = .7
    assertClose(value(l1Penalty([w], 0.1)), 0.6);
    assertAllClose(tf.grad((x: tf.Tensor) => l2Penalty([x], 0.1))(w).dataSync(), [0.1, -0.2, 0.3]);
    assertAllClose(tf.grad((x: tf.Tensor) => l1Penalty([x], 0.1))(w).dataSync(), [0.1, -0.1, 0.1]);
  });

  it('skips biases and norm parameters unless asked', () => {
    const kernel = tf.variable(tf.tensor2d([[1, 2]]), true, 'conv2d_Conv2D1/kernel');
    const bias = tf.variable(tf.tensor1d([10]), true, 'conv2d_Conv2D1/bias');
    const gamma = tf.variable(tf.tensor1d([10]), true, 'batch_normalization_BatchNormalization1/gamma');
    assert.deepEqual(regularizedWeights([kernel, bias, gamma]).map((v) => v.name), [kernel.name]);
    assertClose(value(regularizationLoss([kernel, bias, gamma], { l2: 1 })), 2.5); // ½·(1 + 4)
    assertClose(value(regularizationLoss([kernel, bias, gamma], { l2: 1, l1: 1, excludeBiasAndNorm: false })), 2.5 + 100 + 3 + 20);
  });

  it('recognises parameters by rank or name', () => {
    assert.ok(isBiasOrNormParam({ name: 'dense/kernel', shape: [4] }));
    assert.ok(isBiasOrNormParam({ name: 'layer_norm/beta', shape: [1, 4] }));
    assert.ok(!isBiasOrNormParam({ name: 'embedding/embeddings', shape: [10, 4] }));
  });
});

describe('gradient clipping', () => {
  const grads = () =>
    new Map([
      ['a', tf.tensor1d([3, 4])],
      ['b', tf.tensor1d([0])],
    ]);

  it('by global norm scales all gradients by maxNorm/‖g‖ when above it', () => {
    const { grads: out, globalNorm: n } = clipByGlobalNorm(grads(), 1);
    assertClose(value(n), 5);
    assertAllClose(out.get('a')!.dataSync(), [0.6, 0.8], 1e-6);
    const { grads: same } = clipByGlobalNorm(grads(), 10);
    assertAllClose(same.get('a')!.dataSync(), [3, 4], 1e-6);
  });

  it('by value clamps every element', () => {
    const { grads: out } = clipByValue(grads(), 3.5);
    assertAllClose(out.get('a')!.dataSync(), [3, 3.5]);
  });

  it('from a config, also for name-keyed maps', () => {
    const { grads: out, globalNorm: n } = clipGradients({ w: tf.tensor1d([6, 8]) }, { mode: 'norm', value: 5 });
    assertAllClose(out.get('w')!.dataSync(), [3, 4], 1e-6);
    assertClose(value(n), 10);
    assertClose(value(globalNorm([tf.tensor1d([1, 2]), tf.tensor2d([[2]])])), 3);
  });

  it('keeps its outputs alive and frees its intermediates', () => {
    const input = grads();
    const before = tf.memory().numTensors;
    const { grads: out, globalNorm: n } = clipByGlobalNorm(input, 1);
    assert.equal(tf.memory().numTensors, before + 3);
    out.forEach((t) => t.dispose());
    n.dispose();
  });
});
