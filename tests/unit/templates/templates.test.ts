import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BLOCKS } from '../../../src/shared/blocks';
import { analyze, errorsOf } from '../../../src/shared/graph/analyze';
import { restore } from '../../../src/shared/graph/restore';
import { buildYoloNano, copyLabel, TEMPLATE_FAMILIES, templateById, TEMPLATES } from '../../../src/shared/templates';

const REQUIRED = [
  'lenet5', 'vgg11', 'vgg16', 'resnet18', 'resnet34', 'resnet50', 'mobilenet_v1', 'mobilenet_v2', 'mobilenet_v3_small',
  'efficientnet_b0', 'vit_tiny', 'vit_b16', 'unet_small', 'yolo_tiny', 'yolo_nano',
  'lenet_mnist', 'cnn_small', 'resnet_cifar', 'mobilenet_v2_cifar', 'vit_tiny_cifar',
];

describe('template catalog', () => {
  it('has every required template once, found by id', () => {
    const ids = TEMPLATES.map((t) => t.id);
    assert.equal(new Set(ids).size, ids.length, 'ids are unique');
    for (const id of REQUIRED) assert.equal(templateById(id)?.id, id);
    assert.equal(templateById('nope'), undefined);
  });

  it('offers starters for 28×28×1 and 32×32×3 data', () => {
    assert.ok(TEMPLATES.some((t) => t.input.join() === '28,28,1' && t.id === 'cnn_small'));
    for (const id of ['resnet_cifar', 'mobilenet_v2_cifar', 'vit_tiny_cifar']) assert.deepEqual(templateById(id)!.input, [32, 32, 3]);
    assert.deepEqual(templateById('lenet_mnist')!.input, [28, 28, 1]);
  });
});

for (const t of TEMPLATES) {
  describe(`template ${t.id}`, () => {
    const g = t.build();
    const a = analyze(g);

    it('has consistent metadata', () => {
      assert.ok(TEMPLATE_FAMILIES.includes(t.family));
      assert.ok(t.name.length > 0 && t.description.length > 20);
      assert.deepEqual(g.meta.input.shape, t.input);
      assert.equal(g.meta.task, t.task);
      assert.equal(g.meta.name, t.name);
      assert.equal(t.task, t.family === 'segmentation' ? 'segmentation' : t.family === 'detection' ? 'detection' : 'classification');
    });

    it('analyses with no errors and no warnings', () => {
      assert.deepEqual(errorsOf(a), []);
      assert.deepEqual(a.issues, []);
    });

    it('ends in a head of the right shape', () => {
      const known = new Set(BLOCKS.map((b) => b.type));
      for (const n of g.nodes) assert.ok(known.has(n.type), n.type);
      const sinks = g.nodes.filter((n) => !g.edges.some((e) => e.source === n.id));
      if (t.task === 'detection') {
        // One YOLO head per scale; each head's stride divides the input into its grid.
        assert.ok(sinks.length >= 1 && sinks.every((s) => s.type === 'det/yolo_head'), sinks.map((s) => s.type).join());
        for (const s of sinks) {
          const { stride, classes, anchors } = s.params as { stride: number; classes: number; anchors: number };
          assert.equal(classes, t.classes);
          assert.deepEqual(a.nodes[s.id].output, [null, t.input[0] / stride, t.input[1] / stride, Math.max(1, anchors) * (5 + t.classes)]);
        }
        return;
      }
      assert.equal(sinks.length, 1);
      const out = a.nodes[sinks[0].id].output;
      if (t.task === 'classification') {
        assert.equal(sinks[0].type, 'head/classify');
        assert.deepEqual(out, [null, t.classes]);
      } else if (t.task === 'segmentation') {
        assert.equal(sinks[0].type, 'head/segment');
        assert.deepEqual(out, [null, t.input[0], t.input[1], t.classes]);
      }
    });

    it('labels every parameterised node, uniquely once repeated groups are unrolled', () => {
      const groupName = new Map(g.groups.map((gr) => [gr.id, gr]));
      const seen = new Set<string>();
      for (const n of g.nodes) {
        if (n.type === 'io/input') continue;
        assert.ok(n.label, `${n.id} (${n.type}) has a label`);
        const gr = n.group ? groupName.get(n.group) : undefined;
        for (let k = 0; k < (gr?.repeat ?? 1); k++) {
          const name = gr ? copyLabel(n.label!, gr.name, k) : n.label!;
          assert.ok(!seen.has(name), `duplicate label ${name}`);
          seen.add(name);
        }
      }
    });

    it('loads through restore() unchanged', () => {
      const r = restore(JSON.parse(JSON.stringify(g)));
      assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
      assert.deepEqual(r.notes, []);
      assert.deepEqual(r.graph.nodes.map((n) => [n.id, n.type, n.params]), g.nodes.map((n) => [n.id, n.type, n.params]));
      assert.deepEqual(r.graph.edges, g.edges);
      assert.deepEqual(r.graph.groups, g.groups);
    });

    it('builds the same document every time', () => {
      assert.deepEqual(t.build(), g);
    });
  });
}

