import { emptyGraph } from '../../../src/renderer/core/state';
import { test } from 'node:test';
import assert from 'node:assert/strict';
import type { ExperimentEvent, ExperimentResult, LabApi, LabEvent, RunningExperiment } from '../../../src/shared/api';
import { summarizeResult } from '../../../src/shared/experiments/summary';
import { describeExperiment, experimentById } from '../../../src/shared/experiments';
import type { VariantResult } from '../../../src/shared/experiments/types';
import {
  applyExperimentEvent,
  confidenceRows,
  epochRows,
  estimate,
  formatMeasure,
  latestResultFiles,
  layerRows,
  measureBars,
  measureKeys,
  mergeRunning,
  receptiveFieldRows,
  saveProblem,
  seriesFromTelemetry,
  stepRows,
  type SessionView,
} from '../../../src/renderer/experiments/model';
import { ExperimentsStore, experimentsStoreFor, resultKey } from '../../../src/renderer/experiments/store';
import { actProbe, fake, gradProbe } from '../experiments/fixtures';
import { harness } from './helpers';

const VARIANTS = [
  { id: 'a', name: 'A' },
  { id: 'b', name: 'B' },
];
const ev = (phase: ExperimentEvent['phase'], o: Partial<ExperimentEvent> = {}): ExperimentEvent => ({ type: 'experiment', session: 's1', experiment: 'x', phase, ...o });

function result(o: Partial<ExperimentResult> = {}): ExperimentResult {
  return {
    format: 'netsmith.experiment-result',
    experiment: 'x',
    title: 'X',
    source: 'guided',
    seed: 42,
    startedAt: '2026-11-22T10:00:00.000Z',
    seconds: 3,
    variants: [fake('a'), fake('b')],
    verdict: { text: 'A beats B', effect: { claim: 'A > B', direction: 'supports', detail: 'A 0.9, B 0.5' }, perVariant: { a: { val_accuracy: 0.9 }, b: { val_accuracy: 0.5 } }, measurements: {} },
    ...o,
  };
}

test('a session follows its events: started → variant by variant → finished with the result', () => {
  let s: SessionView | undefined;
  s = applyExperimentEvent(s, ev('started', { total: 2 }), VARIANTS);
  assert.equal(s.running, true);
  assert.deepEqual(s.variants.map((v) => v.state), ['pending', 'pending']);
  s = applyExperimentEvent(s, ev('variant-started', { variant: 'a', runId: 'r1', index: 0 }), VARIANTS);
  assert.deepEqual(s.variants.map((v) => [v.state, v.runId]), [['training', 'r1'], ['pending', undefined]]);
  s = applyExperimentEvent(s, ev('variant-finished', { variant: 'a', runId: 'r1', variantResult: fake('a', { runId: 'r1' }) }), VARIANTS);
  assert.equal(s.variants[0].state, 'completed');
  assert.equal(s.variants[0].result?.variant, 'a');
  s = applyExperimentEvent(s, ev('variant-finished', { variant: 'b', variantResult: fake('b', { state: 'failed', error: 'NaN loss', divergedAtStep: 12 }) }), VARIANTS);
  assert.deepEqual([s.variants[1].state, s.variants[1].error], ['failed', 'NaN loss']);
  const r = result();
  s = applyExperimentEvent(s, ev('finished', { result: r }), VARIANTS);
  assert.equal(s.running, false);
  assert.equal(s.result, r);
  assert.deepEqual(s.variants.map((v) => v.state), ['completed', 'completed']);
});

test('an event of a new session (or one seen mid-way) starts a fresh view; a failure ends it with the message', () => {
  const old = applyExperimentEvent(undefined, ev('finished', { result: result() }), VARIANTS);
  const mid = applyExperimentEvent(old, ev('variant-started', { session: 's2', variant: 'b', runId: 'r9' }), VARIANTS);
  assert.equal(mid.session, 's2');
  assert.equal(mid.running, true);
  assert.equal(mid.result, undefined);
  assert.deepEqual(mid.variants.map((v) => v.state), ['pending', 'training']);
  const unknown = applyExperimentEvent(mid, ev('variant-started', { session: 's2', variant: 'zzz' }), VARIANTS);
  assert.deepEqual(unknown.variants.map((v) => v.id), ['a', 'b', 'zzz']);
  const failed = applyExperimentEvent(mid, ev('failed', { session: 's2', message: 'no engine' }), VARIANTS);
  assert.deepEqual([failed.running, failed.error], [false, 'no engine']);
});

