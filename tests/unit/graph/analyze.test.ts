import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { analyze, errorsOf } from '../../../src/shared/graph/analyze';
import { GraphBuilder } from '../../../src/shared/graph/builder';
import { GRAPH_SCHEMA_VERSION, type EdgeDoc, type GraphDoc, type NodeDoc } from '../../../src/shared/graph/types';

const node = (id: string, type: string, params: Record<string, unknown> = {}): NodeDoc => ({ id, type, params, position: { x: 0, y: 0 } });
const edge = (source: string, target: string, i: number): EdgeDoc => ({ id: `e${i}`, source, sourcePort: 'out', target, targetPort: 'in' });
function graph(nodes: NodeDoc[], links: [string, string][], input = [8, 8, 16]): GraphDoc {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    meta: { name: 't', task: 'classification', input: { shape: input } },
    nodes,
    edges: links.map(([s, t], i) => edge(s, t, i + 1)),
    groups: [],
  };
}

describe('analyze', () => {
  it('infers shapes and sums costs along a small classifier', () => {
    const b = new GraphBuilder({ name: 'cnn', input: [32, 32, 3] });
    let x = b.input();
    x = b.add('core/conv2d', { filters: 16 }, x);
    x = b.add('act/relu', {}, x);
    x = b.add('pool/global_avgpool', {}, x);
    x = b.add('head/classify', { classes: 10 }, x);
    const a = analyze(b.build());
    assert.deepEqual(errorsOf(a), []);
    assert.deepEqual(a.nodes[x.node].output, [null, 10]);
    // conv 448 + classify 16·10 + 10 = 170
    assert.equal(a.totals.params, 618);
    // conv 442,368 + classify 160
    assert.equal(a.totals.macs, 442_528);
    assert.equal(a.totals.flops, 2 * 442_528);
  });

  it('reports a cycle naming its nodes', () => {
    const g = graph([node('in', 'io/input'), node('a', 'act/relu'), node('b', 'merge/add')], [['in', 'b'], ['b', 'a'], ['a', 'b']]);
    const cycle = analyze(g).issues.find((i) => i.code === 'cycle');
    assert.equal(cycle?.message, "The graph has a cycle through 'a', 'b'");
  });

  it('reports an unconnected input', () => {
    const g = graph([node('in', 'io/input'), node('c', 'core/conv2d'), node('r', 'act/relu')], [['in', 'r']]);
    const issue = analyze(g).issues.find((i) => i.code === 'unconnected-input');
    assert.equal(issue?.message, "Conv2D 'c' has nothing connected to its input 'in'");
    assert.equal(issue?.nodeId, 'c');
  });

  it('reports arity: a variadic Add with one input, a single port with two', () => {
    const g = graph([node('in', 'io/input'), node('s', 'merge/add'), node('r', 'act/relu'), node('c', 'merge/concat')], [['in', 's'], ['in', 'r'], ['s', 'r'], ['r', 'c'], ['in', 'c']]);
    const msgs = analyze(g).issues.filter((i) => i.code === 'arity').map((i) => i.message);
    assert.deepEqual(msgs.sort(), ["Add 's' needs at least 2 inputs, has 1", "ReLU 'r' takes one input on 'in', has 2"]);
  });

  it('reports an Add shape mismatch naming both nodes and both shapes', () => {
    const g = graph(
      [node('in', 'io/input'), node('c1', 'core/conv2d', { filters: 16 }), node('c2', 'core/conv2d', { filters: 16, stride: 2 }), node('sum', 'merge/add')],
      [['in', 'c1'], ['in', 'c2'], ['c1', 'sum'], ['c2', 'sum']],
    );
    const issue = analyze(g).issues.find((i) => i.code === 'shape');
    assert.equal(issue?.message, "Add 'sum': cannot add 'c1' (8×8×16) and 'c2' (4×4×16): the shapes must be equal");
    assert.equal(issue?.nodeId, 'sum');
  });

  it('routes a ShapeError with a param to the param (code and field)', () => {
    const g = graph([node('in', 'io/input'), node('gn', 'norm/groupnorm', { groups: 5 }), node('f', 'reshape/flatten')], [['in', 'gn'], ['gn', 'f']]);
    const issue = analyze(g).issues.find((i) => i.nodeId === 'gn');
    assert.equal(issue?.code, 'param');
    assert.equal(issue?.param, 'groups');
    assert.equal(issue?.message, "GroupNorm 'gn': groups 5 must divide the channels 16");
  });

  it('reports invalid params from the specs', () => {
    const g = graph([node('in', 'io/input'), node('p', 'pool/maxpool', { size: 0 }), node('f', 'reshape/flatten')], [['in', 'p'], ['p', 'f']]);
    const issue = analyze(g).issues.find((i) => i.nodeId === 'p');
    assert.equal(issue?.message, "Max Pool 'p': size must be ≥ 1");
    assert.equal(issue?.param, 'size');
  });

  it('a group repeated ×3 costs exactly 3× one copy', () => {
    const build = (repeat: number): GraphDoc => {
      const b = new GraphBuilder({ name: 'g', input: [8, 8, 16] });
      let x = b.input();
      x = b.group('stage', repeat, () => {
        let y = b.add('core/conv2d', { filters: 16, bias: false }, x);
        y = b.add('norm/batchnorm', {}, y);
        return b.add('act/relu', {}, y);
      });
      x = b.add('pool/global_avgpool', {}, x);
      b.add('head/classify', { classes: 10 }, x);
      return b.build();
    };
    const one = analyze(build(1));
    const three = analyze(build(3));
    assert.deepEqual(errorsOf(three), []);
    const groupId = Object.keys(three.groups)[0];
    const g1 = one.groups[groupId];
    const g3 = three.groups[groupId];
    // one copy: conv 3·3·16·16 = 2304 params, BN 32 (+ 32 buffers); MACs 2304·8·8 = 147,456
    assert.equal(g1.params, 2336);
    assert.equal(g1.macs, 147_456);
    assert.equal(g3.copies, 3);
    assert.equal(g3.params, 3 * g1.params);
    assert.equal(g3.buffers, 3 * g1.buffers);
    assert.equal(g3.macs, 3 * g1.macs);
    assert.equal(g3.ops, 3 * g1.ops);
    assert.equal(g3.activations, 3 * g1.activations);
    assert.equal(three.totals.params - one.totals.params, 2 * g1.params);
    const conv = Object.entries(three.nodes).find(([id]) => id.startsWith('conv2d'))!;
    assert.equal(conv[1].copies, 3);
  });
});
