import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COALESCE_MS, emptyHistory, HISTORY_LIMIT, record, redo, seal, undo } from '../../../src/renderer/core/history';
import { EMPTY_SELECTION, emptyGraph } from '../../../src/renderer/core/state';

const docs = Array.from({ length: 5 }, (_, i) => emptyGraph(`d${i}`));
const snap = (i: number) => ({ doc: docs[i], selection: EMPTY_SELECTION });

test('undo and redo walk the recorded states', () => {
  let h = emptyHistory();
  h = record(h, snap(0), 0);
  h = record(h, snap(1), 10_000);
  const u1 = undo(h, snap(2))!;
  assert.equal(u1.snapshot.doc, docs[1]);
  const u2 = undo(u1.history, u1.snapshot)!;
  assert.equal(u2.snapshot.doc, docs[0]);
  assert.equal(undo(u2.history, u2.snapshot), null);
  const r1 = redo(u2.history, u2.snapshot)!;
  assert.equal(r1.snapshot.doc, docs[1]);
  const r2 = redo(r1.history, r1.snapshot)!;
  assert.equal(r2.snapshot.doc, docs[2]);
  assert.equal(redo(r2.history, r2.snapshot), null);
});

test('a new edit clears the redo stack', () => {
  let h = record(emptyHistory(), snap(0), 0);
  h = undo(h, snap(1))!.history;
  assert.equal(h.future.length, 1);
  h = record(h, snap(0), 5000);
  assert.equal(h.future.length, 0);
});

test('consecutive edits with one key merge into one step; time, another key or seal split them', () => {
  let h = record(emptyHistory(), snap(0), 0, 'param:a:x');
  h = record(h, snap(1), 500, 'param:a:x');
  h = record(h, snap(2), 1000, 'param:a:x');
  assert.equal(h.past.length, 1);
  assert.equal(h.past[0].doc, docs[0], 'keeps the state before the first keystroke');
  h = record(h, snap(3), 1000 + COALESCE_MS + 1, 'param:a:x');
  assert.equal(h.past.length, 2);
  h = record(h, snap(4), 1000 + COALESCE_MS + 2, 'param:a:y');
  assert.equal(h.past.length, 3);
  h = seal(h);
  h = record(h, snap(0), 1000 + COALESCE_MS + 3, 'param:a:y');
  assert.equal(h.past.length, 4);
});

test('history is bounded', () => {
  let h = emptyHistory();
  for (let i = 0; i < HISTORY_LIMIT + 20; i++) h = record(h, snap(i % 5), i * 10_000);
  assert.equal(h.past.length, HISTORY_LIMIT);
});