test('latest result file per experiment', () => {
  const files = latestResultFiles([
    { file: 'a-20260101-000000.json', experiment: 'a', startedAt: '2026-01-01T00:00:00Z' },
    { file: 'b-20260102-000000.json', experiment: 'b', startedAt: '2026-01-02T00:00:00Z' },
    { file: 'a-20260103-000000.json', experiment: 'a', startedAt: '2026-01-03T00:00:00Z' },
    { file: 'a-20260103-000000-2.json', experiment: 'a', startedAt: '2026-01-03T00:00:00Z' },
  ]);
  assert.deepEqual([...files], [
    ['a', 'a-20260103-000000-2.json'],
    ['b', 'b-20260102-000000.json'],
  ]);
});

test('measured numbers are formatted by what they are', () => {
  assert.equal(formatMeasure('val_accuracy', 0.9123), '91.2%');
  assert.equal(formatMeasure('accuracy_gap', -0.05), '-5.0%');
  assert.equal(formatMeasure('over_99', 0.25), '25.0%');
  assert.equal(formatMeasure('ece', 0.031), '3.1%');
  assert.equal(formatMeasure('params', 1_234_567), '1.23M');
  assert.equal(formatMeasure('conv_flops', 52_000), '52k');
  assert.equal(formatMeasure('receptive_field', 7), '7');
  assert.equal(formatMeasure('diverged_at_step', 12), '12');
  assert.equal(formatMeasure('grad_ratio', 3.2e-7), '3.2e-7');
  assert.equal(formatMeasure('val_loss', 0.45678), '0.457');
  assert.equal(formatMeasure('val_loss', null), '—');
  assert.equal(formatMeasure('val_loss', Infinity), '∞');
  assert.deepEqual(measureKeys({ a: { x: 1, grad_ratio: 2 }, b: { y: 3 } }, 'grad_ratio'), ['grad_ratio', 'x', 'y']);
});

test('bars: linear by default, log10 when positive values span more than two decades', () => {
  const lin = measureBars([
    { id: 'a', name: 'A', value: 0.9 },
    { id: 'b', name: 'B', value: 0.45 },
    { id: 'c', name: 'C', value: null },
  ]);
  assert.equal(lin.log, false);
  assert.deepEqual(lin.bars.map((b) => b.fraction), [1, 0.5, 0]);
  const log = measureBars([
    { id: 'a', name: 'A', value: 1e-6 },
    { id: 'b', name: 'B', value: 1 },
  ]);
  assert.equal(log.log, true);
  // lo = log10(1e-6) − 0.5 = −6.5, hi = 0: 1e-6 → 0.5/6.5, 1 → 1.
  assert.ok(Math.abs(log.bars[0].fraction - 0.5 / 6.5) < 1e-12);
  assert.equal(log.bars[1].fraction, 1);
});

