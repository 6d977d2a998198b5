// Runs on the PyTorch engine through the run registry (one Python process per run, owned by the run's worker),
// with Debian's torch 1.13 at /usr/bin/python3 as in CI: learning with probes, stop and resume, a killed Python
// process, a terminated worker leaving no orphan, a corrupt checkpoint, and torch missing.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent, RunSummary } from '../../../../src/shared/api';
import { templateById } from '../../../../src/shared/templates';
import { RunRegistry } from '../../../../src/main/service/runs/registry';

process.env.NETSMITH_PYTHON = '/usr/bin/python3';
const lenet = JSON.stringify(templateById('lenet_mnist')!.build());
const fresh = (): RunRegistry => new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-torch-runs-')));
const quick = { epochs: 2, batchSize: 32, trainLimit: 960, valLimit: 300, probeEvery: 5, backend: 'torch', device: 'cpu', optimizer: { name: 'adam', lr: 0.002 } };

/** Our runner processes: children of this process running netsmith_runner. */
function runnerPids(): number[] {
  const out: number[] = [];
  for (const pid of readdirSync('/proc').filter((d) => /^\d+$/.test(d))) {
    try {
      const cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const ppid = Number(readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ')[1]);
      if (cmd.includes('netsmith_runner.run') && ppid === process.pid) out.push(Number(pid));
    } catch {
      // gone meanwhile
    }
  }
  return out;
}

/** Resolves at the first event that satisfies `f`; fails (instead of waiting out the test's timeout) after `ms`. */
function until(reg: RunRegistry, f: (e: LabEvent) => boolean, ms = 120_000): Promise<void> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      off();
      reject(new Error(`no such event within ${ms / 1000} s`));
    }, ms);
    const off = reg.onEvent((e) => {
      if (f(e)) {
        clearTimeout(timer);
        off();
        resolve();
      }
    });
  });
}

const waitGone = async (): Promise<number[]> => {
  for (let i = 0; i < 50 && runnerPids().length; i++) await new Promise((r) => setTimeout(r, 100));
  return runnerPids();
};

test('a PyTorch run learns MNIST digits, names engine, device and version, and fills every dashboard', { timeout: 300_000 }, async () => {
  const reg = fresh();
  const events: LabEvent[] = [];
  reg.onEvent((e) => events.push(e));
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: quick });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.match(done.backend ?? '', /^PyTorch · CPU · torch 1\.13/);
  assert.ok(done.metrics!.val_accuracy > 0.8, `val accuracy ${done.metrics!.val_accuracy}`);
  const probe = events.find((e) => e.type === 'probe');
  assert.ok(probe && probe.type === 'probe');
  const kinds = new Set(probe.layers.map((l) => l.kind));
  assert.ok(kinds.has('weights') && kinds.has('activation'), [...kinds].join());
  const w = probe.layers.find((l) => l.kind === 'weights')!;
  assert.ok(w.gradNorm! > 0 && w.weightNorm! > 0 && w.updateRatio! > 0 && w.weightHist!.counts.length === 32 && w.gradHist);
  const a = probe.layers.find((l) => l.kind === 'activation')!;
  assert.ok(a.activation!.deadFraction !== undefined && a.activation!.hist.counts.length === 32);
  const epoch = events.find((e) => e.type === 'epoch');
  assert.ok(epoch && epoch.type === 'epoch' && epoch.val.confusion && epoch.val.perClass!.length === 10 && epoch.val.cellSamples);
  const dir = reg.runDir(run.id);
  // A completed run has epoch-N and best (last is a stop's); epoch-1 is pruned by the keep policy (best, last, the newest epoch, every 5th).
  for (const name of ['epoch-2', 'best']) {
    assert.ok(existsSync(join(dir, 'checkpoints', name, 'torch.pt')), `${name}/torch.pt`);
    assert.ok(existsSync(join(dir, 'checkpoints', name, 'model.json')), `${name}/model.json (TF.js weights for Predict and Export)`);
  }
  assert.deepEqual(await waitGone(), [], 'no runner process is left');
});

