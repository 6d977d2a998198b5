import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { LabEvent, RunSummary } from '../../../src/shared/api';
import { progressOf } from '../../../src/renderer/telemetry/progress';
import { RunTelemetry } from '../../../src/renderer/telemetry/run';

const summary = (o: Partial<RunSummary>): RunSummary => ({ id: 'r', name: 'r', state: 'running', createdAt: '', dataset: 'mnist', epoch: 1, epochs: 3, step: 0, ...o });
const step = (n: number, epoch: number): LabEvent => ({ type: 'step', runId: 'r', step: n, epoch, loss: 1, accuracy: 0.5, lr: 0.001, samplesPerSec: 640 });

test("a resumed run keeps its step total and ETA from the record's steps per epoch", () => {
  const run = new RunTelemetry('r');
  // A run loaded from its record (no Train-panel meta): the total comes from the summary.
  run.ingest({ type: 'run-status', run: summary({ step: 250, stepsPerEpoch: 234 }) });
  run.ingest({ type: 'resume', runId: 'r', step: 250, epoch: 2, batchInEpoch: 16, stepsPerEpoch: 234, exact: true, message: 'Resumed exactly', after: 'stop', checkpoint: 'last' });
  run.ingest(step(251, 2), 1_000);
  run.ingest(step(261, 2), 2_000);
  const p = progressOf(run, 2_000);
  assert.equal(p.totalSteps, 702);
  assert.equal(p.step, 261);
  assert.ok(p.eta !== null && Math.abs(p.eta - (702 - 261) / 10) < 1e-9, `ETA ${p.eta}`);
  assert.equal(run.resumes.length, 1);
});

test('an epoch restarted on resume drops the curve points after the restart', () => {
  const run = new RunTelemetry('r');
  for (let s = 1; s <= 15; s++) run.ingest(step(s, s > 10 ? 2 : 1));
  run.ingest({ type: 'resume', runId: 'r', step: 10, epoch: 2, batchInEpoch: 0, stepsPerEpoch: 10, exact: false, message: 'restarts', after: 'interrupted', checkpoint: 'epoch-1' });
  assert.deepEqual(run.steps.rows().map((r) => r.x), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
  assert.equal(run.stepsPerEpoch, 10, 'the resume marker carries the worker\'s count');
});
