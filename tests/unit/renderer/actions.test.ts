import assert from 'node:assert/strict';
import { test } from 'node:test';
import { ACTIONS } from '../../../src/renderer/actions';
import { ActionManager } from '../../../src/renderer/actions/manager';
import { register } from '../../../src/renderer/actions/types';
import { analysisOf } from '../../../src/renderer/core/analysis';
import { TEMPLATES } from '../../../src/renderer/core/catalog';
import { isDirty, updateRun } from '../../../src/renderer/core/state';
import type { LabApi } from '../../../src/shared/api';
import { ACTION_CATALOGUE, ACTION_IDS, MENU_COMMANDS } from '../../../src/shared/actionCatalogue';
import { followMenuState } from '../../../src/renderer/actions/menuState';
import { harness, key, smallNet } from './helpers';

test('every native menu command is an action', () => {
  const names = new Set(ACTIONS.map((a) => a.name));
  // file.openRecent is routed to file.openPath with the menu item's path.
  for (const c of MENU_COMMANDS.filter((m) => m !== 'file.openRecent')) assert.ok(names.has(c), c);
});

test('the renderer registers exactly the catalogue: one action per id, with its label and shortcuts', () => {
  const names = ACTIONS.map((a) => a.name);
  assert.deepEqual([...names].sort(), [...ACTION_IDS].sort());
  assert.equal(new Set(names).size, names.length);
  for (const a of ACTIONS) {
    assert.equal(a.label, ACTION_CATALOGUE[a.name].label, a.name);
    assert.deepEqual(a.keys, ACTION_CATALOGUE[a.name].keys, a.name);
  }
});

test('the native menu hears which of its actions cannot run now, and only when that changes', async () => {
  const h = harness(smallNet());
  const reports: string[][] = [];
  const stop = followMenuState(h.manager, (d) => void reports.push(d));
  assert.deepEqual(reports, [['edit.undo', 'edit.redo', 'edit.cut', 'edit.copy', 'edit.delete', 'run.pause', 'run.resume', 'run.stop']]);
  await h.manager.execute('graph.select', { nodes: ['conv2d_1'] });
  assert.deepEqual(reports.at(-1), ['edit.undo', 'edit.redo', 'run.pause', 'run.resume', 'run.stop']);
  await h.manager.execute('graph.select', { nodes: ['conv2d_1'] });
  await h.manager.execute('view.fit');
  assert.equal(reports.length, 2, 'no report when nothing changed');
  stop();
  await h.manager.execute('graph.select', { nodes: [] });
  assert.equal(reports.length, 2);
});

test('no two actions share a shortcut', () => {
  assert.deepEqual(harness().manager.conflicts(), []);
});

test('an ambiguous shortcut is refused', () => {
  const h = harness(smallNet());
  // Two catalogue actions given the same (made-up) shortcut, in a manager of their own.
  const a = { ...register('view.minimap', { perform: (s) => ({ ...s, prefs: { ...s.prefs, minimap: false } }) }), keys: ['Mod+J'] };
  const b = { ...register('view.snap', { perform: (s) => ({ ...s, prefs: { ...s.prefs, snap: false } }) }), keys: ['Mod+J'] };
  const manager = new ActionManager(h.store, h.manager.ctx).register([a, b] as never[]);
  let refused: string[] = [];
  manager.onAmbiguous = (n) => void (refused = n);
  assert.equal(manager.handleKeyDown(key('j', { ctrl: true })), false);
  assert.deepEqual(refused.sort(), ['view.minimap', 'view.snap']);
  assert.equal(h.store.get().prefs.minimap, true);
});

test('edits are undoable, selection changes are not recorded; undo/redo restore the document', async () => {
  const h = harness(smallNet());
  const d0 = h.store.get().doc;
  await h.manager.execute('graph.select', { nodes: ['conv2d_1'] });
  assert.equal(h.store.get().history.past.length, 0);
  await h.manager.execute('graph.setParam', { node: 'conv2d_1', param: 'stride', value: 2 });
  const d1 = h.store.get().doc;
  assert.notEqual(d1, d0);
  assert.equal(h.store.get().history.past.length, 1);
  assert.ok(isDirty(h.store.get()));
  assert.ok(h.manager.handleKeyDown(key('z', { ctrl: true })));
  await Promise.resolve();
  assert.equal(h.store.get().doc, d0);
  assert.ok(!isDirty(h.store.get()), 'undo back to the saved document is clean');
  assert.ok(h.manager.handleKeyDown(key('Z', { ctrl: true, shift: true })));
  await Promise.resolve();
  assert.equal(h.store.get().doc, d1);
});

