import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import type { LogEvent } from '../../../../src/shared/api';
import { templateById } from '../../../../src/shared/templates';
import { closeDecodePool } from '../../../../src/main/engine/data/image/decodePool';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import { datasetPreview } from '../../../../src/main/service/runs/previews';
import { skippedLines } from '../../../../src/main/host/commands/train';
import { MESSY_SKIPPED, messyFolder } from '../data/messy';
import { tempDir, writePng, writeText } from '../data/helpers';

const made: string[] = [];
after(async () => {
  await closeDecodePool();
  for (const d of made) rmSync(d, { recursive: true, force: true });
});

const messy = (): string => {
  const d = messyFolder();
  made.push(d);
  return d;
};

test("the Train panel's dataset summary (datasetPreview) carries a folder's skipped files; built-in sets have none", async () => {
  const p = await datasetPreview(messy(), 2);
  assert.deepEqual(p.dataset.classes, ['cat', 'dog']);
  assert.deepEqual(p.dataset.importReport?.skipped.map((s) => [s.path, s.reason]), MESSY_SKIPPED);
  assert.equal(p.dataset.importReport?.skippedTotal, 4);
  assert.deepEqual(p.dataset.importReport?.warnings, []);
  assert.equal((await datasetPreview('mnist', 1)).dataset.importReport, undefined);
});

test('train in the CLI prints each skipped file with its reason; metrics.jsonl has the list once', { timeout: 180_000 }, async () => {
  const folder = messy();
  const out = mkdtempSync(join(tmpdir(), 'netsmith-cli-runs-'));
  made.push(out);
  const r = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'train', 'lenet_mnist', '--dataset', folder, '--epochs', '1', '--limit', '16', '--batch', '8', '--workers', '1', '--out', out], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  assert.equal(r.code, 0, r.stdout + r.stderr);
  const block = ['warning: 4 files were skipped while importing the dataset:', ...MESSY_SKIPPED.map(([p, why]) => `  ${p}: ${why}`)].join('\n');
  assert.ok(r.stdout.includes(block), r.stdout);
  const [id] = readdirSync(out);
  const lines = readFileSync(join(out, id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEvent);
  const withList = lines.filter((e) => e.type === 'log' && e.skipped);
  assert.equal(withList.length, 1, 'one event lists the skipped files');
  assert.deepEqual(withList[0].skipped!.map((s) => [s.path, s.reason]), MESSY_SKIPPED);
  assert.equal(lines.filter((e) => e.type === 'log' && /broken\.jpg/.test(e.message)).length, 0, 'no file is logged a second time as a line of its own');
});

test('skippedLines counts the files beyond the listed ones', () => {
  const e: LogEvent = { type: 'log', runId: 'r', level: 'warning', message: '', skipped: [{ path: 'a.png', reason: 'x' }, { path: 'l.txt', line: 3, reason: 'y' }], skippedTotal: 7 };
  assert.deepEqual(skippedLines(e), ['  a.png: x', '  l.txt:3: y', '  … and 5 more']);
});

test('a run on a YOLO folder whose classes.txt is a FIFO fails at once with a message naming it (it used to stay queued forever)', { timeout: 120_000 }, async () => {
  const root = tempDir();
  for (let i = 0; i < 4; i++) {
    writePng(join(root, 'images', `${i}.png`), 16, 16, () => [i * 40, 80, 0]);
    writeText(join(root, 'labels', `${i}.txt`), '0 0.5 0.5 0.5 0.5\n');
  }
  execFileSync('mkfifo', [join(root, 'classes.txt')]);
  const reg = new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-runs-')));
  const run = await reg.startRun({ project: JSON.stringify(templateById('yolo_nano')!.build()), dataset: root, config: { epochs: 1, backend: 'wasm' } });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'failed');
  assert.equal(done.error, 'classes.txt cannot be read: it is a FIFO (named pipe), not a regular file');
});
