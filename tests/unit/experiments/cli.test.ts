import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const home = mkdtempSync(join(tmpdir(), 'netsmith-exp-home-'));
after(() => rmSync(home, { recursive: true, force: true }));
const cli = (...args: string[]) => {
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'experiment', ...args], { encoding: 'utf8', env: { ...process.env, NETSMITH_HOME: home } });
  return { code: r.status, out: r.stdout, err: r.stderr };
};

test('experiment list --json names every guided experiment', () => {
  const r = cli('list', '--json');
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out) as { builtin: { id: string; variants: string[] }[]; saved: unknown[] };
  assert.ok(['gradient-flow', 'bn-high-lr', 'optimizers', 'overfitting', 'initialization', 'label-smoothing', 'warmup-cosine', 'separable-conv', 'receptive-field'].every((id) => out.builtin.some((e) => e.id === id)));
  assert.deepEqual(out.saved, []);
});

test('experiment receptive-field --json prints the computed verdict and the drawing, and keeps the result', () => {
  const r = cli('receptive-field', '--json');
  assert.equal(r.code, 0, r.err);
  const out = JSON.parse(r.out);
  assert.equal(out.experiment, 'receptive-field');
  assert.equal(out.verdict.effect.direction, 'supports');
  assert.equal(out.verdict.perVariant.stack5x5.receptive_field, 13);
  assert.ok(out.drawing.squares.length >= 10);
  assert.ok(out.variants.every((v: { state: string }) => v.state === 'skipped'));
  const kept = readdirSync(join(home, 'experiments', 'results')).filter((f) => f.startsWith('receptive-field-'));
  assert.equal(kept.filter((f) => !f.endsWith('.summary.json')).length, 1);
  assert.equal(kept.filter((f) => f.endsWith('.summary.json')).length, 1, 'a summary for the gallery is kept next to it');
});

test('experiment: unknown names and bad saves fail with a clear message', () => {
  const unknown = cli('no-such-thing');
  assert.equal(unknown.code, 2);
  assert.match(unknown.err, /no experiment 'no-such-thing'; built-in ones are gradient-flow/);
  const one = cli('save', '--title', 'x', '--runs', 'only-one');
  assert.equal(one.code, 2);
  assert.match(one.err, /at least two runs/);
  const missing = cli('save', '--title', 'x', '--runs', 'run-a,run-b');
  assert.equal(missing.code, 1);
  assert.match(missing.err, /no run 'run-a'/);
});
