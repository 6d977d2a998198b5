// The worker pool's batch gradients equal a single-process step on the whole
// batch, and the workers pick up new weights.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import { GradientWorkerPool } from '../../../../src/main/engine/backend/dataParallel/pool';
import { DataParallelTrainer, gradientNorms } from './fixtures/dataParallelTrainer';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { tinyModel } from './fixtures/tinyReplica';
import { maxAbsDiff, randomArray } from './helpers';

const POOL_WORKER = new URL('./fixtures/poolWorker.ts', import.meta.url);
const replica = { module: fileURLToPath(new URL('./fixtures/tinyReplica.ts', import.meta.url)), args: { seed: 7 } };
const batch = 6;
const x = { data: randomArray(batch * 8 * 8 * 2, 1, 1), shape: [batch, 8, 8, 2] };
const y = { data: randomArray(batch * 3, 2, 1), shape: [batch, 3] };

function localStep(variables: tf.Variable[], loss: (x: tf.Tensor, y: tf.Tensor) => tf.Scalar) {
  return tf.tidy(() => {
    const { value, grads } = tf.variableGrads(() => loss(tf.tensor(x.data, x.shape), tf.tensor(y.data, y.shape)), variables);
    return { loss: value.dataSync()[0], grads: variables.map((v) => Float32Array.from(grads[v.name].dataSync())) };
  });
}

let pool: GradientWorkerPool;

before(async () => {
  await initWasmBackend();
  pool = await GradientWorkerPool.create({ workers: 2, replica, workerUrl: POOL_WORKER });
});

after(async () => {
  await pool?.close();
});

describe('GradientWorkerPool', () => {
  it('returns the whole-batch mean loss and gradients', async () => {
    const local = tinyModel(7);
    pool.setWeights(local.variables.map((v) => v.dataSync() as Float32Array));
    const want = localStep(local.variables, local.loss);
    const got = await pool.computeGradients(x, y);
    assert.equal(got.workerCpuMs.length, 2);
    assert.ok(Math.abs(got.loss - want.loss) <= 1e-5, `loss ${got.loss} vs ${want.loss}`);
    got.grads.forEach((g, i) => assert.ok(maxAbsDiff(g, want.grads[i]) <= 1e-5, `grad ${i}: ${maxAbsDiff(g, want.grads[i])}`));
    tf.dispose(local.variables);
  });

  it('uses the weights set last', async () => {
    const other = tinyModel(99);
    pool.setWeights(other.variables.map((v) => v.dataSync() as Float32Array));
    const want = localStep(other.variables, other.loss);
    const got = await pool.computeGradients(x, y);
    assert.ok(Math.abs(got.loss - want.loss) <= 1e-5);
    assert.deepEqual(pool.getWeights().map((w) => w.length), other.variables.map((v) => v.size));
    tf.dispose(other.variables);
  });
});

describe('DataParallelTrainer', () => {
  it('trains: the loss of a fixed batch goes down', async () => {
    const local = tinyModel(7);
    const trainer = await DataParallelTrainer.create({ workers: 2, replica, workerUrl: POOL_WORKER, variables: local.variables, optimizer: tf.train.adam(0.01) });
    try {
      const xs = tf.tensor(x.data, x.shape);
      const ys = tf.tensor(y.data, y.shape);
      const first = await trainer.step(xs, ys);
      assert.equal(gradientNorms(first.grads).length, 3);
      let last = first.loss;
      for (let i = 0; i < 20; i++) last = (await trainer.step(xs, ys)).loss;
      assert.ok(last < first.loss * 0.8, `loss ${first.loss} -> ${last}`);
      tf.dispose([xs, ys]);
    } finally {
      await trainer.close();
      tf.dispose(local.variables);
    }
  });
});
