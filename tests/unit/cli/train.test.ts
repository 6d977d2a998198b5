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

test('train --config: a missing file, bad JSON or a non-object is one clear message (exit 2), no stack trace', { timeout: 60_000 }, async () => {
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-config-'));
  const bad = join(dir, 'bad.json');
  writeFileSync(bad, '{"epochs": 2,');
  const nul = join(dir, 'null.json');
  writeFileSync(nul, 'null');
  const cases: [string, RegExp][] = [
    [join(dir, 'missing.json'), /^error: --config: cannot read .*missing\.json: no such file$/m],
    [bad, /^error: --config: .*bad\.json is not valid JSON: /m],
    [nul, /^error: --config: .*null\.json must hold a JSON object of training settings/m],
    [dir, /^error: --config: cannot read .*: it is a folder$/m],
  ];
  const runs = await Promise.all(cases.map(([file]) => cli('lenet_mnist', '--dataset', 'mnist', '--config', file, '--out', join(dir, 'runs'))));
  runs.forEach((r, i) => {
    assert.equal(r.code, 2, r.out + r.err);
    assert.match(r.err, cases[i][1]);
    assert.doesNotMatch(r.err, /\n\s+at /, 'no stack trace');
  });
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