describe('YOLO templates', () => {
  const heads = (id: string) => templateById(id)!.build().nodes.filter((n) => n.type === 'det/yolo_head').map((n) => n.params.stride);

  it('yolo_tiny has one stride-32 head, for inputs of 256 px and more', () => {
    const t = templateById('yolo_tiny')!;
    assert.deepEqual(heads('yolo_tiny'), [32]);
    assert.deepEqual(t.input, [416, 416, 3]);
    assert.match(t.description, /256 px/);
  });

  it('yolo_nano (the `yolo` alias) detects on a stride-8 grid of 64-px shapes-det images, with an FPN neck', () => {
    const t = templateById('yolo')!;
    assert.equal(t.id, 'yolo_nano');
    assert.deepEqual(t.input, [64, 64, 3]);
    assert.equal(t.classes, 6);
    assert.deepEqual(heads('yolo_nano'), [8]);
    const g = t.build();
    const types = new Set(g.nodes.map((n) => n.type));
    for (const type of ['reshape/upsample', 'merge/concat', 'merge/add', 'pool/maxpool']) assert.ok(types.has(type), type);
    assert.ok(g.groups.some((gr) => gr.name === 'neck.p3') && g.groups.some((gr) => gr.name === 'backbone.s16.csp'), 'CSP blocks in the backbone and the neck');
    assert.equal(t.recommended?.dataset, 'shapes-det');
    const p = analyze(g).totals.params;
    assert.ok(p > 300_000 && p < 600_000, `${p} parameters`);
  });

  it('yolo_nano can add a stride-16 head', () => {
    const g = buildYoloNano({ strides: [8, 16] });
    const a = analyze(g);
    assert.deepEqual(errorsOf(a), []);
    const outs = g.nodes.filter((n) => n.type === 'det/yolo_head').map((n) => a.nodes[n.id].output);
    assert.deepEqual(outs, [[null, 8, 8, 33], [null, 4, 4, 33]]);
  });
});

describe('repeated stages', () => {
  const repeats = (id: string) => templateById(id)!.build().groups.filter((gr) => gr.repeat > 1).map((gr) => `${gr.name}×${gr.repeat}`);

  it('ResNets chain their identity blocks as one group per stage', () => {
    assert.deepEqual(repeats('resnet18'), []);
    assert.deepEqual(repeats('resnet34'), ['layer1.1×2', 'layer2.1×3', 'layer3.1×5', 'layer4.1×2']);
    assert.deepEqual(repeats('resnet50'), ['layer1.1×2', 'layer2.1×3', 'layer3.1×5', 'layer4.1×2']);
    const r18 = templateById('resnet18')!.build();
    assert.deepEqual(r18.groups.map((gr) => gr.name), ['layer1.0', 'layer1.1', 'layer2.0', 'layer2.1', 'layer3.0', 'layer3.1', 'layer4.0', 'layer4.1']);
  });

  it('mobile nets and transformers repeat their identity blocks', () => {
    assert.deepEqual(repeats('mobilenet_v1'), ['model.7×5']);
    assert.deepEqual(repeats('mobilenet_v2'), ['features.5×2', 'features.8×3', 'features.12×2', 'features.15×2']);
    assert.deepEqual(repeats('mobilenet_v3_small'), ['features.5×2', 'features.10×2']);
    assert.deepEqual(repeats('efficientnet_b0'), ['features.4.1×2', 'features.5.1×2', 'features.6.1×3']);
    assert.deepEqual(repeats('vit_b16'), ['encoder.layers.encoder_layer_0×12']);
    assert.deepEqual(repeats('vit_tiny_cifar'), ['encoder.layers.encoder_layer_0×2']);
  });

  it('names copies after torchvision modules', () => {
    assert.equal(copyLabel('layer3.1.conv2', 'layer3.1', 4), 'layer3.5.conv2');
    assert.equal(copyLabel('features.6.1.block.2', 'features.6.1', 2), 'features.6.3.block.2');
    assert.equal(copyLabel('encoder.layers.encoder_layer_0', 'encoder.layers.encoder_layer_0', 11), 'encoder.layers.encoder_layer_11');
    assert.equal(copyLabel('layer3.1.conv2', 'layer3.1', 0), 'layer3.1.conv2');
  });

  it('uses PyTorch padding and strides (ResNet-50 shapes)', () => {
    const g = templateById('resnet50')!.build();
    const a = analyze(g);
    const shape = (label: string) => a.nodes[g.nodes.find((n) => n.label === label)!.id].output;
    assert.deepEqual(shape('conv1'), [null, 112, 112, 64]);
    assert.deepEqual(shape('maxpool'), [null, 56, 56, 64]);
    assert.deepEqual(shape('layer1.0.relu3'), [null, 56, 56, 256]);
    assert.deepEqual(shape('layer2.0.conv2'), [null, 28, 28, 128]);
    assert.deepEqual(shape('layer4.1.relu3'), [null, 7, 7, 2048]);
  });
});
