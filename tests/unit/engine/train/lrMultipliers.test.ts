// Learning-rate multipliers on the TF.js engine: a variable with multiplier m steps exactly as an optimizer at
// lr × m would (every optimizer, AdamW's decoupled decay included, as PyTorch's param groups), and in training a
// ×0.1 block's SGD update is 0.1 × its update at ×1 while every other block's update is unchanged.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import { setLrMultiplier } from '../../../../src/shared/graph/lrMultiplier';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { templateById } from '../../../../src/shared/templates';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { selectBackend } from '../../../../src/main/engine/backend/select';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { applyLrMultipliers, lrScalesOf } from '../../../../src/main/engine/train/lrMultipliers';
import { createOptimizer, type OptimizerConfigInput } from '../../../../src/main/engine/train/optimizers';
import { train } from '../../../../src/main/engine/train/trainer';
import { assertAllClose } from './approx';

const G = [
  [0.5, -1],
  [0.1, 0.3],
  [-0.2, 0.4],
];

/** θ after each gradient of G, for an optimizer over [a, b] with scales [1, m] (b's trajectory) or alone at lr·m. */
function trajectory(config: OptimizerConfigInput, lr: number, scales?: number[]): number[] {
  const a = tf.variable(tf.tensor2d([[0.3, 0.7]]));
  const b = tf.variable(tf.tensor2d([[1, -2]]));
  const vars = scales ? [a, b] : [b];
  const opt = createOptimizer(config, vars, scales ? { lrScales: scales } : {});
  const out: number[] = [];
  for (const g of G) {
    const grads = new Map(vars.map((v) => [v, tf.tensor2d([g])] as const));
    opt.applyGradients(grads, lr);
    tf.dispose([...grads.values()]);
    out.push(...b.dataSync());
  }
  opt.dispose();
  tf.dispose([a, b]);
  return out;
}

describe('optimizers with per-variable learning-rate multipliers', () => {
  before(async () => {
    await tf.setBackend('cpu');
  });
  const configs: OptimizerConfigInput[] = [
    { name: 'sgd' },
    { name: 'nesterov', momentum: 0.9, weightDecay: 0.1, decayBiasAndNorm: true },
    { name: 'adagrad', lrDecay: 0.1, weightDecay: 0.1, decayBiasAndNorm: true },
    { name: 'rmsprop', centered: true, momentum: 0.5, weightDecay: 0.1, decayBiasAndNorm: true },
    { name: 'adam', amsgrad: true, weightDecay: 0.1, decayBiasAndNorm: true },
    { name: 'adamw', weightDecay: 0.5, decayBiasAndNorm: true },
  ];
  for (const config of configs) {
    it(`${JSON.stringify(config)}: a ×0.1 variable follows the optimizer at lr × 0.1`, () => {
      assertAllClose(trajectory(config, 0.1, [1, 0.1]), trajectory(config, 0.01), 1e-6, 'scaled');
      assertAllClose(trajectory(config, 0.1, [1, 1]), trajectory(config, 0.1), 0, 'unscaled');
    });
  }

  it('AdamW decays a ×0.1 variable by lr × 0.1 × λ (PyTorch param groups), not by lr × λ', () => {
    const theta = tf.variable(tf.tensor2d([[1, -2]]));
    const opt = createOptimizer({ name: 'adamw', weightDecay: 0.5, decayBiasAndNorm: true }, [theta], { lrScales: [0.1] });
    opt.applyGradients(new Map([[theta, tf.zeros([1, 2])]]), 0.1);
    assertAllClose(theta.dataSync(), [1 - 0.1 * 0.1 * 0.5, -2 * (1 - 0.1 * 0.1 * 0.5)], 1e-7);
  });

  it('refuses a multiplier list that does not fit, or a multiplier ≤ 0', () => {
    const theta = tf.variable(tf.zeros([2]));
    assert.throws(() => createOptimizer({ name: 'sgd' }, [theta], { lrScales: [1, 2] }), /2 learning-rate multipliers for 1 variables/);
    assert.throws(() => createOptimizer({ name: 'sgd' }, [theta], { lrScales: [0] }), /must be a finite number > 0/);
  });
});

describe('training with a ×0.1 block (TF.js, SGD without momentum)', () => {
  let dataset: Dataset;
  before(async () => {
    await selectBackend({ prefer: 'wasm' });
    dataset = (await loadDataset('mnist', { seed: 1 })).dataset;
  });

  /** Every weight's update after one SGD step on the same batch from the same initial weights. */
  async function oneStep(graph: GraphDoc): Promise<{ deltas: Map<string, Float32Array>; before: Map<string, Float32Array>; scaled: number }> {
    const compiled = compile(graph, { seed: 5 });
    const summary = applyLrMultipliers(compiled, graph);
    const snap = () => new Map(compiled.model.trainableWeights.map((w) => [w.originalName ?? w.name, w.read().dataSync() as Float32Array]));
    const before = snap();
    const config = trainConfigSchema.parse({ epochs: 1, batchSize: 32, trainLimit: 32, valLimit: 32, probeEvery: 0, workers: 1, seed: 3, optimizer: { name: 'sgd', lr: 0.1 } });
    await train({ model: compiled.model, dataset, config, hooks: {} });
    const after = snap();
    const deltas = new Map([...before].map(([k, v]) => [k, v.map((x, i) => after.get(k)![i] - x)]));
    compiled.model.dispose();
    return { deltas, before, scaled: summary.layers };
  }

  it("the ×0.1 block's update is 0.1 × its update at ×1 (to float32 rounding of θ); the others are bit-identical", { timeout: 300_000 }, async () => {
    const base = templateById('lenet')!.build();
    const conv1 = base.nodes.find((n) => n.label === 'conv1')!.id;
    const slow = setLrMultiplier(base, [conv1], 0.1);
    const compiled = compile(slow, { seed: 5 });
    applyLrMultipliers(compiled, slow);
    const scales = lrScalesOf(compiled.model);
    assert.deepEqual(compiled.model.trainableWeights.map((w, i) => [w.originalName.split('/')[0], scales[i]]).filter(([, s]) => s !== 1), [['conv1', 0.1], ['conv1', 0.1]]);
    compiled.model.dispose();

    const one = await oneStep(base);
    const tenth = await oneStep(slow);
    assert.ok(tenth.scaled >= 1, 'conv1 marked');
    let checked = 0;
    for (const [name, d1] of one.deltas) {
      const d01 = tenth.deltas.get(name)!;
      assert.ok(d1.some((x) => x !== 0), `${name} moved`);
      if (name.startsWith('conv1/')) {
        // θ' = fl(θ − fl(η·0.1·g)): the update is exact up to the float32 roundings of the step and of θ.
        const theta = one.before.get(name)!;
        const ulp = Math.max(...theta.map((t, i) => Math.abs(t) + Math.abs(d1[i]))) * 2 ** -23;
        let worst = 0;
        d1.forEach((x, i) => (worst = Math.max(worst, Math.abs(d01[i] - 0.1 * x))));
        assert.ok(worst <= 2 * ulp, `${name}: |Δ(×0.1) − 0.1·Δ(×1)| = ${worst} > 2 ulp (${ulp})`);
        checked++;
      } else {
        assert.ok(Buffer.from(d1.buffer).equals(Buffer.from(d01.buffer)), `${name}: same update at ×1`);
      }
    }
    assert.equal(checked, 2, 'conv1 kernel and bias');
  });
});
