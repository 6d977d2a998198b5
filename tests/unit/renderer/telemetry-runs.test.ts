import assert from 'node:assert/strict';
import { test } from 'node:test';
import { configDiff, graphDiff } from '../../../src/renderer/runs/diff';
import { GraphBuilder } from '../../../src/shared/graph/builder';

test('configDiff lists only the settings that differ, as dotted paths', () => {
  const rows = configDiff([
    { epochs: 5, optimizer: { name: 'adam', lr: 0.001 }, augment: {} },
    { epochs: 5, optimizer: { name: 'sgd', lr: 0.001 }, augment: { hflip: { enabled: true } } },
  ]);
  assert.deepEqual(rows, [
    { path: 'augment', values: ['{}', '—'] },
    { path: 'augment.hflip.enabled', values: ['—', 'true'] },
    { path: 'optimizer.name', values: ['adam', 'sgd'] },
  ]);
  assert.deepEqual(configDiff([{ a: 1 }, { a: 1 }]), []);
});

test('graphDiff finds added, removed and changed blocks', () => {
  const net = (bn: boolean, units: number) => {
    const b = new GraphBuilder({ name: 'n', input: [8] });
    let x = b.add('core/dense', { units }, b.input());
    if (bn) x = b.add('norm/batchnorm', {}, x);
    b.add('head/classify', { classes: 3 }, x);
    return b.build();
  };
  const d = graphDiff(net(false, 16), net(true, 32));
  assert.deepEqual(d.added.map((n) => n.type), ['norm/batchnorm']);
  assert.deepEqual(d.removed, []);
  assert.deepEqual(d.changed.map((c) => [c.node.id, c.changes.map((x) => `${x.key}:${x.from}>${x.to}`)]), [['dense_1', ['units:16>32']]]);
  assert.equal(d.edgesAdded, 2);
  assert.equal(d.edgesRemoved, 1);
  assert.equal(d.same, false);
  assert.equal(graphDiff(net(false, 16), net(false, 16)).same, true);
});
