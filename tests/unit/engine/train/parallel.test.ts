// Data-parallel runs: the thread plan, and a step split over two threads equals the one-thread step on the
// same batch (the loss is a mean over samples, so the weighted halves add up to the batch gradient).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { adaptToDataset } from '../../../../src/shared/graph/adapt';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { templateById } from '../../../../src/shared/templates';
import { trainConfigSchema, type TrainConfig } from '../../../../src/shared/training/config';
import { selectBackend } from '../../../../src/main/engine/backend/select';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { ownRows, ParallelGradients, planParallel } from '../../../../src/main/engine/train/parallel';
import { train, type StepInfo } from '../../../../src/main/engine/train/trainer';

describe('planParallel', () => {
  const cfg = (workers: TrainConfig['workers'], batchSize = 64) => ({ workers, batchSize });
  it('auto splits classification batches on wasm over the cores', () => {
    assert.equal(planParallel(cfg('auto'), { backend: 'wasm', task: 'classification', cores: 2 }).threads, 2);
    assert.equal(planParallel(cfg('auto'), { backend: 'wasm', task: 'classification', cores: 8 }).threads, 4);
    assert.equal(planParallel(cfg('auto', 48), { backend: 'wasm', task: 'classification', cores: 8 }).threads, 3);
  });
  it('falls back to one thread with a reason', () => {
    const cases: [ReturnType<typeof planParallel>, RegExp][] = [
      [planParallel(cfg(1), { backend: 'wasm', task: 'classification', cores: 2 }), /workers is 1/],
      [planParallel(cfg('auto'), { backend: 'cpu', task: 'classification', cores: 2 }), /wasm backend; this run uses cpu/],
      [planParallel(cfg(2), { backend: 'wasm', task: 'detection', cores: 2 }), /not means over samples/],
      [planParallel(cfg('auto'), { backend: 'wasm', task: 'classification', cores: 1 }), /one core/],
      [planParallel(cfg('auto', 16), { backend: 'wasm', task: 'classification', cores: 2 }), /too small/],
    ];
    for (const [plan, reason] of cases) {
      assert.equal(plan.threads, 1);
      assert.match(plan.reason, reason);
    }
  });
  it('an explicit count is used as asked (capped by the batch)', () => {
    assert.equal(planParallel(cfg(3), { backend: 'wasm', task: 'classification', cores: 2 }).threads, 3);
    assert.match(planParallel(cfg(3), { backend: 'wasm', task: 'classification', cores: 2 }).reason, /more threads than the 2 cores/);
    assert.equal(planParallel(cfg(8, 4), { backend: 'wasm', task: 'classification', cores: 2 }).threads, 4);
    assert.equal(ownRows(64, 2), 32);
    assert.equal(ownRows(9, 2), 5);
  });
});

describe('a data-parallel step', () => {
  let dataset: Dataset;
  before(async () => {
    await selectBackend({ prefer: 'wasm' });
    dataset = (await loadDataset('mnist', { seed: 1 })).dataset;
  });

  /** Trains `steps` steps of `batch` samples on one thread or `threads`; returns the weights, step infos and probes. */
  async function run(graph: GraphDoc, threads: number, configIn: Record<string, unknown>) {
    const config = trainConfigSchema.parse({ epochs: 1, batchSize: 40, trainLimit: 80, valLimit: 40, probeEvery: 1, workers: threads, ...configIn });
    const compileOptions = { seed: 3 };
    const { model } = compile(graph, compileOptions);
    const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
    const parallel = threads > 1 ? await ParallelGradients.create({ threads, replica: { graph, compile: compileOptions, config, dataset: dataset.info }, variables }) : undefined;
    const steps: StepInfo[] = [];
    const gradNorms: number[][] = [];
    try {
      await train({
        model, dataset, config, parallel,
        probeTargets: model.layers.filter((l) => l.trainableWeights.length > 0).map((l) => ({ node: l.name, layer: l.name, kind: 'weights' as const })),
        hooks: { step: (s) => steps.push(s), probe: (layers) => gradNorms.push(layers.map((l) => l.gradNorm!)) },
      });
    } finally {
      await parallel?.close();
    }
    const weights = variables.map((v) => Float32Array.from(v.dataSync()));
    model.dispose();
    return { weights, steps, gradNorms };
  }

  const lenet = (): GraphDoc => adaptToDataset(templateById('lenet_mnist')!.build(), { name: 'mnist', shape: [28, 28, 1], classes: 10 }).graph;
  const maxDiff = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i])), 0);

  it('equals the one-thread step: loss, accuracy, gradient norms and updated weights (SGD, L1)', { timeout: 120_000 }, async () => {
    const cfg = { optimizer: { name: 'sgd', lr: 0.1 }, regularization: { l1: 1e-4, l2: 0 }, clip: { mode: 'norm', value: 5 } };
    const one = await run(lenet(), 1, cfg);
    const two = await run(lenet(), 2, cfg);
    assert.equal(two.steps.length, 2);
    two.steps.forEach((s, i) => {
      assert.ok(Math.abs(s.loss - one.steps[i].loss) < 1e-5, `step ${i} loss ${s.loss} vs ${one.steps[i].loss}`);
      assert.ok(Math.abs(s.accuracy - one.steps[i].accuracy) < 1e-6, `step ${i} accuracy ${s.accuracy} vs ${one.steps[i].accuracy}`);
      assert.ok(Math.abs(s.gradNorm - one.steps[i].gradNorm) < 1e-4 * Math.max(1, one.steps[i].gradNorm), `step ${i} grad norm ${s.gradNorm} vs ${one.steps[i].gradNorm}`);
    });
    assert.equal(two.gradNorms.length, 2, 'probes on the averaged gradients');
    two.gradNorms.forEach((row, i) => row.forEach((g, j) => assert.ok(Math.abs(g - one.gradNorms[i][j]) < 1e-4 * Math.max(1, one.gradNorms[i][j]), `probe ${i} layer ${j}: ${g} vs ${one.gradNorms[i][j]}`)));
    two.weights.forEach((w, i) => assert.ok(maxDiff(w, one.weights[i]) < 1e-5, `weight ${i} differs by ${maxDiff(w, one.weights[i])}`));
  });

  it('Adam over three threads with an odd batch stays equal, and repeats exactly', { timeout: 120_000 }, async () => {
    const cfg = { optimizer: { name: 'adam', lr: 1e-3 }, batchSize: 37, trainLimit: 74 };
    const one = await run(lenet(), 1, cfg);
    const three = await run(lenet(), 3, cfg);
    const again = await run(lenet(), 3, cfg);
    three.weights.forEach((w, i) => {
      assert.ok(maxDiff(w, one.weights[i]) < 1e-5, `weight ${i} differs by ${maxDiff(w, one.weights[i])}`);
      assert.deepEqual(w, again.weights[i], 'same seed and thread count: identical weights');
    });
  });
});
