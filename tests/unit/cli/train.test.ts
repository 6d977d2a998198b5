import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { parseWorkers } from '../../../src/main/host/commands/train';
import { CliError } from '../../../src/main/host/commands/types';
import { lossText } from '../../../src/main/host/format';

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

test('train prints the run\'s name (and --name/--tags set them); a diverging loss prints in exponent notation', { timeout: 120_000 }, async () => {
  const out = mkdtempSync(join(tmpdir(), 'netsmith-cli-names-'));
  const r = await cli('lenet_mnist', '--dataset', 'mnist', '--epochs', '1', '--limit', '64', '--batch', '32', '--workers', '1', '--tags', 'baseline, cli', '--out', out);
  assert.equal(r.code, 0, r.out + r.err);
  assert.match(r.out, /^run "LeNet \(MNIST 28×28\) · mnist · Adam 3e-3" \[baseline, cli\] \(\d{8}-\d{6}-[0-9a-f]{6}\) → /m);
  const named = await cli('lenet_mnist', '--dataset', 'mnist', '--epochs', '1', '--limit', '64', '--batch', '32', '--workers', '1', '--name', 'my digits', '--out', out);
  assert.match(named.out, /^run "my digits" \(/m);
  const bad = await cli('lenet_mnist', '--dataset', 'mnist', '--tags', 'x'.repeat(41), '--out', out);
  assert.equal(bad.code, 2);
  assert.match(bad.err, /--name\/--tags: a tag has at most 40 characters/);
  assert.equal(lossText(1266936844932325), '1.2669e+15');
  assert.equal(lossText(2.30258), '2.3026');
  assert.equal(lossText(NaN), 'NaN');
});
