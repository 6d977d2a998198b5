import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GraphBuilder, type Ref } from '../../../src/shared/graph/builder';
import { analyze, errorsOf } from '../../../src/shared/graph/analyze';
import { groupBoundary } from '../../../src/shared/graph/expand';
import { basicBlock, bottleneck, COMPOSITES, compositeById, cspBlock, invertedResidual, mbconv, mobileNetV3Block, transformerStage } from '../../../src/shared/templates/composites';
import { makeDivisible } from '../../../src/shared/templates/layers';

const SEQUENCE = new Set(['transformer_stage']);

/** Input → (patch embed for token composites) → composite → pool → classify. */
function host(channels: number, insert: (b: GraphBuilder, x: Ref) => Ref, tokens = false) {
  const b = new GraphBuilder({ name: 'host', input: [16, 16, tokens ? 3 : channels] });
  let x = b.input();
  if (tokens) x = b.add('tfm/patch_embed', { patch: 4, dim: channels }, x);
  const before = new Set<string>();
  const probe = b.build();
  probe.nodes.forEach((n) => before.add(n.id));
  const y = insert(b, x);
  const pooled = tokens ? b.add('tfm/cls_pool', { mode: 'mean' }, y) : b.add('pool/global_avgpool', {}, y);
  b.add('head/classify', { classes: 10 }, pooled);
  const g = b.build();
  const a = analyze(g);
  return { g, a, y, inserted: g.nodes.filter((n) => !before.has(n.id) && n.id !== pooled.node && !n.type.startsWith('head/')) };
}

describe('composite palette', () => {
  it('has unique ids and descriptions', () => {
    assert.equal(new Set(COMPOSITES.map((c) => c.id)).size, COMPOSITES.length);
    for (const c of COMPOSITES) {
      assert.ok(c.name && c.description.length > 20, c.id);
      assert.equal(compositeById(c.id), c);
    }
    for (const id of ['residual_basic', 'bottleneck', 'mbconv', 'mobilenet_v3_block', 'csp', 'transformer_stage']) assert.ok(compositeById(id), id);
  });

  for (const c of COMPOSITES) {
    for (const channels of [32, 64, 96]) {
      it(`${c.id} at ${channels} channels: one valid group, analyses clean`, () => {
        const tokens = SEQUENCE.has(c.id);
        const { g, a, y, inserted } = host(channels, (b, x) => c.insert(b, x, { channels }), tokens);
        assert.deepEqual(errorsOf(a), []);
        assert.deepEqual(a.issues, []);
        assert.equal(g.groups.length, 1);
        const gr = g.groups[0];
        assert.ok(inserted.length > 0 && inserted.every((n) => n.group === gr.id), 'every inserted node is in the group');
        const { entry, exit, problem } = groupBoundary(g, gr.id);
        assert.equal(problem, undefined);
        assert.ok(entry && exit);
        assert.equal(exit.node, y.node);
        const out = a.nodes[y.node].output!;
        if (tokens) assert.deepEqual(out, [null, 16, channels]);
        else if (c.id === 'residual_basic_down') assert.deepEqual(out, [null, 8, 8, 2 * channels]);
        else assert.deepEqual(out, [null, 16, 16, channels]);
        assert.ok(a.groups[gr.id].params > 0);
      });
    }
  }
});

describe('composite builders', () => {
  const paramsOf = (channels: number, insert: (b: GraphBuilder, x: Ref) => Ref, tokens = false) => {
    const { a, g } = host(channels, insert, tokens);
    assert.deepEqual(errorsOf(a), []);
    return a.groups[g.groups[0].id].params;
  };

  it('a repeated group costs N copies', () => {
    const one = paramsOf(64, (b, x) => basicBlock(b, x, { inChannels: 64, filters: 64 }));
    const three = paramsOf(64, (b, x) => basicBlock(b, x, { inChannels: 64, filters: 64, repeat: 3 }));
    assert.equal(one, 2 * (9 * 64 * 64 + 2 * 64));
    assert.equal(three, 3 * one);
    const enc = paramsOf(64, (b, x) => transformerStage(b, x, { depth: 1, heads: 4, mlpDim: 128 }), true);
    assert.equal(paramsOf(64, (b, x) => transformerStage(b, x, { depth: 5, heads: 4, mlpDim: 128 }), true), 5 * enc);
  });

  it('adds a projection shortcut only when the shape changes', () => {
    const { g } = host(64, (b, x) => basicBlock(b, x, { inChannels: 64, filters: 128, stride: 2, label: 'layer2.0' }));
    assert.ok(g.nodes.some((n) => n.label === 'layer2.0.downsample.0' && n.params.stride === 2 && n.params.kernel === 1));
    const same = host(64, (b, x) => bottleneck(b, x, { inChannels: 256, width: 64 }));
    assert.ok(errorsOf(same.a).length > 0, 'a 64-channel input cannot be added to a 256-channel bottleneck output without a projection…');
    const proj = host(64, (b, x) => bottleneck(b, x, { inChannels: 64, width: 64 }));
    assert.deepEqual(errorsOf(proj.a), [], '…which the builder adds when told the input has 64 channels');
  });

  it('inverted residuals skip the expansion at ratio 1 and the add when the shape changes', () => {
    const noExpand = host(32, (b, x) => invertedResidual(b, x, { inChannels: 32, outChannels: 16, expanded: 32, labels: 'mobilenet_v2', label: 'features.1' }));
    assert.deepEqual(noExpand.g.nodes.filter((n) => n.label?.startsWith('features.1')).map((n) => n.label), [
      'features.1.conv.0.0', 'features.1.conv.0.1', 'features.1.conv.0.2', 'features.1.conv.1', 'features.1.conv.2',
    ]);
    const res = host(24, (b, x) => invertedResidual(b, x, { inChannels: 24, outChannels: 24, expanded: 144, labels: 'mobilenet_v2', label: 'features.3' }));
    assert.ok(res.g.nodes.some((n) => n.type === 'merge/add' && n.label === 'features.3.add'));
  });

  it('MBConv and MobileNetV3 size their SE like torchvision', () => {
    const mb = host(40, (b, x) => mbconv(b, x, { inChannels: 40, outChannels: 40, expandRatio: 6, kernel: 3, label: 'features.4.1' }));
    assert.equal(mb.g.nodes.find((n) => n.type === 'attn/se')!.params.squeeze, 10);
    const v3 = host(40, (b, x) => mobileNetV3Block(b, x, { inChannels: 40, outChannels: 40, expanded: 240, kernel: 5, se: true, act: 'hardswish' }));
    assert.equal(v3.g.nodes.find((n) => n.type === 'attn/se')!.params.squeeze, 64);
    assert.equal(makeDivisible(60), 64);
    assert.equal(makeDivisible(4), 8);
    assert.equal(makeDivisible(36), 40);
  });

  it('CSP block: two half-width branches, n bottlenecks, concat and fuse', () => {
    const { g, a } = host(64, (b, x) => cspBlock(b, x, { outChannels: 128, n: 2, label: 'csp' }));
    assert.deepEqual(errorsOf(a), []);
    const cat = g.nodes.find((n) => n.type === 'merge/concat')!;
    assert.deepEqual(a.nodes[cat.id].output, [null, 16, 16, 128]);
    assert.equal(g.nodes.filter((n) => n.type === 'merge/add').length, 2);
  });
});
