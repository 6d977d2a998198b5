import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lenetMnist } from '../../../src/shared/templates/lenet';
import { bestTrial, isRung, shouldPrune, type PrunerConfig } from '../../../src/shared/sweeps';
import { createSweep, SweepRunner } from '../../../src/main/sweeps/runner';
import { SweepStore } from '../../../src/main/sweeps/store';
import { FakeRuns } from './fakeRuns';

const root = mkdtempSync(join(tmpdir(), 'netsmith-asha-'));
after(() => rmSync(root, { recursive: true, force: true }));
const ASHA: PrunerConfig = { kind: 'asha', startupTrials: 1, warmupEpochs: 1, reductionFactor: 3 };

test('ASHA rungs are r·η^k and a trial goes on only in the top 1/η of those that reached the rung', () => {
  assert.deepEqual([1, 2, 3, 4, 8, 9, 27].filter((e) => isRung(e, 1, 3)), [1, 3, 9, 27]);
  assert.deepEqual([1, 2, 3, 4, 6, 8].filter((e) => isRung(e, 2, 2)), [2, 4, 8]);
  const peers = [[0.9], [0.8], [0.7], [0.6], [0.5]];
  // Six at rung 1: the top 6/3 = 2 go on (cut-off 0.8).
  assert.deepEqual(shouldPrune([0.85], peers, ASHA), { prune: false, median: 0.85, best: 0.85 });
  assert.deepEqual(shouldPrune([0.55], peers, ASHA), { prune: true, median: 0.8, best: 0.55 });
  // Fewer than η at the rung: only the best goes on; alone, it goes on.
  assert.equal(shouldPrune([0.5], [[0.6]], ASHA).prune, true);
  assert.equal(shouldPrune([0.7], [[0.6]], ASHA).prune, false);
  assert.equal(shouldPrune([0.1], [], ASHA).prune, false);
  // Between rungs nothing is decided; the best score so far counts.
  assert.equal(shouldPrune([0.1, 0.1], peers.map((c) => [...c, ...c]), ASHA).prune, false);
  assert.equal(shouldPrune([0.95, 0.1, 0.2], peers.map((c) => [...c, ...c, ...c]), ASHA).prune, false);
});

test('a sweep with ASHA stops clearly worse trials early and keeps the best one', async () => {
  const store = new SweepStore(join(root, 'a'));
  // 20 ms per epoch: time for the runner to hear each epoch before the next (a loaded machine delays the writes).
  const runs = new FakeRuns(20);
  const doc = await createSweep(store, { graph: lenetMnist.build(), dataset: 'mnist', config: { epochs: 9 }, settings: { space: { lr: { logUniform: [1e-6, 1] } }, trials: 12, strategy: 'random', seed: 3, pruner: { kind: 'asha', reductionFactor: 3 } } });
  const done = await new SweepRunner(runs, store).run(doc.id);
  assert.equal(done.state, 'completed');
  const q = (t: { params: Record<string, unknown> }) => Math.exp(-((Math.log10(t.params.lr as number) + 3) ** 2) / 2);
  const pruned = done.results.filter((t) => t.state === 'pruned');
  const completed = done.results.filter((t) => t.state === 'completed');
  if (process.env.DBG) console.log(JSON.stringify(done.results.map((t) => [t.index, t.state, t.curve.length, q(t).toFixed(3), t.prunedAt])));
  assert.ok(pruned.length >= 6, `${pruned.length} pruned`);
  for (const t of pruned) {
    // Stopped at a rung (epoch 1 or 3), below the cut-off, and worse than a trial that reached the rung before it.
    if (!(t.prunedAt && [1, 3].includes(t.prunedAt.epoch) && t.prunedAt.best < t.prunedAt.median)) assert.fail(`pruned off a rung or above the cut-off: ${JSON.stringify(t)}`);
    assert.ok(t.curve.length < 9, 'stopped before the end');
    assert.ok(done.results.some((o) => o.index < t.index && q(o) > q(t)), `trial ${t.index} pruned with no better trial before it`);
  }
  const mean = (xs: number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;
  assert.ok(mean(pruned.map(q)) < mean(completed.map(q)) * 0.6, `mean quality pruned ${mean(pruned.map(q))} vs completed ${mean(completed.map(q))}`);
  // The trial closest to the optimum (lr 1e-3) was never stopped, and it is the best.
  const closest = [...done.results].sort((a, b) => q(b) - q(a))[0];
  assert.equal(closest.state, 'completed');
  assert.equal(bestTrial(done)!.index, closest.index);
  // Fewer epochs trained than without pruning.
  assert.ok(done.results.reduce((n, t) => n + t.curve.length, 0) < 12 * 9 * 0.6);
});
