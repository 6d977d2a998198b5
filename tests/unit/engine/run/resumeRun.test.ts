import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent, ResumeEvent, StepEvent } from '../../../../src/shared/api';
import { templateById } from '../../../../src/shared/templates';
import { RunRegistry } from '../../../../src/main/service/runs/registry';

const lenet = JSON.stringify(templateById('lenet_mnist')!.build());

test('Stop mid-epoch, then Resume: metrics.jsonl marks the resume and no step is logged twice; the step total is kept', { timeout: 240_000 }, async () => {
  const reg = new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-resume-')));
  // 1500 samples / 64 = 24 steps per epoch, 48 in all.
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { epochs: 2, batchSize: 64, trainLimit: 1500, valLimit: 300, probeEvery: 0, backend: 'wasm', workers: 1 } });
  await new Promise<void>((resolve) => {
    const off = reg.onEvent((e) => {
      if (e.type === 'step' && e.step >= 30) {
        off();
        void reg.controlRun({ id: run.id, action: 'stop' }).then(() => resolve());
      }
    });
  });
  const stopped = await reg.wait(run.id);
  assert.equal(stopped.state, 'stopped');
  assert.equal(stopped.stepsPerEpoch, 24, 'the summary carries the steps per epoch');
  assert.ok(stopped.step > 24 && stopped.step < 48, `stopped mid-epoch 2 at step ${stopped.step}`);

  await reg.controlRun({ id: run.id, action: 'resume' });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.equal(done.step, 48, 'the resumed run ends at the planned step total, not past it');
  assert.equal(done.stepsPerEpoch, 24);

  const events = readFileSync(join(reg.runDir(run.id), 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LabEvent);
  const markers = events.filter((e): e is ResumeEvent => e.type === 'resume');
  assert.equal(markers.length, 1, 'one resume marker');
  const m = markers[0];
  assert.equal(m.exact, true);
  assert.equal(m.step, stopped.step, 'it resumes from the step the stop left');
  assert.equal(m.epoch, 2);
  assert.equal(m.batchInEpoch, stopped.step - 24);
  const at = events.indexOf(m);
  const steps = (list: LabEvent[]) => list.filter((e): e is StepEvent => e.type === 'step').map((e) => e.step);
  const beforeSteps = steps(events.slice(0, at));
  const afterSteps = steps(events.slice(at));
  assert.ok(beforeSteps.every((s) => s <= m.step), 'before the marker: up to the stop');
  assert.ok(afterSteps.every((s) => s > m.step), 'after the marker: only new steps');
  const all = [...beforeSteps, ...afterSteps];
  assert.deepEqual(all, [...new Set(all)].sort((a, b) => a - b), 'steps strictly increase, none twice');
  assert.equal(all[all.length - 1], 48);
  const epochs = events.filter((e) => e.type === 'epoch').map((e) => (e.type === 'epoch' ? e.epoch : 0));
  assert.deepEqual(epochs, [1, 2], 'each epoch reported once');
  await reg.dispose();
});

test('after a crash, Resume from the epoch checkpoint marks the steps logged after it as trained again', { timeout: 240_000 }, async () => {
  const reg = new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-resume-crash-')));
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { epochs: 2, batchSize: 64, trainLimit: 1500, valLimit: 300, probeEvery: 0, backend: 'wasm', workers: 1 } });
  await new Promise<void>((resolve) => {
    const off = reg.onEvent((e) => {
      if (e.type === 'step' && e.step >= 28) {
        off();
        resolve();
      }
    });
  });
  await reg.kill(run.id);
  const crashed = await reg.wait(run.id);
  assert.equal(crashed.state, 'failed');
  assert.ok(crashed.step >= 28, `logged up to step ${crashed.step}`);
  await reg.controlRun({ id: run.id, action: 'resume' });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.equal(done.step, 48);
  const events = readFileSync(join(reg.runDir(run.id), 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LabEvent);
  const m = events.find((e): e is ResumeEvent => e.type === 'resume')!;
  assert.equal(m.step, 24, 'from the epoch-1 checkpoint');
  assert.equal(m.exact, false);
  assert.match(m.message, new RegExp(`Steps 25–${crashed.step} were logged after that checkpoint and are trained again`));
  const after = events.slice(events.indexOf(m)).filter((e): e is StepEvent => e.type === 'step').map((e) => e.step);
  assert.ok(after.every((s) => s > 24));
  await reg.dispose();
});
