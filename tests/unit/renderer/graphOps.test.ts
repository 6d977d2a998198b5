import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analysisOf } from '../../../src/renderer/core/analysis';
import { canConnect, previewConnection, resolveViewConnection } from '../../../src/renderer/core/connect';
import { addNode, connect, insertAfter, moveNodes, removeElements, setParam } from '../../../src/renderer/core/graphOps';
import { smallNet } from './helpers';

test('addNode makes readable unique ids and fills default params', () => {
  const doc = smallNet();
  const r = addNode(doc, 'core/conv2d', { x: 10.4, y: 20.6 });
  assert.equal(r.id, 'conv2d_2');
  const n = r.doc.nodes.find((x) => x.id === r.id)!;
  assert.equal(n.params.filters, 32);
  assert.deepEqual(n.position, { x: 10, y: 21 });
  assert.equal(doc.nodes.length + 1, r.doc.nodes.length, 'the input document is not mutated');
});

test('connect replaces the edge on a single input port, keeps several on a variadic one', () => {
  let doc = smallNet();
  const before = doc.edges.find((e) => e.target === 'dense_1')!;
  doc = connect(doc, { source: 'conv2d_1', sourcePort: 'out', target: 'dense_1', targetPort: 'in' });
  assert.equal(doc.edges.filter((e) => e.target === 'dense_1').length, 1);
  assert.ok(!doc.edges.some((e) => e.id === before.id));
  const add = addNode(doc, 'merge/add', { x: 0, y: 0 });
  doc = connect(add.doc, { source: 'conv2d_1', sourcePort: 'out', target: add.id, targetPort: 'in' });
  doc = connect(doc, { source: 'batchnorm_1', sourcePort: 'out', target: add.id, targetPort: 'in' });
  assert.equal(doc.edges.filter((e) => e.target === add.id).length, 2);
});

test('removeElements drops attached edges and empty groups', () => {
  const doc = { ...smallNet() };
  doc.groups = [{ id: 'g', name: 'G', repeat: 1, collapsed: false }];
  doc.nodes = doc.nodes.map((n) => (n.id === 'relu_1' ? { ...n, group: 'g' } : n));
  const next = removeElements(doc, ['relu_1']);
  assert.ok(!next.edges.some((e) => e.source === 'relu_1' || e.target === 'relu_1'));
  assert.equal(next.groups.length, 0);
  assert.equal(removeElements(doc, []), doc);
});

test('setParam and moveNodes return the same document when nothing changes', () => {
  const doc = smallNet();
  assert.equal(setParam(doc, 'conv2d_1', 'filters', 16), doc);
  assert.notEqual(setParam(doc, 'conv2d_1', 'filters', 8), doc);
  const p = doc.nodes[1].position;
  assert.equal(moveNodes(doc, { [doc.nodes[1].id]: p }), doc);
});

test('changing a stride updates the shapes downstream', () => {
  const doc = smallNet();
  const a = analysisOf(doc).analysis;
  assert.deepEqual(a.nodes.relu_1.output, [null, 32, 32, 16]);
  const b = analysisOf(setParam(doc, 'conv2d_1', 'stride', 2)).analysis;
  assert.deepEqual(b.nodes.relu_1.output, [null, 16, 16, 16]);
  assert.equal(analysisOf(doc), analysisOf(doc), 'memoised per document');
});

test('insertAfter splices a block into a chain and shifts the nodes below', () => {
  const doc = smallNet();
  const r = insertAfter(doc, 'reg/dropout', 'relu_1', { x: 0, y: 0 });
  const ins = r.doc.edges.filter((e) => e.target === r.id);
  assert.deepEqual(ins.map((e) => e.source), ['relu_1']);
  assert.deepEqual(r.doc.edges.filter((e) => e.source === r.id).map((e) => e.target), ['global_avgpool_1']);
  const gapBefore = doc.nodes.find((n) => n.id === 'global_avgpool_1')!.position.y;
  assert.ok(r.doc.nodes.find((n) => n.id === 'global_avgpool_1')!.position.y > gapBefore);
  assert.equal(analysisOf(r.doc).errors, 0);
});

test('canConnect refuses cycles, self loops and unknown ports', () => {
  const doc = smallNet();
  assert.equal(canConnect(doc, { source: 'dense_1', sourcePort: 'out', target: 'conv2d_1', targetPort: 'in' }).ok, false);
  assert.equal(canConnect(doc, { source: 'relu_1', sourcePort: 'out', target: 'relu_1', targetPort: 'in' }).ok, false);
  assert.equal(canConnect(doc, { source: 'relu_1', sourcePort: 'nope', target: 'dense_1', targetPort: 'in' }).ok, false);
  const ok = canConnect(doc, { source: 'relu_1', sourcePort: 'out', target: 'dense_1', targetPort: 'in' });
  assert.deepEqual(ok, { ok: true, replaces: 'global_avgpool_1' });
});

test('previewConnection shows the shape carried and a mismatch as a warning', () => {
  let doc = smallNet();
  const add = addNode(doc, 'merge/add', { x: 0, y: 0 });
  doc = connect(add.doc, { source: 'conv2d_1', sourcePort: 'out', target: add.id, targetPort: 'in' });
  const good = previewConnection(doc, { source: 'relu_1', sourcePort: 'out', target: add.id, targetPort: 'in' });
  assert.equal(good.ok, true);
  assert.equal(good.shape, '32×32×16');
  assert.equal(good.warning, false);
  const bad = previewConnection(doc, { source: 'dense_1', sourcePort: 'out', target: add.id, targetPort: 'in' });
  assert.equal(bad.ok, true);
  assert.equal(bad.warning, true);
  assert.match(bad.message!, /cannot add/);
});

test('a connection from a collapsed group starts at its exit port', () => {
  const doc = { ...smallNet(), groups: [{ id: 'g', name: 'G', repeat: 1, collapsed: true }] };
  doc.nodes = doc.nodes.map((n) => (n.id === 'batchnorm_1' || n.id === 'relu_1' ? { ...n, group: 'g' } : n));
  const r = resolveViewConnection(doc, { source: 'group:g', sourceHandle: 'out', target: 'dense_1', targetHandle: 'in' });
  assert.ok(r.ok && r.connection.source === 'relu_1');
  assert.equal(resolveViewConnection(doc, { source: 'conv2d_1', sourceHandle: 'out', target: 'group:g', targetHandle: 'in' }).ok, false);
});
