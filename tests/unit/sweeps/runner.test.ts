import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lenetMnist } from '../../../src/shared/templates/lenet';
import { bestTrial, type SweepEvent } from '../../../src/shared/sweeps';
import { createSweep, SweepRunner, sweepTag, trialRunName } from '../../../src/main/sweeps/runner';
import { SweepStore } from '../../../src/main/sweeps/store';
import { FakeRuns } from './fakeRuns';

const root = mkdtempSync(join(tmpdir(), 'netsmith-sweeps-'));
after(() => rmSync(root, { recursive: true, force: true }));
const graph = lenetMnist.build();

test('a sweep trains every trial as a tagged run, records curves, and prunes clearly worse trials', async () => {
  const store = new SweepStore(join(root, 'a'));
  // 20 ms per fake epoch: on a loaded machine 5 ms epochs pile up before the runner hears them, and the pruner then
  // sees trials finish before it can judge them.
  const runs = new FakeRuns(20);
  const doc = await createSweep(store, { graph, dataset: 'mnist', config: { epochs: 4 }, settings: { space: { lr: { logUniform: [1e-6, 1] } }, trials: 12, strategy: 'random', seed: 3 } });
  const events: SweepEvent[] = [];
  const done = await new SweepRunner(runs, store).run(doc.id, { onEvent: (e) => events.push(e) });
  if (process.env.DBG) console.log(JSON.stringify(done.results.map((t) => [t.state, t.curve.length, t.params.lr, t.prunedAt])));
  assert.equal(done.state, 'completed');
  assert.equal(done.results.length, 12);
  for (const t of done.results) {
    const r = runs.runs.get(t.runId!)!;
    assert.deepEqual(r.summary.tags, [sweepTag(doc.id)]);
    assert.equal(r.summary.name, `Trial ${t.index + 1} · ${doc.name}`);
    assert.equal(r.lr, t.params.lr, 'the trial value reaches the run config');
  }
  const pruned = done.results.filter((t) => t.state === 'pruned');
  const completed = done.results.filter((t) => t.state === 'completed');
  assert.ok(pruned.length >= 3, `${pruned.length} pruned`);
  // Every pruned trial is clearly worse: its final accuracy would be below the median of the completed ones.
  const q = (lr: number) => Math.exp(-((Math.log10(lr) + 3) ** 2) / 2);
  const medianQ = completed.map((t) => q(t.params.lr as number)).sort((a, b) => a - b)[completed.length >> 1];
  for (const t of pruned) {
    assert.ok(q(t.params.lr as number) < medianQ, `pruned lr ${t.params.lr}`);
    assert.ok(t.curve.length < 4 && t.prunedAt && t.prunedAt.best < t.prunedAt.median, JSON.stringify(t));
  }
  // The best trial is the lr closest to 1e-3 among the completed.
  const best = bestTrial(done)!;
  const closest = [...completed].sort((a, b) => Math.abs(Math.log10(a.params.lr as number) + 3) - Math.abs(Math.log10(b.params.lr as number) + 3))[0];
  assert.equal(best.index, closest.index);
  assert.deepEqual(events.at(-1)?.phase, 'finished');
  assert.ok(events.some((e) => e.phase === 'trial-epoch'));
  // sweep.json on disk is the same record.
  const disk = JSON.parse(readFileSync(join(store.dir(doc.id), 'sweep.json'), 'utf8')) as { state: string; results: unknown[] };
  assert.equal(disk.state, 'completed');
  assert.equal(disk.results.length, 12);
});

test('a stopped sweep resumes: the trials in flight continue their runs, the rest start', async () => {
  const store = new SweepStore(join(root, 'b'));
  const runs = new FakeRuns(15);
  const doc = await createSweep(store, { graph, dataset: 'mnist', config: { epochs: 3 }, settings: { space: { lr: { logUniform: [1e-4, 1e-2] } }, trials: 5, parallel: 2, strategy: 'tpe', pruner: { kind: 'none' } } });
  const controller = new AbortController();
  runs.afterEpoch = (runId, epoch) => {
    if (runId === 'run-1' && epoch === 1) controller.abort();
  };
  const first = await new SweepRunner(runs, store).run(doc.id, { signal: controller.signal });
  runs.afterEpoch = undefined;
  assert.equal(first.state, 'stopped');
  const interrupted = first.results.filter((t) => t.state === 'interrupted');
  assert.ok(interrupted.length >= 1 && interrupted.length <= 2);
  assert.ok(first.results.length < 5);
  const before = new Map(interrupted.map((t) => [t.index, t.runId]));
  const second = await new SweepRunner(runs, store).run(doc.id);
  assert.equal(second.state, 'completed');
  assert.equal(second.results.length, 5);
  assert.ok(second.results.every((t) => t.state === "completed" && t.curve.length === 3), JSON.stringify(second.results));
  for (const [index, runId] of before) {
    assert.equal(second.results[index].runId, runId, 'the interrupted trial continued its own run');
    assert.equal(second.results[index].restarts, 0);
  }
  await assert.rejects(new SweepRunner(runs, store).run(doc.id), /finished all its trials/);
});

