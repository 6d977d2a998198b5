import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentRunner, evaluateUserExperiment } from '../../../src/main/experiments/runner';
import { ExperimentService } from '../../../src/main/experiments/service';
import { ExperimentStore } from '../../../src/main/experiments/store';
import { RunRegistry } from '../../../src/main/service/runs/registry';
import type { ExperimentEvent } from '../../../src/shared/experiments/types';
import { makeUserExperiment } from '../../../src/shared/experiments/user';

// Real, fixed-seed runs (wasm backend, seed 42), shortened: they assert the direction of each effect, not its size.
const runsDir = mkdtempSync(join(tmpdir(), 'netsmith-exp-runs-'));
const registry = new RunRegistry(runsDir);
after(() => rmSync(runsDir, { recursive: true, force: true }));
const runner = new ExperimentRunner(registry);
const fast = { backend: 'wasm' as const, valLimit: 300 };

test('gradient flow: the plain sigmoid network’s first-layer gradient vanishes, the residual one’s does not', { timeout: 300_000 }, async () => {
  const events: ExperimentEvent[] = [];
  const r = await runner.run('gradient-flow', { overrides: { ...fast, epochs: 1, trainLimit: 512, probeEvery: 2 }, onEvent: (e) => events.push(e) });
  assert.deepEqual(r.variants.map((v) => v.state), ['completed', 'completed', 'completed', 'completed']);
  const ratio = (id: string) => r.verdict.perVariant[id].grad_ratio!;
  assert.ok(ratio('sigmoid') < 1e-3, `plain sigmoid ratio ${ratio('sigmoid')} should be < 1e-3`);
  assert.ok(ratio('residual') > 1e-2, `residual ratio ${ratio('residual')} should be > 1e-2`);
  assert.ok(ratio('relu') > 1e-2 && ratio('relu_bn') > 1e-2, `ReLU ${ratio('relu')}, ReLU+BN ${ratio('relu_bn')}`);
  assert.equal(r.verdict.effect.direction, 'supports', r.verdict.text);
  assert.match(r.verdict.text, /First-layer gradient norm as a fraction of the last layer's/);
  assert.ok(r.variants.every((v) => v.probes.length >= 4 && v.epochs.length === 1 && v.runId));
  assert.deepEqual(events.map((e) => e.phase), ['started', ...r.variants.flatMap(() => ['variant-started', 'variant-finished']), 'finished']);
  assert.equal(new Set(events.map((e) => e.session)).size, 1);

  // The same runs, saved as a user experiment and evaluated from their stored logs.
  const byId = Object.fromEntries(r.variants.map((v) => [v.variant, v.runId!]));
  const user = makeUserExperiment({ title: 'Skip connections', runs: [{ runId: byId.sigmoid, name: 'plain' }, { runId: byId.residual, name: 'residual' }], metric: 'grad_ratio', expectedBest: byId.residual });
  const evaluated = await evaluateUserExperiment(registry, user);
  assert.equal(evaluated.verdict.effect.direction, 'supports', evaluated.verdict.text);
  assert.deepEqual(evaluated.verdict.measurements.ranking, [byId.residual, byId.sigmoid]);
  assert.ok(evaluated.variants[0].params > 0);
});

test('initialisation: He keeps the ReLU activation scale, Xavier shrinks it, a small normal loses it', { timeout: 300_000 }, async () => {
  const r = await runner.run('initialization', { overrides: { ...fast, trainLimit: 256, probeEvery: 2 } });
  const ratio = (id: string) => r.verdict.perVariant[id].activation_std_ratio!;
  assert.ok(ratio('he') > 0.25 && ratio('he') < 4, `He ${ratio('he')}`);
  assert.ok(ratio('xavier') < ratio('he') / 4, `Xavier ${ratio('xavier')} vs He ${ratio('he')}`);
  assert.ok(ratio('small') < 1e-3, `small normal ${ratio('small')}`);
  assert.equal(r.verdict.effect.direction, 'supports', r.verdict.text);
});

test('BatchNorm trains at a learning rate where the same network without it does not', { timeout: 300_000 }, async () => {
  const r = await runner.run('bn-high-lr', { variants: ['plain_high_lr', 'bn_high_lr'], overrides: { ...fast, epochs: 1, trainLimit: 2048, probeEvery: 0 } });
  const acc = (id: string) => r.verdict.perVariant[id].val_accuracy ?? 0.1;
  assert.ok(acc('bn_high_lr') > acc('plain_high_lr') + 0.2, `BN ${acc('bn_high_lr')} vs no BN ${acc('plain_high_lr')}`);
});

test('label smoothing lowers the top-1 confidence', { timeout: 300_000 }, async () => {
  const r = await runner.run('label-smoothing', { overrides: { ...fast, epochs: 1, trainLimit: 2048 } });
  const m = (id: string, k: string) => r.verdict.perVariant[id][k]!;
  assert.ok(m('on', 'mean_confidence') < m('off', 'mean_confidence') - 0.05, `mean confidence ${m('off', 'mean_confidence')} → ${m('on', 'mean_confidence')}`);
  assert.ok(m('off', 'samples') >= 250, 'most validation samples have a confidence');
});

test('stopping an experiment stops the run in flight, skips the rest and still gives a verdict', { timeout: 120_000 }, async () => {
  const storeDir = mkdtempSync(join(tmpdir(), 'netsmith-exp-store-'));
  after(() => rmSync(storeDir, { recursive: true, force: true }));
  const store = new ExperimentStore(storeDir);
  const events: ExperimentEvent[] = [];
  const service = new ExperimentService({ runs: registry, store, emit: (e) => events.push(e) });
  const { session } = await service.startExperiment({ id: 'overfitting' });
  await new Promise<void>((resolve) => {
    const t = setInterval(() => {
      if (events.some((e) => e.phase === 'variant-started')) {
        clearInterval(t);
        resolve();
      }
    }, 50);
  });
  const done = service.waitExperiment({ session });
  await service.stopExperiment({ session });
  const result = await done;
  assert.ok(result);
  assert.equal(result.variants[0].state, 'stopped');
  assert.deepEqual(result.variants.slice(1).map((v) => v.state), ['skipped', 'skipped', 'skipped']);
  assert.ok(['inconclusive', 'contradicts'].includes(result.verdict.effect.direction));
  assert.equal(events[events.length - 1].phase, 'finished');
  assert.equal((await service.listExperiments()).builtin.length >= 9, true);
});