test('typing in one param field is one undo step', async () => {
  const h = harness(smallNet());
  for (const v of [1, 12, 128]) {
    await h.manager.execute('graph.setParam', { node: 'conv2d_1', param: 'filters', value: v });
    h.clock.now += 200;
  }
  assert.equal(h.store.get().history.past.length, 1);
  await h.manager.execute('edit.undo');
  assert.equal(h.store.get().doc.nodes.find((n) => n.id === 'conv2d_1')!.params.filters, 16);
});

test('a predicate keeps an action from running', async () => {
  const h = harness(smallNet());
  const r = await h.manager.execute('edit.delete');
  assert.deepEqual(r, { ok: false, reason: 'predicate' });
  assert.equal(h.manager.handleKeyDown(key('Delete')), false, 'Delete with nothing selected falls through');
});

test('copy, paste, cut and delete through the clipboard bridge', async () => {
  const h = harness(smallNet());
  await h.manager.execute('graph.select', { nodes: ['conv2d_1', 'batchnorm_1'] });
  await h.manager.execute('edit.copy');
  assert.ok(h.clipboard.text?.includes('netsmith.fragment'));
  await h.manager.execute('edit.paste');
  const s = h.store.get();
  assert.equal(s.doc.nodes.length, smallNet().nodes.length + 2);
  assert.equal(s.selection.nodes.length, 2, 'the pasted blocks are selected');
  await h.manager.execute('edit.cut');
  assert.equal(h.store.get().doc.nodes.length, smallNet().nodes.length);
  await h.manager.execute('edit.undo');
  await h.manager.execute('edit.undo');
  assert.equal(h.store.get().doc.nodes.length, smallNet().nodes.length);
});

test('a paste of something else shows an error and changes nothing', async () => {
  const h = harness(smallNet());
  const d = h.store.get().doc;
  const r = await h.manager.execute('edit.paste', { text: 'not json' });
  assert.equal(r.ok, false);
  assert.equal(h.store.get().doc, d);
  assert.equal(h.toasts.length, 1);
});

test('group → repeat ×3 → ungroup, each one undo step', async () => {
  const h = harness(smallNet());
  await h.manager.execute('graph.select', { nodes: ['batchnorm_1', 'relu_1'] });
  h.answers.prompt = 'BN block';
  await h.manager.execute('group.create');
  const doc = h.store.get().doc;
  const g = doc.groups[0];
  assert.equal(g.name, 'BN block');
  const before = analysisOf(doc).analysis.totals.params;
  await h.manager.execute('group.setRepeat', { group: g.id, repeat: 3 });
  const after = analysisOf(h.store.get().doc).analysis.totals.params;
  assert.equal(after - before, 2 * analysisOf(doc).analysis.groups[g.id].params);
  await h.manager.execute('group.toggleCollapse', { group: g.id });
  assert.equal(h.store.get().doc.groups[0].collapsed, true);
  await h.manager.execute('group.ungroup', { group: g.id });
  assert.equal(h.store.get().doc.groups.length, 0);
  for (let i = 0; i < 4; i++) await h.manager.execute('edit.undo');
  assert.equal(h.store.get().doc.groups.length, 0);
  assert.equal(h.store.get().doc, h.store.get().savedDoc);
});

test('save to my blocks, then insert from the library after the selection', async () => {
  const h = harness(smallNet());
  await h.manager.execute('graph.select', { nodes: ['batchnorm_1', 'relu_1'] });
  h.answers.prompt = 'BN-ReLU';
  await h.manager.execute('group.create');
  assert.equal(h.store.get().doc.groups[0].name, 'BN-ReLU');
  assert.equal(h.store.get().history.past.length, 1, 'the named group is one undo step');
  const gid = h.store.get().doc.groups[0].id;
  await h.manager.execute('group.saveToLibrary', { group: gid });
  assert.equal(h.library.length, 1);
  await h.manager.execute('graph.select', { nodes: ['conv2d_1'] });
  await h.manager.execute('library.insert', { id: h.library[0].id });
  const s = h.store.get();
  assert.equal(s.doc.groups.length, 2);
  assert.ok(s.doc.edges.some((e) => e.source === 'conv2d_1' && s.selection.nodes.includes(e.target)));
});

test('discarding changes asks first', async () => {
  const h = harness(smallNet());
  await h.manager.execute('graph.setParam', { node: 'conv2d_1', param: 'filters', value: 8 });
  h.answers.confirm = false;
  await h.manager.execute('file.new');
  assert.equal(h.store.get().doc.nodes.length, smallNet().nodes.length);
  h.answers.confirm = true;
  await h.manager.execute('file.new');
  assert.equal(h.store.get().doc.nodes.length, 1);
  assert.equal(h.store.get().history.past.length, 0);
});

