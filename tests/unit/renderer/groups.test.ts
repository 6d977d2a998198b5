import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analysisOf } from '../../../src/renderer/core/analysis';
import { createGroup, expandToGroups, groupOfSelection, setRepeat, ungroup, updateGroup } from '../../../src/renderer/core/groups';
import { autoLayout, buildView } from '../../../src/renderer/core/view';
import { smallNet } from './helpers';

const grouped = () => {
  const r = createGroup(smallNet(), ['conv2d_1', 'batchnorm_1', 'relu_1'], 'Stage');
  assert.ok(r.ok);
  return r;
};

test('createGroup names a group of the selection', () => {
  const r = grouped();
  assert.equal(r.doc.groups[0].name, 'Stage');
  assert.equal(r.doc.nodes.filter((n) => n.group === r.id).length, 3);
  assert.equal(groupOfSelection(r.doc, ['conv2d_1', 'batchnorm_1', 'relu_1']), r.id);
  assert.equal(groupOfSelection(r.doc, ['conv2d_1']), undefined);
  assert.equal(groupOfSelection(r.doc, ['conv2d_1'], true), r.id);
  assert.deepEqual(expandToGroups(r.doc, ['conv2d_1']).sort(), ['batchnorm_1', 'conv2d_1', 'relu_1']);
});

test('createGroup refuses the input, nesting and selections with two outputs', () => {
  assert.equal(createGroup(smallNet(), ['input_1', 'conv2d_1'], 'x').ok, false);
  const r = grouped();
  const again = createGroup(r.doc, ['relu_1', 'global_avgpool_1'], 'y');
  assert.ok(!again.ok && /already in group/.test(again.error));
  const doc = smallNet();
  doc.edges.push({ id: 'extra', source: 'conv2d_1', sourcePort: 'out', target: 'dense_1', targetPort: 'in' });
  const two = createGroup(doc, ['conv2d_1', 'batchnorm_1'], 'z');
  assert.ok(!two.ok && /output/.test(two.error));
});

test('repeat ×3 multiplies the group totals and keeps shapes', () => {
  const r = grouped();
  // conv 16→16 so the group keeps its shape and can repeat: change the stem input to 16 channels first.
  const doc = { ...r.doc, meta: { ...r.doc.meta, input: { shape: [32, 32, 16] } } };
  const one = analysisOf(doc).analysis;
  const three = analysisOf(setRepeat(doc, r.id, 3)).analysis;
  assert.equal(three.groups[r.id].params, 3 * one.groups[r.id].params);
  assert.equal(three.totals.params - one.totals.params, 2 * one.groups[r.id].params);
  assert.equal(analysisOf(setRepeat(doc, r.id, 3)).errors, 0);
  assert.equal(setRepeat(doc, r.id, 1000).groups[0].repeat, 64);
  assert.equal(setRepeat(doc, r.id, 0).groups[0].repeat, 1);
});

test('ungroup keeps the nodes and removes the group', () => {
  const r = grouped();
  const doc = ungroup(r.doc, r.id);
  assert.equal(doc.groups.length, 0);
  assert.ok(doc.nodes.every((n) => !n.group));
  assert.equal(doc.nodes.length, r.doc.nodes.length);
});

test('a collapsed group is one view node; edges are rerouted to it', () => {
  const r = grouped();
  const doc = updateGroup(r.doc, r.id, { collapsed: true });
  const v = buildView(doc);
  assert.ok(v.nodes.some((n) => n.kind === 'group' && n.id === `group:${r.id}`));
  assert.ok(!v.nodes.some((n) => n.kind === 'block' && n.docId === 'conv2d_1'));
  assert.ok(v.edges.some((e) => e.source === 'input_1' && e.target === `group:${r.id}`));
  assert.ok(v.edges.some((e) => e.source === `group:${r.id}` && e.target === 'global_avgpool_1'));
  assert.ok(!v.edges.some((e) => e.source === 'conv2d_1'));
  const expanded = buildView(r.doc);
  assert.ok(expanded.nodes.some((n) => n.kind === 'frame'));
});

test('autoLayout places every node and moves a collapsed group as a whole', () => {
  const r = grouped();
  const doc = updateGroup(r.doc, r.id, { collapsed: true });
  const pos = autoLayout(doc);
  assert.equal(Object.keys(pos).length, doc.nodes.length);
  const dy1 = pos.batchnorm_1.y - pos.conv2d_1.y;
  const dy0 = doc.nodes.find((n) => n.id === 'batchnorm_1')!.position.y - doc.nodes.find((n) => n.id === 'conv2d_1')!.position.y;
  assert.equal(dy1, dy0, 'members keep their relative positions');
});

test('collapsing closes the gap below the group; expanding reopens it', async () => {
  const { setCollapsed } = await import('../../../src/renderer/core/groups');
  const r = grouped();
  const y = (d: typeof r.doc, id: string) => d.nodes.find((n) => n.id === id)!.position.y;
  const c = setCollapsed(r.doc, r.id, true);
  assert.equal(c.groups[0].collapsed, true);
  assert.equal(y(c, 'global_avgpool_1'), y(r.doc, 'global_avgpool_1') - (y(r.doc, 'relu_1') - y(r.doc, 'conv2d_1')));
  assert.equal(y(c, 'input_1'), y(r.doc, 'input_1'));
  const e = setCollapsed(c, r.id, false);
  assert.deepEqual(e.nodes.map((n) => n.position), r.doc.nodes.map((n) => n.position));
});
