import assert from 'node:assert/strict';
import { test } from 'node:test';
import { restore } from '../../../src/shared/graph/restore';
import { templateById } from '../../../src/shared/templates';
import { autosavePath, autosaveSummary, serializeAutosave } from '../../../src/renderer/core/project';
import { readTabSession, writeTabSession } from '../../../src/renderer/core/session';

function memoryStorage() {
  const m = new Map<string, string>();
  return { getItem: (k: string) => m.get(k) ?? null, setItem: (k: string, v: string) => void m.set(k, v), m };
}

test("the tab's open document round-trips with its path and saved state", () => {
  const storage = memoryStorage();
  assert.equal(readTabSession(storage), null, 'nothing kept yet: a new window starts blank');
  const doc = templateById('lenet_mnist')!.build();
  writeTabSession(doc, 'e2e/lenet.netsmith.json', true, storage);
  const s = readTabSession(storage)!;
  assert.equal(s.clean, true);
  assert.equal(autosavePath(s.text), 'e2e/lenet.netsmith.json');
  const r = restore(s.text);
  assert.ok(r.ok);
  assert.deepEqual(r.graph.nodes.map((n) => n.id), doc.nodes.map((n) => n.id));
});

test('a broken or full storage never throws', () => {
  const broken = { getItem: () => '{not json', setItem: () => { throw new Error('QuotaExceededError'); } };
  assert.equal(readTabSession(broken), null);
  assert.doesNotThrow(() => writeTabSession(templateById('lenet_mnist')!.build(), null, false, broken));
});

test('the recovery offer names the autosaved graph, its block count and its file; broken text gives nothing', () => {
  const doc = templateById('lenet_mnist')!.build();
  assert.deepEqual(autosaveSummary(serializeAutosave(doc, 'nets/lenet.netsmith.json')), { name: doc.meta.name, blocks: doc.nodes.length, path: 'nets/lenet.netsmith.json' });
  assert.deepEqual(autosaveSummary(serializeAutosave(doc, null)), { name: doc.meta.name, blocks: doc.nodes.length, path: null });
  assert.deepEqual(autosaveSummary('{"graph": '), { path: null });
});
