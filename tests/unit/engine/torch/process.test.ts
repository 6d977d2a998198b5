// The pipe to the run's Python process: a process that dies while the lab is writing to it must end the
// write with the reason, never leave the run waiting for a drain that cannot come.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunnerError, RunnerProcess } from '../../../../src/main/engine/torch/process';

/** A stand-in "python" that never reads its stdin, so the lab's writes fill the pipe. */
function deafPython(): string {
  const file = join(mkdtempSync(join(tmpdir(), 'netsmith-deaf-')), 'python');
  writeFileSync(file, '#!/bin/sh\nexec sleep 60\n');
  chmodSync(file, 0o755);
  return file;
}

test('a process killed while a write waits for the pipe to drain rejects the write with the reason', { timeout: 20_000 }, async () => {
  const proc = new RunnerProcess(deafPython());
  const big = new Uint8Array(8 << 20); // far more than a pipe holds
  const write = proc.send({ op: 'train' }, big);
  await new Promise((r) => setTimeout(r, 200));
  proc.kill();
  await assert.rejects(write, (e: unknown) => e instanceof RunnerError && /was killed \(SIGKILL\)/.test(e.message));
  await assert.rejects(proc.send({ op: 'train' }), RunnerError, 'later writes fail at once');
});