test('chart rows: epochs per variant, smoothed steps, per-layer log10 values, confidence deciles', () => {
  const a = fake('a', { epochs: [{ valAccuracy: 0.5 }, { valAccuracy: 0.7 }] });
  const b = fake('b', { epochs: [{ valAccuracy: 0.4 }] });
  const series = [
    { id: 'a', name: 'A', epochs: a.epochs, steps: [], result: a },
    { id: 'b', name: 'B', epochs: b.epochs, steps: [], result: b },
  ];
  assert.deepEqual(epochRows(series, 'valAccuracy'), [
    { epoch: 1, v0: 0.5, v1: 0.4 },
    { epoch: 2, v0: 0.7 },
  ]);
  const steps = [
    { step: 1, epoch: 1, loss: 2, lr: 0.1 },
    { step: 2, epoch: 1, loss: 1, lr: 0.1 },
    { step: 3, epoch: 1, loss: NaN, lr: 0.1 },
  ];
  // EMA with weight 0.5: 2, then 0.5·2 + 0.5·1 = 1.5; the NaN step is dropped.
  assert.deepEqual(stepRows([{ id: 'a', name: 'A', epochs: [], steps }], 'loss', 300, 0.5), [
    { step: 1, v0: 2 },
    { step: 2, v0: 1.5 },
  ]);
  assert.deepEqual(stepRows([{ id: 'a', name: 'A', epochs: [], steps }], 'lr').map((r) => r.v0), [0.1, 0.1, 0.1]);

  const g = fake('g', { probes: [gradProbe([1e-4, 1e-2, 1])] });
  const act = fake('h', { probes: [actProbe([1, 0.1])] });
  const grad = layerRows([{ id: 'g', name: 'G', epochs: [], steps: [], result: g }], 'grad');
  assert.equal(grad.layers, 3);
  assert.deepEqual(grad.rows, [
    { layer: 1, v0: -4 },
    { layer: 2, v0: -2 },
    { layer: 3, v0: 0 },
  ]);
  assert.deepEqual(layerRows([{ id: 'h', name: 'H', epochs: [], steps: [], result: act }], 'activation').rows, [
    { layer: 1, v0: 0 },
    { layer: 2, v0: -1 },
  ]);

  const c = fake('c', { confidence: [{ confidence: 0.95, correct: true }, { confidence: 0.99, correct: true }, { confidence: 0.35, correct: false }, { confidence: 1, correct: true }] });
  const rows = confidenceRows([{ id: 'c', name: 'C', epochs: [], steps: [], result: c }]);
  assert.equal(rows.length, 10);
  assert.equal(rows[3].v0, 0.25);
  assert.equal(rows[9].v0, 0.75);
  assert.equal(rows[9].bin, '90–100%');
});

test('receptive-field rows from the real experiment: 3×3 stack grows 3 → 5 → 7, the 7×7 reaches 7 at once', () => {
  const doc = experimentById('receptive-field')!;
  const info = describeExperiment(doc);
  const results: VariantResult[] = info.variants.map((v) => fake(v.id));
  const verdict = doc.verdict(results, { graphs: Object.fromEntries(info.variants.map((v) => [v.id, v.graph])), seed: 42 });
  const ids = info.variants.map((v) => v.id);
  const rows = receptiveFieldRows(verdict.measurements.layers, ids);
  const col = (id: string) => rows.map((r) => r[`v${ids.indexOf(id)}`]).filter((x) => x !== undefined);
  assert.deepEqual(col('single7x7'), [7]);
  assert.deepEqual(col('stack3x3'), [3, 5, 7]);
  assert.deepEqual(col('stack5x5'), [5, 9, 13]);
  assert.deepEqual(receptiveFieldRows(undefined, ids), []);
});

test('form and labels', () => {
  assert.equal(saveProblem('', 2), 'Give it a title.');
  assert.equal(saveProblem('x', 0), 'Pick two or more runs.');
  assert.equal(saveProblem('x', 1), 'Pick one more run.');
  assert.equal(saveProblem('x', 2), null);
  assert.equal(estimate(1, 'computed'), 'instant');
  assert.equal(estimate(20), '~20 s');
  assert.equal(estimate(85), '~1 min');
  assert.equal(estimate(150), '~3 min');
  const live = seriesFromTelemetry([{ epoch: 1, lr: 0.1, seconds: 2, trainLoss: 1, trainAcc: 0.5, valLoss: 0.9, valAcc: 0.6 }], [{ x: 5, loss: 1.2, acc: NaN, lr: 0.1 }]);
  assert.deepEqual(live.epochs, [{ epoch: 1, lr: 0.1, seconds: 2, trainLoss: 1, trainAccuracy: 0.5, valLoss: 0.9, valAccuracy: 0.6 }]);
  assert.deepEqual(live.steps, [{ step: 5, epoch: 0, loss: 1.2, lr: 0.1 }]);
});

