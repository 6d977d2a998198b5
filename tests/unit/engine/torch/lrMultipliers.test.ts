// Learning-rate multipliers on the PyTorch engine (one param group per multiplier): a ×0.1 block's SGD update is
// 0.1 × its update at ×1, and one Adam step with mixed multipliers moves every weight as TF.js does. Runs with
// Debian's torch 1.13 (/usr/bin/python3) and, where installed, PATH's python3 torch 2.x.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { setLrMultiplier } from '../../../../src/shared/graph/lrMultiplier';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { templateById } from '../../../../src/shared/templates';
import { trainConfigSchema, type TrainConfig } from '../../../../src/shared/training/config';
import { selectBackend } from '../../../../src/main/engine/backend/select';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { discoverTorchUncached } from '../../../../src/main/engine/torch/discover';
import { trainWithTorch } from '../../../../src/main/engine/torch/engine';
import { applyLrMultipliers } from '../../../../src/main/engine/train/lrMultipliers';
import { train } from '../../../../src/main/engine/train/trainer';

const work = mkdtempSync(join(tmpdir(), 'netsmith-lr-mult-torch-'));
after(() => rmSync(work, { recursive: true, force: true }));

const systemTorch = await discoverTorchUncached({ candidates: ['/usr/bin/python3'] });
const pathTorch = await discoverTorchUncached({ candidates: ['python3'] });
const pythons: [string, string | false][] = [
  ['/usr/bin/python3', systemTorch.ok ? false : `the system python3 has no torch (${systemTorch.ok ? '' : systemTorch.reason})`],
  ['python3', pathTorch.ok && !pathTorch.torchVersion.startsWith('1.') ? false : `PATH's python3 has no torch 2.x (${pathTorch.ok ? pathTorch.torchVersion : pathTorch.reason})`],
];

type Weights = Map<string, Float32Array>;
const snapshot = (model: tf.LayersModel): Weights => new Map(model.trainableWeights.map((w) => [w.originalName ?? w.name, w.read().dataSync() as Float32Array]));
const maxAbs = (a: Float32Array): number => a.reduce((m, x) => Math.max(m, Math.abs(x)), 0);
const norm = (a: ArrayLike<number>): number => Math.sqrt(Array.from(a).reduce((s, x) => s + x * x, 0));

let dataset: Dataset;
before(async () => {
  await selectBackend({ prefer: 'wasm' });
  dataset = (await loadDataset('mnist', { seed: 1 })).dataset;
});

/** The initial weights and each weight's update after one step on `engine` (same seed, same batch). */
async function oneStep(graph: GraphDoc, config: TrainConfig, engine: 'tfjs' | string): Promise<{ before: Weights; deltas: Weights }> {
  const compiled = compile(graph, { seed: 5 });
  applyLrMultipliers(compiled, graph);
  const before = snapshot(compiled.model);
  if (engine === 'tfjs') await train({ model: compiled.model, dataset, config, hooks: {} });
  // The checkpoint hook makes the engine copy PyTorch's weights back into the model.
  else await trainWithTorch({ runDir: mkdtempSync(join(work, 'run-')), graph, compiled, dataset, config, python: engine, hooks: { checkpoint: async () => {} } });
  const afterStep = snapshot(compiled.model);
  compiled.model.dispose();
  return { before, deltas: new Map([...before].map(([k, v]) => [k, v.map((x, i) => afterStep.get(k)![i] - x)])) };
}

const stepConfig = (optimizer: Record<string, unknown>) => trainConfigSchema.parse({ epochs: 1, batchSize: 32, trainLimit: 32, valLimit: 32, probeEvery: 0, workers: 1, seed: 3, device: 'cpu', schedule: { name: 'constant' }, optimizer });
const lenet = () => templateById('lenet')!.build();
const idOf = (g: GraphDoc, label: string) => g.nodes.find((n) => n.label === label)!.id;

for (const [python, skip] of pythons) {
  describe(`PyTorch engine learning-rate multipliers (${python})`, { skip }, () => {
    it("SGD: a ×0.1 block's update is 0.1 × its update at ×1; the other blocks' are unchanged", { timeout: 300_000 }, async () => {
      const base = lenet();
      const config = stepConfig({ name: 'sgd', lr: 0.1 });
      const one = await oneStep(base, config, python);
      const tenth = await oneStep(setLrMultiplier(base, [idOf(base, 'conv1')], 0.1), config, python);
      let checked = 0;
      for (const [name, d1] of one.deltas) {
        const d01 = tenth.deltas.get(name)!;
        assert.ok(maxAbs(d1) > 0, `${name} moved`);
        const theta = one.before.get(name)!;
        const ulp = Math.max(...theta.map((t, i) => Math.abs(t) + Math.abs(d1[i]))) * 2 ** -23;
        let worst = 0;
        const scale = name.startsWith('conv1/') ? 0.1 : 1;
        d1.forEach((x, i) => (worst = Math.max(worst, Math.abs(d01[i] - scale * x))));
        assert.ok(worst <= 4 * ulp, `${name}: |Δ − ${scale}·Δ(×1)| = ${worst} > 4 ulp (${ulp})`);
        if (scale !== 1) checked++;
      }
      assert.equal(checked, 2, 'conv1 kernel and bias');
    });

    it('one Adam step with mixed multipliers (×0.1, ×1, ×3) moves every weight as TF.js does', { timeout: 300_000 }, async () => {
      let g = lenet();
      g = setLrMultiplier(g, [idOf(g, 'conv1'), idOf(g, 'conv2')], 0.1);
      g = setLrMultiplier(g, [idOf(g, 'fc1')], 3);
      const lr = 1e-3;
      const config = stepConfig({ name: 'adam', lr });
      const ours = await oneStep(g, config, 'tfjs');
      const theirs = await oneStep(g, config, python);
      const multiplierOf = (name: string) => (/^conv[12]\//.test(name) ? 0.1 : name.startsWith('fc1/') ? 3 : 1);
      for (const [name, d] of ours.deltas) {
        const t = theirs.deltas.get(name)!;
        // Adam's first step moves each weight by lr·m·g/(|g| + ε) ≈ lr·m (read back through float32 θ, hence 1%).
        const m = multiplierOf(name);
        for (const [engine, delta] of [['tfjs', d], ['torch', t]] as const) {
          const step = maxAbs(delta);
          assert.ok(step > 0.99 * lr * m && step < 1.01 * lr * m, `${engine} ${name}: largest step ${step}, expected ≈ ${lr * m}`);
        }
        const diff = norm(d.map((x, i) => x - t[i])) / norm(d);
        assert.ok(diff < 1e-3, `${name}: TF.js and PyTorch updates differ by ${diff} (relative)`);
      }
    });
  });
}
