import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/shared/graph/analyze';
import { freezeTotals, freezeUpTo, setFrozen, upstreamOf } from '../../../src/shared/graph/freeze';
import { restore } from '../../../src/shared/graph/restore';
import { templateById } from '../../../src/shared/templates';

const resnet = () => templateById('resnet18')!.build();
const byLabel = (g: ReturnType<typeof resnet>, label: string) => g.nodes.find((n) => n.label === label)!;

describe('frozen blocks in the graph', () => {
  it('freeze everything up to here: the block and every block before it, nothing after', () => {
    const g = resnet();
    const up = upstreamOf(g, byLabel(g, 'maxpool').id);
    assert.deepEqual([...up].map((id) => g.nodes.find((n) => n.id === id)!.label ?? id).sort(), ['bn1', 'conv1', 'input', 'maxpool', 'relu'].sort());
    const frozen = freezeUpTo(g, byLabel(g, 'layer4.1.relu2').id);
    assert.ok(byLabel(frozen, 'layer1.0.conv1').frozen);
    assert.ok(!byLabel(frozen, 'fc').frozen);
  });

  it('the totals split the parameters into trainable and frozen (repeated copies counted)', () => {
    const g = freezeUpTo(resnet(), byLabel(resnet(), 'layer4.1.relu2').id);
    const t = freezeTotals(g, analyze(g));
    assert.equal(t.trainable, 513_000); // fc: 512×1000 + 1000
    assert.equal(t.frozen, 11_689_512 - 513_000);
    const none = freezeTotals(resnet(), analyze(resnet()));
    assert.deepEqual(none, { trainable: 11_689_512, frozen: 0, frozenBlocks: 0 });
  });

  it('the flag survives save and restore, and unfreezing removes it', () => {
    const g = setFrozen(resnet(), [byLabel(resnet(), 'conv1').id], true);
    const back = restore(JSON.stringify(g));
    assert.ok(back.ok);
    assert.equal(byLabel(back.graph, 'conv1').frozen, true);
    const thawed = setFrozen(back.graph, [byLabel(back.graph, 'conv1').id], false);
    assert.ok(!('frozen' in byLabel(thawed, 'conv1')));
  });
});