test('loading a document, closing a dialog and run news are plain state updates', async () => {
  const h = harness(smallNet());
  await h.manager.execute('view.shortcuts');
  assert.equal(h.store.get().dialog?.kind, 'shortcuts');
  await h.manager.execute('file.newFromTemplate');
  assert.equal(h.store.get().dialog?.kind, 'templates');
  await h.manager.execute('file.loadTemplate', { id: TEMPLATES[0].id });
  const s = h.store.get();
  assert.equal(s.dialog, null, 'loading a document closes the dialog');
  assert.ok(!isDirty(s));
  assert.equal(s.history.past.length, 0);
  assert.ok(!ACTIONS.some((a) => ['doc.load', 'ui.closeDialog', 'run.update', 'doc.markSaved', 'ui.showReport', 'file.openText', 'edit.pasteText', 'group.createNamed', 'graph.insertFragment'].includes(a.name)), 'no plumbing actions left');
  const lab = { controlRun: async (a: { id: string; action: string }) => ({ id: a.id, state: a.action === 'stop' ? 'stopped' : 'paused', epoch: 1, epochs: 3, step: 40 }) };
  const r = harness(smallNet(), { lab: lab as unknown as LabApi });
  r.store.set(updateRun(r.store.get(), { id: 'run-1', state: 'running', epochs: 3 }));
  assert.deepEqual(r.store.get().run, { id: 'run-1', state: 'running', epoch: 0, epochs: 3, step: 0 });
  await r.manager.execute('run.pause');
  assert.equal(r.store.get().run?.state, 'paused');
  await r.manager.execute('run.stop');
  assert.deepEqual(r.store.get().run, { id: 'run-1', state: 'stopped', epoch: 0, epochs: 3, step: 0 });
  assert.equal(r.store.get().history.past.length, 0);
});

test('saving to a path marks the document saved and closes the dialog: one action, no chained ones', async () => {
  const written: string[] = [];
  const lab = { writeProject: async (a: { path: string }) => (written.push(a.path), { path: a.path, name: 'x', modified: '', size: 1 }), clearAutosave: async () => undefined };
  const h = harness(smallNet(), { lab: lab as unknown as LabApi });
  await h.manager.execute('graph.setLabel', { node: h.store.get().doc.nodes[0].id, label: 'renamed' });
  h.store.update((s) => ({ ...s, dialog: { kind: 'shortcuts' } }));
  assert.ok(isDirty(h.store.get()));
  const ran: string[] = [];
  const execute = h.manager.execute.bind(h.manager);
  h.manager.execute = (async (name: string, ...rest: unknown[]) => (ran.push(name), execute(name as never, ...(rest as [never]))));
  const r = await h.manager.execute('file.saveTo', { path: 'net' });
  assert.ok(r.ok);
  assert.deepEqual(ran, ['file.saveTo']);
  assert.deepEqual(written, ['net.netsmith.json']);
  const s = h.store.get();
  assert.ok(!isDirty(s));
  assert.equal(s.path, 'net.netsmith.json');
  assert.equal(s.dialog, null);
});

/** A host whose projects folder holds one file with this text. */
const hostWith = (text: string) => ({ lab: { readProject: async (a: { path: string }) => ({ path: a.path, text }) } as unknown as LabApi });

test('opening a broken file reports errors and keeps the document', async () => {
  const h = harness(smallNet(), hostWith('{"format":"netsmith.project","graph":{"schemaVersion":2,"meta":{"input":{"shape":[1]}},"nodes":[{"id":"a","type":"x/y"}],"edges":[]}}'));
  const d = h.store.get().doc;
  await h.manager.execute('file.openPath', { path: 'bad.netsmith.json' });
  const s = h.store.get();
  assert.equal(s.doc, d);
  assert.equal(s.dialog?.kind, 'report');
});

test('opening a repaired file loads it and lists the repairs', async () => {
  const g = smallNet();
  const text = JSON.stringify({ format: 'netsmith.project', graph: { ...g, edges: [...g.edges, { id: 'zz', source: 'ghost', sourcePort: 'out', target: 'dense_1', targetPort: 'in' }] } });
  const h = harness(smallNet(), hostWith(text));
  await h.manager.execute('file.openPath', { path: 'x.netsmith.json' });
  const s = h.store.get();
  assert.equal(s.path, 'x.netsmith.json');
  assert.equal(s.dialog?.kind, 'report');
  assert.ok(s.dialog?.kind === 'report' && s.dialog.report.notes.some((n) => /missing node 'ghost'/.test(n)));
});
