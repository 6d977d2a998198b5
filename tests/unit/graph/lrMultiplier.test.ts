// Learning-rate multipliers in the graph document: validation where graphs are parsed, "up to here", the run
// summary's words.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze } from '../../../src/shared/graph/analyze';
import { setFrozen } from '../../../src/shared/graph/freeze';
import { describeLrMultipliers, lrMultiplierUpTo, lrMultiplierUses, parseLrMultiplier, setLrMultiplier } from '../../../src/shared/graph/lrMultiplier';
import { restore } from '../../../src/shared/graph/restore';
import { summaryOf, type RunRecord } from '../../../src/shared/runs/runRecord';
import { templateById } from '../../../src/shared/templates';

const resnet = () => templateById('resnet18')!.build();
const byLabel = (g: ReturnType<typeof resnet>, label: string) => g.nodes.find((n) => n.label === label)!;

describe('learning-rate multipliers in the graph', () => {
  it('survive save and restore; 1 removes the field', () => {
    const g = setLrMultiplier(resnet(), [byLabel(resnet(), 'conv1').id], 0.1);
    const back = restore(JSON.stringify(g));
    assert.ok(back.ok);
    assert.equal(byLabel(back.graph, 'conv1').lrMultiplier, 0.1);
    assert.ok(!('lrMultiplier' in byLabel(back.graph, 'fc')));
    const reset = setLrMultiplier(back.graph, [byLabel(back.graph, 'conv1').id], 1);
    assert.ok(!('lrMultiplier' in byLabel(reset, 'conv1')));
    // A stored 1 is dropped on load (1 is the default).
    const ones = JSON.parse(JSON.stringify(resnet()));
    ones.nodes[1].lrMultiplier = 1;
    const loaded = restore(ones);
    assert.ok(loaded.ok && !('lrMultiplier' in loaded.graph.nodes[1]));
  });

  it('0, negative and non-numbers are refused with the path and the reason', () => {
    for (const [bad, reason] of [
      [0, /0 is freezing: use Freeze/],
      [-0.5, /greater than 0/],
      ['0.1', /must be a finite number/],
      [5000, /at most 1000/],
    ] as const) {
      const doc = JSON.parse(JSON.stringify(resnet()));
      doc.nodes[2].lrMultiplier = bad;
      const r = restore(doc);
      assert.ok(!r.ok, `${bad} is refused`);
      assert.equal(r.errors[0].path, 'nodes[2].lrMultiplier');
      assert.match(r.errors[0].message, reason);
    }
    assert.throws(() => setLrMultiplier(resnet(), ['conv1'], 0), /freezing/);
    assert.deepEqual(parseLrMultiplier('×0.1'), { ok: true, value: 0.1 });
    assert.equal(parseLrMultiplier('0').ok, false);
  });

  it('"up to here" sets the block and every block before it, nothing after', () => {
    const g = lrMultiplierUpTo(resnet(), analyze(resnet()), byLabel(resnet(), 'layer4.1.relu2').id, 0.1);
    assert.equal(byLabel(g, 'conv1').lrMultiplier, 0.1);
    assert.equal(byLabel(g, 'layer3.0.conv1').lrMultiplier, 0.1);
    assert.ok(!('lrMultiplier' in byLabel(g, 'fc')));
    assert.ok(!('lrMultiplier' in byLabel(g, 'relu')) && !('lrMultiplier' in byLabel(g, 'maxpool')), 'blocks without weights are left alone');
  });

  it('the run summary counts the blocks per multiplier (frozen blocks do not train, so they are left out)', () => {
    let g = lrMultiplierUpTo(resnet(), analyze(resnet()), byLabel(resnet(), 'layer1.1.relu2').id, 0.1);
    g = setLrMultiplier(g, [byLabel(g, 'fc').id], 10);
    g = setFrozen(g, [byLabel(g, 'conv1').id], true);
    const uses = lrMultiplierUses(g.nodes);
    const tenth = g.nodes.filter((n) => n.lrMultiplier === 0.1 && !n.frozen).length;
    assert.deepEqual(uses, [{ multiplier: 0.1, blocks: tenth }, { multiplier: 10, blocks: 1 }]);
    assert.equal(describeLrMultipliers(uses), `lr ×0.1 on ${tenth} blocks, ×10 on 1 block`);
    const record = { id: 'r1', name: 'r', state: 'completed', createdAt: new Date().toISOString(), dataset: 'shapes', epoch: 1, epochs: 1, step: 1, config: {}, graph: g } as unknown as RunRecord;
    assert.deepEqual(summaryOf(record).lrMultipliers, uses);
    assert.equal(summaryOf({ ...record, graph: resnet() }).lrMultipliers, undefined);
  });
});
