import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'netsmith-sweep-cli-'));
after(() => rmSync(home, { recursive: true, force: true }));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'sweep', ...args], { encoding: 'utf8', env: { ...process.env, NETSMITH_HOME: home } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const space = (name: string, value: unknown) => {
  const file = join(home, name);
  writeFileSync(file, typeof value === 'string' ? value : JSON.stringify(value));
  return file;
};

test('bad space files and options get one clear message and exit 2, nothing is written', () => {
  let r = cli('lenet', '--dataset', 'mnist', '--space', space('a.json', { 'convX.filters': { intUniform: [8, 64] } }), '--trials', '3');
  assert.equal(r.code, 2);
  assert.match(r.err, /convX\.filters: not a training setting .* the blocks are .*conv1/);
  assert.doesNotMatch(r.err, /at .*\.ts:\d+/, 'no stack trace');
  r = cli('lenet', '--dataset', 'mnist', '--space', space('b.json', '{"lr": [1, 2]'), '--trials', '3');
  assert.equal(r.code, 2);
  assert.match(r.err, /not valid JSON/);
  r = cli('lenet', '--dataset', 'mnist', '--space', space('c.json', { lr: { logUniform: [1e-5, 1] } }), '--trials', '3', '--strategy', 'bayes');
  assert.equal(r.code, 2);
  assert.match(r.err, /--strategy must be one of grid, random, tpe/);
  r = cli('resume', 'sweep-nope');
  assert.equal(r.code, 3);
  assert.match(r.err, /no sweep 'sweep-nope'/);
});

test('a real sweep: LeNet on MNIST, 6 trials of 1 epoch, finds a learning rate in the known good range', { timeout: 600_000 }, () => {
  // Adam on LeNet: ~1e-3 to 1e-2 trains well in one short epoch; 1e-5 barely moves, above ~3e-2 it diverges to chance.
  const file = space('lr.json', { lr: { logUniform: [1e-5, 1] } });
  const t0 = Date.now();
  const r = cli('lenet', '--dataset', 'mnist', '--space', file, '--trials', '6', '--parallel', '2', '--epochs', '1', '--limit', '2000', '--workers', '1', '--json');
  const seconds = (Date.now() - t0) / 1000;
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as { type: string; phase?: string; trial?: { params: { lr: number }; value?: number; state: string }; best?: { params: { lr: number }; value: number; runId: string } });
  const result = lines.at(-1)!;
  assert.equal(result.type, 'result');
  const finished = lines.filter((l) => l.phase === 'trial-finished').map((l) => l.trial!);
  assert.equal(finished.length, 6);
  console.log(`real sweep: ${seconds.toFixed(0)} s; trials ${finished.map((t) => `lr ${t.params.lr.toExponential(1)} → ${t.value?.toFixed(3)} (${t.state})`).join(', ')}; best lr ${result.best!.params.lr.toExponential(2)} val_accuracy ${result.best!.value}`);
  assert.ok(result.best!.params.lr >= 3e-4 && result.best!.params.lr <= 3e-2, `best lr ${result.best!.params.lr}`);
  assert.ok(result.best!.value > 0.6, `best val accuracy ${result.best!.value}`);
  // The best trial is a normal run: its run.json names the sweep and carries its tag.
  const run = JSON.parse(readFileSync(join(home, 'runs', result.best!.runId, 'run.json'), 'utf8')) as { name: string; tags: string[]; state: string };
  assert.equal(run.state, 'completed');
  assert.match(run.name, /^Trial \d · Sweep · LeNet \(MNIST 28×28\) · mnist$/);
  assert.match(run.tags[0], /^sweep:/);
  const listed = JSON.parse(cli('list', '--json').out) as { state: string; done: number }[];
  assert.equal(listed[0].state, 'completed');
  assert.equal(listed[0].done, 6);
});
