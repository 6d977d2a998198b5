import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseWorkers } from '../../../src/main/host/commands/train';
import { CliError } from '../../../src/main/host/commands/types';

const cli = (...args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'train', ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });

test('--workers: auto or a whole number of threads 1..16', () => {
  assert.equal(parseWorkers(undefined), undefined);
  assert.equal(parseWorkers('auto'), 'auto');
  assert.equal(parseWorkers('1'), 1);
  assert.equal(parseWorkers('4'), 4);
  assert.equal(parseWorkers('16'), 16);
  for (const bad of ['0', '17', '2.5', '-1', 'many', '', true] as const) {
    assert.throws(
      () => parseWorkers(bad),
      (e: unknown) => e instanceof CliError && e.exitCode === 2 && /--workers needs 'auto' or a whole number of threads from 1 to 16/.test(e.message),
      String(bad),
    );
  }
});

test('train --workers with a bad value exits 2 with a clear message before training', { timeout: 60_000 }, async () => {
  const r = await cli('lenet_mnist', '--dataset', 'mnist', '--workers', 'lots');
  assert.equal(r.code, 2, r.out + r.err);
  assert.match(r.err, /--workers needs 'auto' or a whole number of threads from 1 to 16, got 'lots'/);
  assert.doesNotMatch(r.out, /^run /m);
});

test('train <project file>: a broken project is refused with its errors, before any run folder exists', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-project-'));
  const file = join(dir, 'broken.netsmith.json');
  writeFileSync(file, JSON.stringify({ format: 'netsmith.project', graph: { edges: [null], schemaVersion: 'x' } }));
  const r = await cli(file, '--dataset', 'mnist', '--out', join(dir, 'runs'));
  assert.equal(r.code, 1, r.out + r.err);
  assert.match(r.err, /is not a valid Netsmith graph:\n {2}schemaVersion: must be a whole number from 1 to 2 \(found "x"\)/);
  assert.doesNotMatch(r.err, /\n\s+at /);
  assert.equal(existsSync(join(dir, 'runs')), false);
});
