import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { GraphBuilder } from '../../../src/shared/graph/builder';

const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', ...args], { encoding: 'utf8' });
  return { code: r.status, out: r.stdout, err: r.stderr };
};
const dir = mkdtempSync(join(tmpdir(), 'netsmith-cli-'));

test('templates lists every template with its parameter count', () => {
  const r = cli('templates', '--json');
  assert.equal(r.code, 0, r.err);
  const rows = JSON.parse(r.out) as { id: string; params: number }[];
  assert.equal(rows.find((t) => t.id === 'resnet18')!.params, 11_689_512);
  assert.ok(rows.length >= 19);
});

test('inspect --json gives per-layer shapes and the totals', () => {
  const r = cli('inspect', 'lenet5', '--json');
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.equal(out.totals.params, 61_706);
  assert.equal(out.totals.flops, 2 * 416_520);
  const conv = out.layers.find((l: { type: string }) => l.type === 'core/conv2d');
  assert.deepEqual(conv.outputShape, [null, 28, 28, 6]);
});

test('inspect prints a table for a project file', () => {
  const b = new GraphBuilder({ name: 'tiny', input: [8, 8, 1] });
  const x = b.add('core/conv2d', { filters: 4 }, b.input(), { label: 'c1' });
  b.add('core/dense', { units: 2 }, b.add('reshape/flatten', {}, x));
  const file = join(dir, 'tiny.netsmith.json');
  writeFileSync(file, JSON.stringify({ format: 'netsmith.project', graph: b.build() }));
  const r = cli('inspect', file);
  assert.equal(r.code, 0, r.err);
  assert.match(r.out, /c1\s+Conv2D\s+B×8×8×4\s+40/);
  assert.match(r.out, /Total: 554 params/);
});

test('bad input: a clear message and a non-zero exit', () => {
  let r = cli('inspect', join(dir, 'missing.json'));
  assert.equal(r.code, 2);
  assert.match(r.err, /neither a template nor an existing file/);

  const broken = join(dir, 'broken.json');
  writeFileSync(broken, '{"nodes": [');
  r = cli('inspect', broken);
  assert.equal(r.code, 1);
  assert.match(r.err, /not a valid Netsmith graph:\n\s+\(file\): not valid JSON/);

  const b = new GraphBuilder({ name: 'mismatch', input: [32, 32, 3] });
  const x = b.input();
  const a = b.add('core/conv2d', { filters: 8 }, x, { label: 'wide' });
  const c = b.add('core/conv2d', { filters: 8, stride: 2 }, x, { label: 'strided' });
  b.add('merge/add', {}, [a, c], { label: 'sum' });
  const bad = join(dir, 'mismatch.json');
  writeFileSync(bad, JSON.stringify(b.build()));
  r = cli('inspect', bad);
  assert.equal(r.code, 1);
  assert.match(r.err, /Add 'sum': cannot add 'wide' \(32×32×8\) and 'strided' \(16×16×8\)/);

  r = cli('frobnicate');
  assert.equal(r.code, 2);
  assert.match(r.err, /Unknown command 'frobnicate'/);
});

test('a classifier head that is not a vector: inspect shows the table and why it cannot train; train refuses without a stack trace', () => {
  const b = new GraphBuilder({ name: 'bad head', input: [28, 28, 1] });
  b.add('core/dense', { units: 10 }, b.input(), { id: 'dense_1' });
  const file = join(dir, 'bad-head.netsmith.json');
  writeFileSync(file, JSON.stringify({ format: 'netsmith.project', graph: b.build() }));
  const i = cli('inspect', file);
  assert.equal(i.code, 0, i.err);
  assert.match(i.out, /dense_1 +Dense +B×28×28×10/);
  assert.match(i.out, /cannot train: Add Flatten or Global Average Pool before 'dense_1'/);
  const t = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'train', file, '--dataset', 'mnist', '--epochs', '1'], { encoding: 'utf8', env: { ...process.env, NETSMITH_HOME: dir } });
  assert.equal(t.status, 2, 'an invalid graph is the user\'s input: exit code of kind invalid');
  assert.match(t.stderr, /^error: The graph has errors: Add Flatten or Global Average Pool before 'dense_1'/);
  assert.doesNotMatch(t.stderr, /at RunRegistry|LabError/);
});
