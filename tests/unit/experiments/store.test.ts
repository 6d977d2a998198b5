import { after, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ExperimentStore } from '../../../src/main/experiments/store';
import type { ExperimentResult } from '../../../src/shared/experiments/types';
import { makeUserExperiment } from '../../../src/shared/experiments/user';

test('experiment store: saves, lists, reads and removes user experiments; keeps results by name', async () => {
  const root = mkdtempSync(join(tmpdir(), 'netsmith-exp-store-'));
  after(() => rmSync(root, { recursive: true, force: true }));
  const store = new ExperimentStore(root);
  assert.deepEqual(await store.list(), []);
  const doc = makeUserExperiment({ title: 'Dropout or not', runs: [{ runId: 'a' }, { runId: 'b' }], metric: 'accuracy_gap' });
  await store.save(doc);
  assert.deepEqual(await store.read('dropout-or-not'), doc);
  assert.equal((await store.list()).length, 1);
  writeFileSync(join(root, 'broken.json'), '{"format":"netsmith.user-experiment"}');
  assert.equal((await store.list()).length, 1, 'an invalid file is skipped in the list');
  await assert.rejects(store.read('broken'), /is invalid/);
  await assert.rejects(store.read('../etc'), /invalid experiment id/);
  await assert.rejects(store.read('missing'), /no saved experiment/);
  await store.remove('dropout-or-not');
  assert.equal(await store.has('dropout-or-not'), false);

  const result = { format: 'netsmith.experiment-result', experiment: 'gradient-flow', title: 't', source: 'guided', seed: 42, startedAt: '2026-01-02T03:04:05.000Z', seconds: 1, variants: [], verdict: { text: 'x', effect: { claim: '', direction: 'inconclusive', detail: '' }, perVariant: {}, measurements: {} } } satisfies ExperimentResult;
  const first = await store.saveResult(result);
  const second = await store.saveResult(result);
  assert.notEqual(first, second, 'a second result in the same second gets its own file');
  const listed = await store.listResults();
  assert.equal(listed.length, 2);
  assert.equal(listed[0].experiment, 'gradient-flow');
  assert.equal(listed[0].startedAt, '2026-01-02T03:04:05Z');
  assert.equal((await store.readResult(listed[0].file)).verdict.text, 'x');
  await assert.rejects(store.readResult('../x.json'), /invalid result name/);
});
