import { emptyGraph } from '../../../src/renderer/core/state';
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabEvent } from '../../../src/shared/api';
import { rebin, quantiles, rangeOf } from '../../../src/renderer/telemetry/hist';
import { MAX_FRAMES, ProbeHistory } from '../../../src/renderer/telemetry/probes';
import { progressOf } from '../../../src/renderer/telemetry/progress';
import { LOG_CAPACITY, RECENT_PROBES, STEP_CAPACITY } from '../../../src/renderer/telemetry/run';
import { DecimatingSeries, RingBuffer, ema, thin } from '../../../src/renderer/telemetry/series';
import { TelemetryStore } from '../../../src/renderer/telemetry/store';
import { syntheticStream, syntheticSummary } from './fixtures/syntheticTelemetry';

test('RingBuffer keeps the last N in order', () => {
  const r = new RingBuffer<number>(3);
  for (let i = 1; i <= 5; i++) r.push(i);
  assert.deepEqual(r.toArray(), [3, 4, 5]);
  assert.equal(r.last(), 5);
  assert.equal(r.at(0), 3);
  assert.equal(r.length, 3);
});

test('DecimatingSeries covers the whole run in bounded points, averaging merged points', () => {
  const s = new DecimatingSeries(['v'] as const, 8);
  for (let i = 1; i <= 8; i++) s.push(i, { v: i });
  assert.equal(s.length, 8);
  assert.equal(s.resolution, 1);
  s.push(9, { v: 9 }); // full: pairs merge, stride 2
  assert.equal(s.resolution, 2);
  const rows = s.rows();
  assert.deepEqual(rows.map((r) => r.x), [2, 4, 6, 8, 9]);
  assert.deepEqual(rows.map((r) => r.v), [1.5, 3.5, 5.5, 7.5, 9]);
  for (let i = 10; i <= 1000; i++) s.push(i, { v: i });
  assert.ok(s.length <= 9);
  const r2 = s.rows();
  assert.equal(r2[r2.length - 1].x, 1000, 'the newest step is always there');
  assert.ok(r2[0].x <= 128, 'the start of the run is still covered');
});

test('DecimatingSeries ignores missing values per column', () => {
  const s = new DecimatingSeries(['a', 'b'] as const, 4);
  s.push(1, { a: 1 });
  s.push(2, { a: 3, b: 2 });
  const rows = s.rows();
  assert.ok(Number.isNaN(rows[0].b));
  assert.equal(rows[1].b, 2);
});

test('ema is debiased and thin keeps ends and spikes', () => {
  const e = ema([1, 1, 1, 1], 0.9);
  for (const v of e) assert.ok(Math.abs(v - 1) < 1e-12);
  const rows = Array.from({ length: 1000 }, (_, i) => ({ x: i, y: i === 500 ? 100 : 0 }));
  const t = thin(rows, 50, 'y');
  assert.ok(t.length <= 50);
  assert.equal(t[0].x, 0);
  assert.equal(t[t.length - 1].x, 999);
  assert.ok(t.some((r) => r.y === 100), 'the spike survives');
});

test('rebin preserves mass and maps onto a common range', () => {
  const h = { min: 0, max: 1, counts: [1, 2, 3, 4] };
  const out = rebin(h, -1, 1, 8);
  assert.ok(Math.abs(out.reduce((a, b) => a + b, 0) - 10) < 1e-9);
  assert.equal(out[0] + out[1] + out[2] + out[3], 0, 'nothing below 0');
  assert.deepEqual(Array.from(out.slice(4)), [1, 2, 3, 4]);
  const point = rebin({ min: 0.35, max: 0.35, counts: [0, 5, 0] }, 0, 1, 10);
  assert.equal(point[3], 5);
  assert.deepEqual(rangeOf([h, { min: -2, max: 0.5, counts: [1] }, undefined]), [-2, 1]);
  const [q50] = quantiles({ min: 0, max: 4, counts: [1, 1, 1, 1] }, [0.5]);
  assert.ok(Math.abs(q50 - 2) < 1e-9);
});

test('ProbeHistory thins to its capacity and always holds the newest probe', () => {
  const h = new ProbeHistory();
  const events = [...syntheticStream({ steps: 20 * 600, probeEvery: 20, stepsPerEpoch: 1000 })].filter((e) => e.type === 'probe');
  for (const e of events) h.push(e);
  assert.ok(h.length <= h.capacity && h.capacity <= MAX_FRAMES);
  const frames = h.list();
  assert.equal(frames[frames.length - 1].step, events[events.length - 1].step);
  assert.ok(frames[0].step < events[events.length - 1].step / 4, 'the history reaches back to the start');
  for (let i = 1; i < frames.length; i++) assert.ok(frames[i].step > frames[i - 1].step);
});

test('the store routes events per run and keeps the live run', () => {
  const store = new TelemetryStore({ throttleMs: 0 });
  let calls = 0;
  store.subscribe(() => calls++);
  store.ingest({ type: 'run-status', run: syntheticSummary('a', 'running', 2) });
  store.ingest({ type: 'step', runId: 'a', step: 1, epoch: 1, loss: 2, lr: 0.1, samplesPerSec: 10 });
  store.ingest({ type: 'menu', command: 'file.save' });
  assert.equal(store.live, 'a');
  assert.equal(store.current()?.lastStep?.step, 1);
  assert.equal(calls, 2);
  // Notifications are coalesced when throttled.
  const slow = new TelemetryStore({ throttleMs: 10_000 });
  let n = 0;
  slow.subscribe(() => n++);
  for (let i = 0; i < 50; i++) slow.ingest({ type: 'step', runId: 'b', step: i + 1, epoch: 1, loss: 1, lr: 0.1, samplesPerSec: 1 });
  assert.equal(n, 0);
  slow.flush();
  assert.equal(n, 1);
});