test('after a crash (the process that ran it is gone) the sweep is marked interrupted at startup and continues', async () => {
  const store = new SweepStore(join(root, 'c'));
  const runs = new FakeRuns();
  const doc = await createSweep(store, { graph, dataset: 'mnist', config: { epochs: 2 }, settings: { space: { lr: { choice: [1e-3, 1e-2, 1e-1] } }, trials: 3, strategy: 'grid' } });
  // A process that has exited: its pid is not alive.
  const dead = spawnSync(process.execPath, ['-e', 'console.log(process.pid)'], { encoding: 'utf8' });
  const deadPid = Number(dead.stdout.trim());
  // The crashed process had started trial 1 (a run that completed one epoch and has no worker now).
  const started = await runs.startRun({ project: '', dataset: 'mnist', config: { epochs: 2, optimizer: { lr: 1e-3 } } });
  await runs.controlRun({ id: started.id, action: 'stop' });
  await store.save({ ...doc, pid: deadPid, session: 'gone', results: [{ index: 0, params: { lr: 1e-3 }, state: 'running', runId: started.id, curve: [], restarts: 0, startedAt: new Date().toISOString() }] });
  assert.deepEqual(await store.recover(), [doc.id]);
  const marked = await store.read(doc.id);
  assert.equal(marked.state, 'interrupted');
  assert.equal(marked.results[0].state, 'interrupted');
  const done = await new SweepRunner(runs, store).run(doc.id);
  assert.equal(done.state, 'completed');
  assert.deepEqual(done.results.map((t) => t.params.lr), [1e-3, 1e-2, 1e-1], 'grid order, the interrupted point not repeated');
  assert.equal(done.results[0].runId, started.id);
});

test('a trial whose run ended before its first checkpoint starts again; the old run is named as replaced and leaves the sweep', async () => {
  const store = new SweepStore(join(root, 'e'));
  const runs = new FakeRuns();
  const doc = await createSweep(store, { graph, dataset: 'mnist', config: { epochs: 2 }, settings: { space: { lr: { choice: [1e-3, 1e-2] } }, trials: 2, strategy: 'grid' } });
  // The lab closed while trial 1's run was in its first epoch: no checkpoint, nothing to resume.
  const early = await runs.startRun({ project: '', dataset: 'mnist', config: { epochs: 2, optimizer: { lr: 1e-3 } } });
  await runs.controlRun({ id: early.id, action: 'stop' });
  runs.noCheckpoint.add(early.id);
  await runs.updateRun({ id: early.id, name: trialRunName(doc.name, 0), tags: [sweepTag(doc.id)] });
  await store.save({ ...doc, state: 'stopped', results: [{ index: 0, params: { lr: 1e-3 }, state: 'interrupted', runId: early.id, curve: [], restarts: 0, startedAt: new Date().toISOString() }] });
  const done = await new SweepRunner(runs, store).run(doc.id);
  assert.equal(done.state, 'completed');
  assert.equal(done.results[0].restarts, 1);
  assert.notEqual(done.results[0].runId, early.id, 'trial 1 trained in a new run');
  const old = runs.runs.get(early.id)!.summary;
  assert.equal(old.name, `${trialRunName(doc.name, 0)} · replaced (no checkpoint)`);
  assert.deepEqual(old.tags, []);
  const inSweep = [...runs.runs.values()].filter((r) => r.summary.tags?.includes(sweepTag(doc.id))).map((r) => r.summary.id);
  assert.deepEqual(inSweep.sort(), done.results.map((t) => t.runId!).sort(), 'the sweep lists one run per trial');
});

test('a bad space is refused before anything is written, with the valid names', async () => {
  const store = new SweepStore(join(root, 'd'));
  await assert.rejects(createSweep(store, { graph, dataset: 'mnist', config: {}, settings: { space: { 'conv9.filters': { intUniform: [8, 64] } }, trials: 3 } }), /conv9\.filters: .*the blocks are .*conv1/);
  await assert.rejects(createSweep(store, { graph, dataset: 'mnist', config: {}, settings: { space: { lr: { logUniform: [1e-5, 1] } }, trials: 0 } }), /trials: at least 1 trial/);
  assert.deepEqual(await store.list(), []);
});