test('stop writes last; resume continues from it with the PyTorch optimizer state', { timeout: 300_000 }, async () => {
  const reg = fresh();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 3 } });
  await until(reg, (e) => e.type === 'epoch' && e.epoch === 1);
  await reg.controlRun({ id: run.id, action: 'stop' });
  const stopped = await reg.wait(run.id);
  assert.equal(stopped.state, 'stopped', stopped.error);
  assert.ok(existsSync(join(reg.runDir(run.id), 'checkpoints', 'last', 'torch.pt')));
  await reg.controlRun({ id: run.id, action: 'resume' });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.equal(done.epoch, 3);
  assert.ok(done.metrics!.val_accuracy > 0.8, `val accuracy ${done.metrics!.val_accuracy}`);
});

test('a killed Python process fails the run with a clear message and keeps what was written', { timeout: 300_000 }, async () => {
  const reg = fresh();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 4 } });
  const dir = reg.runDir(run.id);
  await until(reg, (e) => e.type === 'run-status' && e.run.epoch >= 1 && existsSync(join(dir, 'checkpoints', 'epoch-1')));
  const pids = runnerPids();
  assert.equal(pids.length, 1, `one runner process per run: ${pids}`);
  process.kill(pids[0], 'SIGKILL');
  const done: RunSummary = await reg.wait(run.id);
  assert.equal(done.state, 'failed');
  assert.match(done.error ?? '', /the PyTorch process was killed \(SIGKILL\)/);
  assert.ok(existsSync(join(dir, 'checkpoints', 'epoch-1', 'torch.pt')), 'the checkpoint written before stays');
  assert.ok(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').includes('"type":"epoch"'), 'the telemetry stays');
  // It resumes from there.
  await reg.controlRun({ id: run.id, action: 'resume' });
  const resumed = await reg.wait(run.id);
  assert.equal(resumed.state, 'completed', resumed.error);
});

test('the NaN guard stops a PyTorch run naming the step and the first layer with a non-finite gradient', { timeout: 300_000 }, async () => {
  const reg = fresh();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, optimizer: { name: 'sgd', lr: 1e4 } } });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'failed');
  assert.match(done.error!, /became NaN\/Inf at step \d+, first in layer '[\w.]+'\. Lower the learning rate/);
  assert.deepEqual(await waitGone(), []);
});

test('terminating the run worker takes its Python process with it (no orphan)', { timeout: 300_000 }, async () => {
  const reg = fresh();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: quick });
  await until(reg, (e) => e.type === 'step');
  assert.equal(runnerPids().length, 1);
  await reg.kill(run.id);
  assert.equal((await reg.wait(run.id)).state, 'failed');
  assert.deepEqual(await waitGone(), [], 'the runner exits with its worker');
});

test('a corrupt torch.pt: resume fails with a message naming the checkpoint; the run folder is intact', { timeout: 300_000 }, async () => {
  const reg = fresh();
  const run = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...quick, epochs: 3 } });
  await until(reg, (e) => e.type === 'epoch' && e.epoch === 1);
  await reg.controlRun({ id: run.id, action: 'stop' });
  await reg.wait(run.id);
  const file = join(reg.runDir(run.id), 'checkpoints', 'last', 'torch.pt');
  writeFileSync(file, 'not a checkpoint');
  await reg.controlRun({ id: run.id, action: 'resume' });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'failed');
  assert.match(done.error ?? '', /the checkpoint last cannot be read/);
  assert.ok(existsSync(join(reg.runDir(run.id), 'checkpoints', 'epoch-1', 'model.json')));
});

test('torch missing: the run fails saying what each Python has and how to enable PyTorch', { timeout: 120_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-nopy-'));
  const fake = join(dir, 'python');
  writeFileSync(fake, `#!/bin/sh\necho '{"python": "3.12.0", "error": "ModuleNotFoundError: No module named torch"}'\n`);
  chmodSync(fake, 0o755);
  const { trainWithTorch } = await import('../../../../src/main/engine/torch/engine');
  const { compile } = await import('../../../../src/main/engine/compile/compile');
  const { loadDataset } = await import('../../../../src/main/engine/data/registry');
  const { trainConfigSchema } = await import('../../../../src/shared/training/config');
  const graph = templateById('lenet_mnist')!.build();
  const { dataset } = await loadDataset('mnist', { seed: 1 });
  await assert.rejects(
    trainWithTorch({ runDir: dir, graph, compiled: compile(graph), dataset, config: trainConfigSchema.parse(quick), python: fake, hooks: {} }),
    /PyTorch is not available \(.*python: Python 3\.12\.0 cannot import torch.*pip install torch/,
  );
});