/** A fake host for the store: records calls, lets the test push events. */
function fakeLab(o: { results?: ExperimentResult[]; running?: RunningExperiment[] } = {}) {
  let push: (e: LabEvent) => void = () => undefined;
  const stored = o.results ?? [result({ startedAt: '2026-11-20T10:00:00.000Z' })];
  const fileOf = (r: ExperimentResult, i: number): string => `${r.experiment}-${r.startedAt.replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-')}${i ? `-${i + 1}` : ''}.json`;
  const lab = {
    calls: [] as string[],
    push: (e: LabEvent) => push(e),
    subscribe(l: (e: LabEvent) => void) {
      push = l;
      return () => (push = () => undefined);
    },
    listExperiments: async () => ({ builtin: [{ ...describeExperiment(experimentById('receptive-field')!), id: 'x', kind: 'trained' as const, variants: [] }], saved: [] }),
    listExperimentResults: async () => stored.map((r, i) => ({ file: fileOf(r, i), experiment: r.experiment, startedAt: r.startedAt, summary: summarizeResult(r, 'trained') })),
    async readExperimentResult(a: { file: string }) {
      lab.calls.push(`read ${a.file}`);
      const i = stored.findIndex((r, k) => fileOf(r, k) === a.file);
      if (i < 0) throw new Error(`no experiment result '${a.file}'`);
      return stored[i];
    },
    runningExperiments: async () => o.running ?? [],
    async runDetail(a: { id: string }) {
      lab.calls.push(`detail ${a.id}`);
      const events = [
        { type: 'probe', runId: a.id, step: 0, epoch: 1, layers: [{ node: 'd1', layer: 'd1', kind: 'weights', gradNorm: 1 }, { node: 'd2', layer: 'd2', kind: 'weights', gradNorm: 2 }] },
        { type: 'epoch', runId: a.id, epoch: 1, lr: 0.01, seconds: 2, train: { loss: 0.9, accuracy: 0.6 }, val: { loss: 0.8, accuracy: 0.7 } },
      ] as LabEvent[];
      return { summary: { id: a.id, name: a.id, state: 'completed' as const, createdAt: '', dataset: 'mnist', epoch: 1, epochs: 1, step: 4 }, config: {}, graph: emptyGraph(), events };
    },
    async startExperiment(a: { id: string; concurrency?: number }) {
      lab.calls.push(`start ${a.id}${a.concurrency ? ` ×${a.concurrency}` : ''}`);
      return { session: 's1' };
    },
    async stopExperiment(a: { session: string }) {
      lab.calls.push(`stop ${a.session}`);
    },
    evaluateUserExperiment: async () => result({ source: 'user', experiment: 'mine' }),
    saveUserExperiment: async (a: { title: string }) => ({ format: 'netsmith.user-experiment' as const, version: 1 as const, id: 'mine', title: a.title, createdAt: '', metric: 'val_accuracy', runs: [] }),
    deleteUserExperiment: async () => undefined,
    createExperimentProjects: async () => [],
  };
  return lab;
}

test('store: loads the gallery and the last verdict (summary only; the full result on demand); live events replace it; stop targets the running session', async () => {
  const lab = fakeLab();
  const store = new ExperimentsStore(lab);
  let notified = 0;
  store.subscribe(() => notified++);
  await store.load();
  assert.equal(store.state.list?.builtin[0].id, 'x');
  const key = resultKey('guided', 'x');
  assert.equal(store.state.verdicts[key].complete?.startedAt, '2026-11-20T10:00:00.000Z');
  assert.equal(store.state.verdicts[key].complete?.verdict.text, 'A beats B');
  assert.equal(store.state.last[key], undefined, 'the gallery does not read full results');
  assert.deepEqual(lab.calls, []);
  assert.ok(notified > 0);
  const full = await store.loadFull('guided', 'x');
  assert.equal(full?.variants.length, 2);
  assert.equal(store.state.last[key], full);
  await store.loadFull('guided', 'x');
  assert.deepEqual(lab.calls, ['read x-20261120-100000.json'], 'a detail page reads its full result once');
  lab.calls.length = 0;

  await store.start('x', { concurrency: 2 });
  assert.deepEqual(lab.calls, ['start x ×2']);
  assert.equal(store.state.sessions.x.running, true);
  lab.push(ev('variant-started', { variant: 'a', runId: 'r1' }));
  await store.stop('x');
  assert.deepEqual(lab.calls, ['start x ×2', 'stop s1']);
  const fresh = result({ startedAt: '2026-11-22T12:00:00.000Z' });
  lab.push(ev('finished', { result: fresh }));
  assert.equal(store.state.sessions.x.running, false);
  assert.equal(store.state.last[key], fresh);
  assert.equal(store.state.verdicts[key].complete?.startedAt, fresh.startedAt);
  await store.stop('x');
  assert.equal(lab.calls.length, 2, 'nothing to stop once finished');

  await store.save({ title: 'Mine', runs: [] });
  assert.deepEqual(store.state.list?.saved.map((s) => s.id), ['mine']);
  await store.evaluate('mine');
  assert.equal(store.state.last[resultKey('user', 'mine')].source, 'user');
  assert.equal(store.state.verdicts[resultKey('user', 'mine')].complete?.source, 'user');
  await store.remove('mine');
  assert.deepEqual(store.state.list?.saved, []);
  assert.equal(store.state.last[resultKey('user', 'mine')], undefined);
  assert.equal(store.state.verdicts[resultKey('user', 'mine')], undefined);
  assert.equal(experimentsStoreFor(lab), experimentsStoreFor(lab), 'one store per connection');
  store.dispose();
});

