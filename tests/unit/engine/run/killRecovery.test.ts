import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import type { ResumeEvent } from '../../../../src/shared/api';
import { runRecordSchema } from '../../../../src/shared/runs/runRecord';
import { processAlive } from '../../../../src/main/util/atomicWrite';

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

test('kill -9 of a host mid-run: the next start finds the run interrupted and resumes it from its checkpoint', { timeout: 240_000 }, async () => {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-kill-'));
  const runsDir = join(home, 'runs');
  const config = join(home, 'config.json');
  writeFileSync(config, JSON.stringify({ valLimit: 300, probeEvery: 0, backend: 'wasm', workers: 1, checkpointKeepEvery: 2 }));
  // A real host process (the CLI) trains the run in its worker thread.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'train', 'lenet_mnist', '--dataset', 'mnist', '--epochs', '3', '--limit', '1200', '--batch', '64', '--config', config, '--out', runsDir, '--json'], {
    stdio: ['ignore', 'ignore', 'pipe'],
    env: { ...process.env, NETSMITH_HOME: home },
  });
  let stderr = '';
  child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
  const exited = new Promise<void>((r) => child.on('exit', () => r()));

  // Once run.json points at the first epoch checkpoint, kill the host the hard way.
  let found: string | undefined;
  for (let waited = 0; !found; waited += 100) {
    assert.ok(waited < 180_000 && child.exitCode === null, `the child trained to a checkpoint (stderr: ${stderr})`);
    const id = existsSync(runsDir) ? readdirSync(runsDir)[0] : undefined;
    const text = id && existsSync(join(runsDir, id, 'run.json')) ? readFileSync(join(runsDir, id, 'run.json'), 'utf8') : '';
    if (text && JSON.parse(text).checkpoints?.last) found = join(runsDir, id!);
    else await sleep(100);
  }
  const runDir = found;
  child.kill('SIGKILL');
  await exited;
  assert.equal(processAlive(child.pid!), false);
  const killed = runRecordSchema.parse(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8')));
  assert.equal(killed.state, 'running', 'run.json still says running: nobody was left to say otherwise');
  assert.equal(killed.pid, child.pid);

  // The next host start.
  const reg = new RunRegistry(runsDir);
  const report = await reg.recover();
  assert.deepEqual(report.interrupted, [killed.id]);
  const [listed] = await reg.listRuns();
  assert.equal(listed.state, 'interrupted');
  const from = runRecordSchema.parse(JSON.parse(readFileSync(join(runDir, 'run.json'), 'utf8'))).checkpoints.last!;
  const progress = JSON.parse(readFileSync(join(runDir, 'checkpoints', from, 'progress.json'), 'utf8')) as { epoch: number; step: number };

  await reg.controlRun({ id: killed.id, action: 'resume' });
  const done = await reg.wait(killed.id);
  assert.equal(done.state, 'completed', done.error);
  assert.equal(done.epoch, 3);

  const lines = readFileSync(join(runDir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; step?: number });
  const at = lines.findIndex((l) => l.type === 'resume');
  assert.ok(at > 0, 'a resume marker was written');
  const marker = lines[at] as unknown as ResumeEvent;
  assert.deepEqual(
    { type: marker.type, runId: marker.runId, after: marker.after, checkpoint: marker.checkpoint, step: marker.step },
    { type: 'resume', runId: killed.id, after: 'interrupted', checkpoint: from, step: progress.step },
  );
  const firstStep = lines.slice(at).find((l) => l.type === 'step');
  assert.ok(firstStep && firstStep.step! > progress.step, `training continued after the checkpoint's step ${progress.step}`);
  assert.equal(lines.filter((l) => l.type === 'resume').length, 1);

  // Kept by policy (every 2nd epoch, the newest, best): epoch-1 went once epoch-2 was recorded.
  const kept = readdirSync(join(runDir, 'checkpoints')).sort();
  assert.deepEqual(kept.filter((n) => n.startsWith('epoch-')), ['epoch-2', 'epoch-3']);
  assert.ok(kept.every((n) => !n.startsWith('.')), `no temp folders left: ${kept.join(', ')}`);
  await reg.dispose();
});
