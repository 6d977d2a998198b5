// Real processes: a `sweep` killed with SIGKILL mid-sweep leaves a consistent sweep.json; the next process lists it
// as interrupted, and `sweep resume` finishes it without repeating the finished trial or restarting the cut-off one.
import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { sweepDocSchema } from '../../../src/shared/sweeps/types';

const home = mkdtempSync(join(tmpdir(), 'netsmith-sweep-kill-'));
after(() => rmSync(home, { recursive: true, force: true }));
const env = { ...process.env, NETSMITH_HOME: home };
const cliArgs = (...args: string[]) => ['--import', 'tsx', 'src/main/host/cli.ts', 'sweep', ...args];
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, cliArgs(...args), { encoding: 'utf8', env });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
interface Line {
  type: string;
  phase?: string;
  sweep?: string;
  state?: string;
  trial?: { index: number; state: string; runId?: string; curve: unknown[] };
}

test('a sweep killed with SIGKILL mid-trial is listed as interrupted and resumes without repeating finished trials', { timeout: 480_000 }, async () => {
  const space = join(home, 'space.json');
  writeFileSync(space, JSON.stringify({ lr: { choice: [1e-3, 3e-3, 1e-2] } }));
  const config = join(home, 'config.json');
  writeFileSync(config, JSON.stringify({ valLimit: 200, probeEvery: 0, checkpointEvery: 1 }));
  const child = spawn(process.execPath, cliArgs('lenet', '--dataset', 'mnist', '--space', space, '--trials', '3', '--strategy', 'grid', '--prune', 'none', '--epochs', '3', '--limit', '600', '--batch', '32', '--workers', '1', '--config', config, '--json'), { env, stdio: ['ignore', 'pipe', 'pipe'] });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<NodeJS.Signals | null>((r) => child.once('exit', (_code, signal) => r(signal)));
  let id = '';
  // Kill once trial 1 has finished and trial 2 has finished its first epoch (so its run has a checkpoint).
  const seen: Line[] = [];
  for await (const text of createInterface({ input: child.stdout })) {
    const line = JSON.parse(text) as Line;
    seen.push(line);
    id ||= line.sweep ?? '';
    if (line.phase === 'trial-epoch' && line.trial?.index === 1 && line.trial.curve.length === 1) {
      // The epoch event can come before the epoch's checkpoint is on disk; kill once it is, so that the cut-off
      // trial has a checkpoint to continue from (a kill before it makes the trial start a fresh run).
      const runJson = join(home, 'runs', line.trial.runId ?? '', 'run.json');
      for (let i = 0; i < 300; i++) {
        const ck = (() => { try { return (JSON.parse(readFileSync(runJson, 'utf8')) as { checkpoints?: { last?: string } }).checkpoints?.last; } catch { return undefined; } })();
        if (ck) break;
        await new Promise((r) => setTimeout(r, 50));
      }
      child.kill('SIGKILL');
      break;
    }
  }
  assert.equal(await exited, 'SIGKILL', `the sweep ended before it was killed: ${stderr}`);
  assert.ok(id, 'the sweep printed its id');
  const firstRun = seen.find((l) => l.phase === 'trial-finished' && l.trial?.index === 0)?.trial?.runId;
  assert.ok(firstRun, 'trial 1 finished before the kill');

  // sweep.json is whole and valid: it still says running, for a process that is gone.
  const disk = sweepDocSchema.parse(JSON.parse(readFileSync(join(home, 'sweeps', id, 'sweep.json'), 'utf8')));
  assert.equal(disk.state, 'running');
  assert.equal(disk.results[0].state, 'completed');
  assert.equal(disk.results[0].runId, firstRun);
  assert.equal(disk.results[1].state, 'running');
  const cutRun = disk.results[1].runId!;
  assert.ok(cutRun);

  // A new process lists it as interrupted, with the trial in flight interrupted.
  const listed = JSON.parse(cli('list', '--json').out) as { id: string; state: string; done: number }[];
  assert.deepEqual(listed.map((s) => [s.id, s.state]), [[id, 'interrupted']]);
  const shown = JSON.parse(cli('show', id, '--json').out) as { state: string; results: { state: string }[] };
  assert.deepEqual(shown.results.map((t) => t.state), ['completed', 'interrupted']);

  // Resume: trial 2 continues its own run from its checkpoint, trial 3 starts; trial 1 is not trained again.
  const r = cli('resume', id, '--json');
  assert.equal(r.code, 0, r.err);
  const lines = r.out.trim().split('\n').map((l) => JSON.parse(l) as Line);
  assert.deepEqual(
    lines.filter((l) => l.phase === 'trial-started').map((l) => l.trial!.index),
    [1, 2],
  );
  assert.equal(lines.at(-1)!.state, 'completed');
  const done = sweepDocSchema.parse(JSON.parse(readFileSync(join(home, 'sweeps', id, 'sweep.json'), 'utf8')));
  assert.equal(done.state, 'completed');
  assert.deepEqual(done.results.map((t) => t.state), ['completed', 'completed', 'completed']);
  assert.deepEqual(done.results.map((t) => t.params.lr), [1e-3, 3e-3, 1e-2], 'grid order, no point repeated');
  assert.equal(done.results[0].runId, firstRun);
  assert.equal(done.results[1].runId, cutRun, 'the cut-off trial continued its own run');
  assert.equal(done.results[1].restarts, 0);
  assert.ok(done.results.every((t) => t.curve.length === 3 && t.curve.every((v) => typeof v === 'number')), JSON.stringify(done.results.map((t) => t.curve)));
  // Three runs in all: none was started twice. The cut-off one resumed (its log says so); the finished one did not.
  const runs = readdirSync(join(home, 'runs'), { withFileTypes: true }).filter((d) => d.isDirectory()).map((d) => d.name);
  assert.equal(runs.length, 3, runs.join(', '));
  const resumes = (run: string) => readFileSync(join(home, 'runs', run, 'metrics.jsonl'), 'utf8').trim().split('\n').filter((l) => (JSON.parse(l) as { type: string }).type === 'resume').length;
  assert.equal(resumes(firstRun), 0);
  assert.equal(resumes(cutRun), 1);
});
