// Real runs with data parallelism (config.workers): they learn, say how many threads they train on, and
// survive a kill with resume; workers: 1 keeps one thread and says why.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent } from '../../../../src/shared/api';
import { templateById } from '../../../../src/shared/templates';
import { RunRegistry } from '../../../../src/main/service/runs/registry';

const lenet = JSON.stringify(templateById('lenet_mnist')!.build());
const fresh = (): RunRegistry => new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-runs-')));
const quick = { epochs: 2, batchSize: 64, trainLimit: 1500, valLimit: 500, probeEvery: 5, backend: 'wasm' };
const logs = (events: LabEvent[]) => events.flatMap((e) => (e.type === 'log' ? [e.message] : []));
const threadCount = () => readdirSync('/proc/self/task').length;

test('a run on two threads learns MNIST digits and says so', { timeout: 240_000 }, async () => {
  const reg = fresh();
  const events: LabEvent[] = [];
  reg.onEvent((e) => events.push(e));
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 3, trainLimit: 3000, valLimit: 1000, workers: 2 } });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.ok(done.metrics!.val_accuracy > 0.9, `val accuracy ${done.metrics!.val_accuracy} should exceed 0.9`);
  assert.match(done.backend ?? '', /2 threads/);
  assert.ok(logs(events).some((m) => /^Training on 2 threads \(workers: 2\)/.test(m)), logs(events).join('\n'));
  assert.ok(events.some((e) => e.type === 'probe'), 'probes still come');
});

test('workers: 1 trains on one thread and logs why', { timeout: 120_000 }, async () => {
  const reg = fresh();
  const events: LabEvent[] = [];
  reg.onEvent((e) => events.push(e));
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 1, trainLimit: 256, workers: 1 } });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.doesNotMatch(done.backend ?? '', /threads/);
  assert.ok(logs(events).some((m) => m === 'Training on one thread: workers is 1 in the training config.'), logs(events).join('\n'));
});

test('a killed two-thread run resumes from its checkpoint; the helper threads go with it', { timeout: 240_000 }, async () => {
  const reg = fresh();
  const before = threadCount();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 3, workers: 2 } });
  const dir = reg.runDir(run.id);
  await new Promise<void>((resolve) => {
    const off = reg.onEvent((e) => {
      if (e.type === 'run-status' && e.run.epoch >= 1 && existsSync(join(dir, 'checkpoints', 'epoch-1'))) {
        off();
        resolve();
      }
    });
  });
  await reg.kill(run.id);
  assert.equal((await reg.wait(run.id)).state, 'failed');
  await new Promise((r) => setTimeout(r, 500));
  assert.ok(threadCount() <= before + 1, `threads: ${before} before the run, ${threadCount()} after the kill`);
  await reg.controlRun({ id: run.id, action: 'resume' });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.equal(done.epoch, 3);
});
