import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent } from '../../../../src/shared/api';
import { templateById } from '../../../../src/shared/templates';
import { analyze } from '../../../../src/shared/graph/analyze';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import { runRecordSchema } from '../../../../src/shared/runs/runRecord';

const lenet = JSON.stringify(templateById('lenet_mnist')!.build());
const fresh = (): RunRegistry => new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-runs-')));
const quick = { epochs: 2, batchSize: 64, trainLimit: 1500, valLimit: 500, probeEvery: 5, backend: 'wasm' };

function collect(reg: RunRegistry): LabEvent[] {
  const events: LabEvent[] = [];
  reg.onEvent((e) => events.push(e));
  return events;
}

test('a real run learns MNIST digits, streams telemetry and writes its record', { timeout: 240_000 }, async () => {
  const reg = fresh();
  const events = collect(reg);
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 3, trainLimit: 3000, valLimit: 1000 } });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.ok(done.metrics!.val_accuracy > 0.9, `val accuracy ${done.metrics!.val_accuracy} should exceed 0.9`);
  const epochs = events.filter((e) => e.type === 'epoch');
  assert.equal(epochs.length, 3);
  const last = epochs[2];
  assert.ok(last.type === 'epoch');
  const cm = last.val.confusion!;
  assert.equal(cm.flat().reduce((a, b) => a + b, 0), 1000, 'the confusion matrix counts every validation sample');
  const probes = events.filter((e) => e.type === 'probe');
  assert.ok(probes.length > 0, 'probes were emitted');
  const p = probes[0];
  assert.ok(p.type === 'probe');
  const weights = p.layers.filter((l) => l.kind === 'weights');
  const graph = templateById('lenet_mnist')!.build();
  const trainable = Object.entries(analyze(graph).nodes).filter(([id, n]) => (n.cost?.params ?? 0) > 0 && !graph.nodes.find((m) => m.id === id)!.type.startsWith('norm/'));
  assert.equal(weights.length, trainable.length, 'one gradient probe per trainable layer');
  assert.deepEqual(weights.map((w) => w.node), trainable.map(([id]) => id), 'in network order, named by graph node');
  for (const w of weights) assert.ok(w.gradNorm! > 0 && Number.isFinite(w.gradNorm!) && w.weightHist!.counts.length === 32);
  assert.ok(p.layers.some((l) => l.kind === 'activation' && l.activation!.deadFraction !== undefined));

  const dir = reg.runDir(run.id);
  const record = runRecordSchema.parse(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')));
  assert.equal(record.state, 'completed');
  assert.equal(record.checkpoints.last, 'epoch-3');
  const lines = readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
  assert.ok(lines.some((l) => l.type === 'epoch' && l.epoch === 3));
  for (const f of ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin', 'progress.json']) assert.ok(existsSync(join(dir, 'checkpoints', 'epoch-3', f)), f);
});

test('a huge learning rate stops the run with a message naming the step and a layer', { timeout: 120_000 }, async () => {
  const reg = fresh();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, optimizer: { name: 'sgd', lr: 1e4 } } });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'failed');
  assert.match(done.error!, /became NaN\/Inf at step \d+/);
  assert.match(done.error!, /Lower the learning rate/);
});

test('a killed worker leaves a readable record; resume continues from the checkpoint step', { timeout: 240_000 }, async () => {
  const reg = fresh();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 3 } });
  const dir = reg.runDir(run.id);
  // Wait for the first epoch checkpoint, then kill the worker as an out-of-memory crash would.
  await new Promise<void>((resolve) => {
    const off = reg.onEvent((e) => {
      if (e.type === 'run-status' && e.run.epoch >= 1 && existsSync(join(dir, 'checkpoints', 'epoch-1'))) {
        off();
        resolve();
      }
    });
  });
  await reg.kill(run.id);
  const crashed = await reg.wait(run.id);
  assert.equal(crashed.state, 'failed');
  assert.match(crashed.error!, /worker/);
  const record = runRecordSchema.parse(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')));
  assert.equal(record.state, 'failed');
  const last = record.checkpoints.last!;
  const progress = JSON.parse(readFileSync(join(dir, 'checkpoints', last, 'progress.json'), 'utf8'));
  for (const f of ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin']) assert.ok(existsSync(join(dir, 'checkpoints', last, f)), `the last checkpoint is complete (${f})`);

  const events = collect(reg);
  await reg.controlRun({ id: run.id, action: 'resume' });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  const firstStep = events.find((e) => e.type === 'step');
  assert.ok(firstStep && firstStep.type === 'step');
  assert.ok(firstStep.step > progress.step, `resumed at step ${firstStep.step}, after the checkpoint's ${progress.step}`);
  assert.ok(firstStep.step <= progress.step + 10);
  assert.equal(done.epoch, 3);
});

test('pause holds the step counter and resume continues it', { timeout: 180_000 }, async () => {
  const reg = fresh();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 2 } });
  const steps: number[] = [];
  reg.onEvent((e) => {
    if (e.type === 'step') steps.push(e.step);
  });
  while (steps.length < 3) await new Promise((r) => setTimeout(r, 50));
  await reg.controlRun({ id: run.id, action: 'pause' });
  await new Promise((r) => setTimeout(r, 600));
  const atPause = steps.length;
  await new Promise((r) => setTimeout(r, 1200));
  assert.equal(steps.length, atPause, 'no steps while paused');
  await reg.controlRun({ id: run.id, action: 'resume' });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed');
  assert.ok(steps.length > atPause);
});

test('bad input is refused with clear messages', async () => {
  const reg = fresh();
  await assert.rejects(reg.startRun({ project: '{oops', dataset: 'mnist', config: {} }), /not valid JSON/);
  await assert.rejects(reg.startRun({ project: lenet, dataset: 'mnist', config: { epochs: 0 } }), /epochs/);
  await assert.rejects(reg.controlRun({ id: 'nope', action: 'resume' }), /no run 'nope'/);
});