const stoppedResult = (startedAt: string): ExperimentResult => result({ startedAt, stopped: true, variants: [fake('a'), fake('b', { state: 'stopped' })], verdict: { text: 'only A finished', effect: { claim: 'A > B', direction: 'inconclusive', detail: 'A 0.9' }, perVariant: { a: { val_accuracy: 0.9 } }, measurements: {} } });

test('store: a stopped attempt does not replace the last complete verdict; the gallery learns it was stopped', async () => {
  const complete = result({ startedAt: '2026-11-20T10:00:00.000Z' });
  const lab = fakeLab({ results: [stoppedResult('2026-11-21T09:00:00.000Z'), complete] });
  const store = new ExperimentsStore(lab);
  await store.load();
  const key = resultKey('guided', 'x');
  const v = store.state.verdicts[key];
  assert.equal(v.complete?.startedAt, complete.startedAt);
  assert.equal(v.complete?.verdict.text, 'A beats B');
  assert.equal(v.stoppedLater?.startedAt, '2026-11-21T09:00:00.000Z');
  assert.equal(v.stoppedLater?.complete, false);
  assert.equal((await store.loadFull('guided', 'x'))?.startedAt, complete.startedAt, 'the detail page reads the complete one');
  assert.deepEqual(lab.calls, ['read x-20261120-100000-2.json']);

  // Live: another stopped attempt keeps the complete verdict; a complete one replaces it and clears the note.
  lab.push(ev('finished', { result: stoppedResult('2026-11-22T08:00:00.000Z') }));
  assert.equal(store.state.verdicts[key].complete?.startedAt, complete.startedAt);
  assert.equal(store.state.verdicts[key].stoppedLater?.startedAt, '2026-11-22T08:00:00.000Z');
  assert.equal(store.state.last[key].startedAt, complete.startedAt);
  const newer = result({ startedAt: '2026-11-22T09:00:00.000Z' });
  lab.push(ev('finished', { session: 's2', result: newer }));
  assert.equal(store.state.verdicts[key].complete?.startedAt, newer.startedAt);
  assert.equal(store.state.verdicts[key].stoppedLater, undefined);
  assert.equal(store.state.last[key], newer);

  // Only stopped attempts: no verdict, but the note.
  const only = new ExperimentsStore(fakeLab({ results: [stoppedResult('2026-11-21T09:00:00.000Z')] }));
  await only.load();
  assert.equal(only.state.verdicts[key].complete, undefined);
  assert.ok(only.state.verdicts[key].stoppedLater);
  assert.equal(await only.loadFull('guided', 'x'), undefined);
});

test('store: sessions already running are picked up on load with their variant states and run ids', async () => {
  const running: RunningExperiment = {
    session: 's9',
    experiment: 'x',
    startedAt: '2026-11-22T10:00:00.000Z',
    variants: [
      { id: 'a', name: 'A', state: 'completed', runId: 'r1' },
      { id: 'b', name: 'B', state: 'training', runId: 'r2' },
      { id: 'c', name: 'C', state: 'pending' },
    ],
  };
  const lab = fakeLab({ running: [running] });
  const store = new ExperimentsStore(lab);
  await store.load();
  const s = store.state.sessions.x;
  assert.equal(s.session, 's9');
  assert.equal(s.running, true);
  assert.deepEqual(s.variants.map((v) => [v.id, v.state, v.runId]), [['a', 'completed', 'r1'], ['b', 'training', 'r2'], ['c', 'pending', undefined]]);
  // Stop works on the picked-up session.
  store.open({ kind: 'builtin', id: 'x' });
  assert.equal(store.problem('stop'), null);
  await store.stop('x');
  assert.deepEqual(lab.calls, ['stop s9']);
  lab.calls.length = 0;
  // The finished variant's result is rebuilt from its run's telemetry (for the per-layer charts).
  await store.fillFinished('x');
  const a = store.state.sessions.x.variants[0].result!;
  assert.deepEqual([a.variant, a.state, a.epochs.map((e) => e.valAccuracy), a.probes[0].layers.map((l) => l.gradNorm)], ['a', 'completed', [0.7], [1, 2]]);
  assert.equal(store.state.sessions.x.variants[1].result, undefined, 'the training one stays live');
  await store.fillFinished('x');
  assert.deepEqual(lab.calls, ['detail r1'], 'read once, only for the finished variant');
  lab.push(ev('variant-finished', { session: 's9', variant: 'b', runId: 'r2', variantResult: fake('b') }));
  assert.equal(store.state.sessions.x.variants[1].state, 'completed');
});