test('old runs are evicted, except the live and the selected one', () => {
  const store = new TelemetryStore({ throttleMs: 0, maxRuns: 3 });
  store.ingest({ type: 'run-status', run: syntheticSummary('live', 'running', 1) });
  store.select('shown');
  for (const id of ['x1', 'x2', 'x3', 'x4']) store.ingest({ type: 'step', runId: id, step: 1, epoch: 1, loss: 1, lr: 1, samplesPerSec: 1 });
  assert.ok(store.has('live') && store.has('shown'));
  assert.ok(store.ids().length <= 3);
});

test('a 10,000-step telemetry stream stays within bounded memory', () => {
  const store = new TelemetryStore({ throttleMs: 0 });
  const STEPS = 10_000;
  let probes = 0;
  let epochs = 0;
  let sizeAtQuarter = 0;
  let i = 0;
  for (const e of syntheticStream({ runId: 'long', steps: STEPS, stepsPerEpoch: 200, probeEvery: 10, layers: 20, valSize: 500 })) {
    store.ingest(e);
    if (e.type === 'probe') probes++;
    if (e.type === 'epoch') epochs++;
    if (e.type === 'step' && ++i === STEPS / 4) sizeAtQuarter = store.bytes();
    if (e.type === 'step' && i % 7 === 0) store.ingest({ type: 'log', runId: 'long', level: 'info', message: `log ${i}` });
  }
  const run = store.get('long')!;
  // Steps: decimated, capped, covering the run.
  assert.ok(run.steps.length <= STEP_CAPACITY + 1, `steps ${run.steps.length}`);
  const rows = run.steps.rows();
  assert.equal(rows[rows.length - 1].x, STEPS);
  assert.ok(rows[0].x <= 10);
  // Every epoch's scalars are kept; the full evaluation report only for the last one.
  assert.equal(epochs, 50);
  assert.equal(run.epochs.length, 50);
  assert.equal(run.lastEval?.epoch, 50);
  // Probes: 1000 arrived, the history is capped, and three full ones are kept.
  assert.equal(probes, 1000);
  assert.ok(run.probes.length <= run.probes.capacity && run.probes.capacity <= MAX_FRAMES, `frames ${run.probes.length}`);
  assert.equal(run.recentProbes.length, RECENT_PROBES);
  assert.equal(run.logs.length, LOG_CAPACITY);
  // The retained size does not grow with the run's length beyond the caps.
  const size = store.bytes();
  assert.ok(size < 16 * 1024 * 1024, `retained ${size} bytes`);
  assert.ok(size < sizeAtQuarter * 2.5, `grew from ${sizeAtQuarter} to ${size}`);
  // A run four times as long retains about the same.
  const store2 = new TelemetryStore({ throttleMs: 0 });
  for (const e of syntheticStream({ runId: 'longer', steps: STEPS * 4, stepsPerEpoch: 200, probeEvery: 10, layers: 20, valSize: 500 })) store2.ingest(e);
  const r2 = store2.get('longer')!;
  assert.ok(r2.steps.length <= STEP_CAPACITY + 1);
  assert.ok(r2.probes.length <= r2.probes.capacity);
  assert.ok(store2.bytes() < size * 1.6, `${store2.bytes()} vs ${size}`);
});

test('progress and ETA from the pace of recent steps; none while paused', () => {
  let now = 0;
  const store = new TelemetryStore({ throttleMs: 0, now: () => now });
  store.ingest({ type: 'run-status', run: { ...syntheticSummary('p', 'running', 2), stepsPerEpoch: 100 } });
  store.setMeta('p', { config: { batchSize: 32 } });
  for (let s = 1; s <= 50; s++) {
    now = s * 100; // 10 steps/s
    store.ingest({ type: 'step', runId: 'p', step: s, epoch: 1, loss: 1, lr: 1, samplesPerSec: 320 } as LabEvent);
  }
  const p = progressOf(store.get('p')!, now);
  assert.equal(p.totalSteps, 200);
  assert.equal(p.fraction, 0.25);
  assert.ok(p.eta !== null && Math.abs(p.eta - 15) < 0.5, `eta ${p.eta}`);
  store.ingest({ type: 'run-status', run: { ...syntheticSummary('p', 'paused', 2), step: 50 } });
  assert.equal(progressOf(store.get('p')!, now).eta, null);
});

test('a past run loads from its record', () => {
  const store = new TelemetryStore({ throttleMs: 0 });
  const events = [...syntheticStream({ runId: 'old', steps: 400, stepsPerEpoch: 100 })];
  const run = store.load({ summary: { ...syntheticSummary('old', 'completed', 4, 400), stepsPerEpoch: 100 }, config: { epochs: 4, batchSize: 32 }, graph: emptyGraph(), classes: ['a', 'b'], events });
  assert.equal(run.epochs.length, 4);
  assert.deepEqual(run.meta.config, { epochs: 4, batchSize: 32 });
  assert.deepEqual(run.meta.classes, ['a', 'b']);
  assert.equal(run.stepsPerEpoch, 100);
  assert.equal(run.state, 'completed');
});
