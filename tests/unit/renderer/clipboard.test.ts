import assert from 'node:assert/strict';
import { test } from 'node:test';
import { GraphBuilder } from '../../../src/shared/graph/builder';
import { COMPOSITES } from '../../../src/shared/templates';
import { analysisOf } from '../../../src/renderer/core/analysis';
import { compositeFragment, extractFragment, insertFragment, parseFragment, serializeFragment } from '../../../src/renderer/core/fragment';
import { createGroup } from '../../../src/renderer/core/groups';
import { emptyGraph } from '../../../src/renderer/core/state';
import { smallNet } from './helpers';

test('copy → paste in the same project remaps every id and keeps internal edges', () => {
  const doc = smallNet();
  const text = serializeFragment(extractFragment(doc, ['conv2d_1', 'batchnorm_1', 'relu_1']), doc.meta);
  const parsed = parseFragment(text);
  assert.ok(parsed.ok);
  assert.deepEqual(parsed.fragment.entries, [{ node: 'conv2d_1', port: 'in' }]);
  assert.deepEqual(parsed.fragment.exit, { node: 'relu_1', port: 'out' });
  const r = insertFragment(doc, parsed.fragment, { offset: { x: 40, y: 40 } });
  assert.equal(r.ids.length, 3);
  assert.ok(r.ids.every((id) => !doc.nodes.some((n) => n.id === id)), 'fresh node ids');
  assert.equal(new Set(r.doc.edges.map((e) => e.id)).size, r.doc.edges.length, 'edge ids unique');
  const internal = r.doc.edges.filter((e) => r.ids.includes(e.source) && r.ids.includes(e.target));
  assert.equal(internal.length, 2);
  const src = doc.nodes.find((n) => n.id === 'conv2d_1')!;
  const copy = r.doc.nodes.find((n) => n.id === r.ids[0])!;
  assert.deepEqual(copy.position, { x: src.position.x + 40, y: src.position.y + 40 });
  assert.equal(copy.params.filters, src.params.filters);
});

test('paste into another project keeps free ids, places at a point and can feed from a port', () => {
  const doc = smallNet();
  const frag = parseFragment(serializeFragment(extractFragment(doc, ['conv2d_1', 'batchnorm_1']), doc.meta));
  assert.ok(frag.ok);
  const target = emptyGraph('other');
  const r = insertFragment(target, frag.fragment, { at: { x: 100, y: 200 }, from: { node: 'input_1', port: 'out' } });
  assert.deepEqual(r.ids, ['conv2d_1', 'batchnorm_1']);
  assert.equal(Math.min(...r.doc.nodes.filter((n) => r.ids.includes(n.id)).map((n) => n.position.y)), 200);
  assert.ok(r.doc.edges.some((e) => e.source === 'input_1' && e.target === 'conv2d_1'));
});

test('groups copy whole, with new ids', () => {
  const g = createGroup(smallNet(), ['batchnorm_1', 'relu_1'], 'BN-ReLU');
  assert.ok(g.ok);
  const frag = extractFragment(g.doc, ['batchnorm_1', 'relu_1']);
  assert.equal(frag.groups.length, 1);
  const r = insertFragment(g.doc, frag, { offset: { x: 10, y: 10 } });
  assert.equal(r.doc.groups.length, 2);
  assert.notEqual(r.doc.groups[1].id, r.doc.groups[0].id);
  assert.ok(r.ids.every((id) => r.doc.nodes.find((n) => n.id === id)!.group === r.doc.groups[1].id));
  // A partial copy of a group drops the membership.
  const part = extractFragment(g.doc, ['relu_1']);
  assert.equal(part.groups.length, 0);
  assert.ok(!part.nodes[0].group);
});

test('garbage on the clipboard is refused with a message', () => {
  assert.equal(parseFragment('hello').ok, false);
  const bad = parseFragment(JSON.stringify({ schemaVersion: 2, meta: { input: { shape: [1] } }, nodes: [{ id: 'a', type: 'nope/x' }], edges: [] }));
  assert.ok(!bad.ok && /unknown block type/.test(bad.error));
});

test('every composite builds into one group with an entry and an exit', () => {
  for (const c of COMPOSITES) {
    const frag = compositeFragment(c, () => new GraphBuilder({ name: c.name, input: [16, 16, 64] }), { channels: 64 });
    assert.ok(frag.nodes.length > 0, c.id);
    assert.equal(frag.groups.length, 1, c.id);
    assert.ok(frag.entries.length > 0, c.id);
    assert.ok(frag.exit, c.id);
  }
  // Inserted after a 64-channel block, the residual block fits.
  const b = new GraphBuilder({ name: 't', input: [16, 16, 3] });
  const x = b.add('core/conv2d', { filters: 64 }, b.input());
  const doc = b.build();
  const c = COMPOSITES.find((k) => k.id === 'residual_basic')!;
  const r = insertFragment(doc, compositeFragment(c, () => new GraphBuilder({ name: c.name, input: [16, 16, 3] }), { channels: 64 }), { at: { x: 0, y: 300 }, from: x });
  // The shapes fit; the graph has no classifier head yet, which is its only (head) problem.
  const issues = analysisOf(r.doc).analysis.issues.filter((i) => i.severity === 'error' && i.code !== 'head');
  assert.deepEqual(issues.map((i) => i.message), []);
});