test('mergeRunning: the snapshot fills in what events did not say; an event that overtook it wins', () => {
  const snap: RunningExperiment = { session: 's1', experiment: 'x', startedAt: '', variants: [{ id: 'a', name: 'A', state: 'training', runId: 'r1' }, { id: 'b', name: 'B', state: 'pending' }] };
  const fresh = mergeRunning(undefined, snap, VARIANTS);
  assert.deepEqual(fresh.variants.map((v) => v.state), ['training', 'pending']);
  assert.equal(fresh.running, true);
  // Events already said a finished and b started.
  let seen: SessionView | undefined;
  seen = applyExperimentEvent(seen, ev('variant-started', { variant: 'a', runId: 'r1' }), VARIANTS);
  seen = applyExperimentEvent(seen, ev('variant-finished', { variant: 'a', runId: 'r1', variantResult: fake('a') }), VARIANTS);
  seen = applyExperimentEvent(seen, ev('variant-started', { variant: 'b', runId: 'r2' }), VARIANTS);
  const merged = mergeRunning(seen, snap, VARIANTS);
  assert.deepEqual(merged.variants.map((v) => [v.state, v.runId]), [['completed', 'r1'], ['training', 'r2']]);
  assert.ok(merged.variants[0].result, 'the finished result from the event is kept');
  // Another session's view is replaced.
  assert.equal(mergeRunning({ ...seen, session: 'old' }, snap, VARIANTS).variants[0].state, 'training');
});

test('actions: start/stop act on the experiment open in the detail view; save-from-runs opens the form', async () => {
  const lab = fakeLab();
  const h = harness(undefined, { lab: lab as unknown as LabApi });
  const store = experimentsStoreFor(lab);
  await store.load();
  const names = h.manager.list().map((a) => a.name);
  for (const n of ['experiment.start', 'experiment.stop', 'experiment.saveFromRuns'] as const) assert.ok(names.includes(n), n);
  assert.equal(h.manager.isEnabled('experiment.start'), false, 'not in the experiments workspace');
  await h.manager.execute('view.experiments');
  assert.equal(h.manager.isEnabled('experiment.start'), false, 'the gallery is open');
  assert.match(store.problem('start')!, /Open an experiment/);
  store.open({ kind: 'builtin', id: 'x' });
  assert.equal(h.manager.isEnabled('experiment.start'), true);
  assert.equal(h.manager.isEnabled('experiment.stop'), false);
  assert.match(store.problem('stop')!, /is not running/);
  store.setConcurrency(2);
  assert.deepEqual(await h.manager.execute('experiment.start'), { ok: true });
  assert.deepEqual(lab.calls, ['start x ×2']);
  assert.equal(h.manager.isEnabled('experiment.start'), false, 'already running');
  assert.match(store.problem('start')!, /already running/);
  assert.equal(h.manager.isEnabled('experiment.stop'), true);
  await h.manager.execute('experiment.stop');
  assert.deepEqual(lab.calls, ['start x ×2', 'stop s1']);
  store.open({ kind: 'saved', id: 'mine' });
  assert.match(store.problem('start')!, /saved comparison/);

  await h.manager.execute('view.editor');
  await h.manager.execute('experiment.saveFromRuns');
  assert.equal(h.store.get().workspace, 'experiments');
  assert.equal(store.state.saving, true);
  store.dispose();
});
