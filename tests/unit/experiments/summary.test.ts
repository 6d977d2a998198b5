import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentStore } from '../../../src/main/experiments/store';
import { isCompleteResult, lastVerdict, summarizeResult, type ExperimentResultSummary } from '../../../src/shared/experiments/summary';
import type { ExperimentResult } from '../../../src/shared/experiments/types';
import { actProbe, fake, gradProbe } from './fixtures';

/** The light result summaries the gallery reads, the "last complete verdict" rule, and the store's summary files. */

function result(o: Partial<ExperimentResult> = {}): ExperimentResult {
  return {
    format: 'netsmith.experiment-result',
    experiment: 'gradient-flow',
    title: 'Gradient flow',
    source: 'guided',
    seed: 7,
    startedAt: '2026-11-20T10:00:00.000Z',
    seconds: 42.5,
    variants: [fake('relu', { runId: 'r1', probes: [gradProbe([1, 2, 3]), actProbe([1, 0.5])], steps: Array.from({ length: 500 }, (_, i) => ({ step: i, epoch: 1, loss: 1 / (i + 1), lr: 0.1 })) }), fake('sigmoid', { runId: 'r2', state: 'failed', error: 'diverged' })],
    verdict: { text: 'ReLU keeps its gradients: 1.2e-1 vs 3.4e-9.', effect: { claim: 'sigmoid vanishes', direction: 'supports', detail: 'ratio 3.5e7' }, perVariant: { relu: { val_accuracy: 0.91, grad_ratio: 3 }, sigmoid: { val_accuracy: null } }, measurements: { big: Array.from({ length: 1000 }, (_, i) => i) } },
    ...o,
  };
}

test('summary: the verdict, numbers, when, seed, duration and variant states, without curves or probes', () => {
  const r = result();
  const s = summarizeResult(r, 'trained');
  assert.deepEqual(s, {
    format: 'netsmith.experiment-summary',
    experiment: 'gradient-flow',
    title: 'Gradient flow',
    source: 'guided',
    seed: 7,
    startedAt: '2026-11-20T10:00:00.000Z',
    seconds: 42.5,
    complete: true,
    variants: [
      { variant: 'relu', name: 'relu', state: 'completed', runId: 'r1' },
      { variant: 'sigmoid', name: 'sigmoid', state: 'failed', runId: 'r2', error: 'diverged' },
    ],
    verdict: { text: 'ReLU keeps its gradients: 1.2e-1 vs 3.4e-9.', direction: 'supports', detail: 'ratio 3.5e7', perVariant: { relu: { val_accuracy: 0.91, grad_ratio: 3 }, sigmoid: { val_accuracy: null } } },
  });
  const full = JSON.stringify(r).length;
  const light = JSON.stringify(s).length;
  assert.ok(light * 20 < full, `summary ${light} B vs result ${full} B`);
});

test('complete or not: a stopped variant, a runner-marked stop, or skipped variants of a trained experiment make it incomplete', () => {
  const skipped = (v: string) => fake(v, { state: 'skipped' });
  assert.equal(isCompleteResult(result()), true, 'a failed (diverged) variant is a finished measurement');
  assert.equal(isCompleteResult(result({ stopped: true })), false);
  assert.equal(isCompleteResult(result({ variants: [fake('a'), fake('b', { state: 'stopped' })] })), false);
  assert.equal(isCompleteResult(result({ variants: [fake('a'), skipped('b')] }), 'trained'), false);
  assert.equal(isCompleteResult(result({ variants: [skipped('a'), skipped('b')] }), 'trained'), false, 'stopped before anything started');
  assert.equal(isCompleteResult(result({ variants: [skipped('a'), skipped('b')] }), 'computed'), true, 'computed experiments skip training by design');
  // Old results without a kind: all skipped reads as computed, some skipped as stopped.
  assert.equal(isCompleteResult(result({ variants: [skipped('a'), skipped('b')] })), true);
  assert.equal(isCompleteResult(result({ variants: [fake('a'), skipped('b')] })), false);
  assert.equal(isCompleteResult(result({ source: 'user', variants: [fake('a', { state: 'stopped' }), fake('b')] })), true, 'a user comparison takes runs as they are');
});

test('last verdict: the newest complete one; a newer stopped attempt is reported next to it', () => {
  const s = (startedAt: string, complete: boolean) => ({ ...summarizeResult(result({ startedAt })), complete }) as ExperimentResultSummary;
  const a = s('2026-11-20T10:00:00.000Z', true);
  const b = s('2026-11-21T10:00:00.000Z', true);
  const c = s('2026-11-22T10:00:00.000Z', false);
  const d = s('2026-11-19T10:00:00.000Z', false);
  assert.deepEqual(lastVerdict([]), {});
  assert.deepEqual(lastVerdict([a, c, b]), { complete: b, stoppedLater: c });
  assert.deepEqual(lastVerdict([d, a]), { complete: a }, 'an older stopped attempt is not mentioned');
  assert.deepEqual(lastVerdict([a, b]), { complete: b });
  assert.deepEqual(lastVerdict([c, d]), { stoppedLater: c }, 'no complete verdict yet');
});

test('store: a summary file is kept next to each result; old results without one get it computed (and kept); unreadable ones list without', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netsmith-exp-summary-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const store = new ExperimentStore(root);
  const path = await store.saveResult(result());
  assert.ok(existsSync(path.replace(/\.json$/, '.summary.json')));
  await store.saveResult(result({ startedAt: '2026-11-21T10:00:00.000Z', stopped: true, variants: [fake('relu'), fake('sigmoid', { state: 'skipped' })] }));

  // An older version's result: no summary file next to it.
  const dir = join(root, 'results');
  mkdirSync(dir, { recursive: true });
  const old = result({ startedAt: '2026-11-19T10:00:00.000Z' });
  writeFileSync(join(dir, 'gradient-flow-20261119-100000.json'), JSON.stringify(old));
  writeFileSync(join(dir, 'optimizers-20261118-100000.json'), '{ not json');

  const listed = await store.listResults();
  assert.deepEqual(listed.map((e) => [e.file, e.summary?.complete]), [
    ['gradient-flow-20261121-100000.json', false],
    ['gradient-flow-20261120-100000.json', true],
    ['gradient-flow-20261119-100000.json', true],
    ['optimizers-20261118-100000.json', undefined],
  ]);
  assert.deepEqual(listed[2].summary, summarizeResult(old, 'trained'));
  assert.ok(readdirSync(dir).includes('gradient-flow-20261119-100000.summary.json'), 'the computed summary is kept');
  assert.equal(JSON.parse(readFileSync(join(dir, 'gradient-flow-20261119-100000.summary.json'), 'utf8')).verdict.text, old.verdict.text);
  // Summary files are not results.
  assert.equal(listed.filter((e) => e.file.includes('summary')).length, 0);
  assert.equal((await store.readResult('gradient-flow-20261120-100000.json')).variants[0].steps.length, 500);
});
