import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { loadFromMemory, saveToMemory } from '../../../../src/main/engine/compile/artifacts';
import { compile, CompileError } from '../../../../src/main/engine/compile/compile';
import { nodeProbes } from '../../../../src/main/engine/compile/probes';
import { GraphBuilder, type Ref } from '../../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { assertCounts, assertGradients, assertReloads, fixedRandom, predictAll } from './harness';

before(async () => {
  await tf.setBackend('cpu');
});

/** conv-BN-ReLU ×2 → GAP → classify. */
function convBnRelu(): GraphDoc {
  const b = new GraphBuilder({ name: 'conv bn relu', input: [8, 8, 3] });
  let x = b.input();
  for (const [i, filters] of [8, 16].entries()) {
    x = b.add('core/conv2d', { filters, padding: 'explicit', pad: 1, bias: false }, x, { label: `conv${i + 1}` });
    x = b.add('norm/batchnorm', {}, x, { label: `bn${i + 1}` });
    x = b.add('act/relu', {}, x, { label: `relu${i + 1}` });
  }
  x = b.add('pool/global_avgpool', {}, x);
  b.add('head/classify', { classes: 5 }, x, { label: 'fc' });
  return b.build();
}

/** A stem, one residual block repeated ×2 as a group, a strided grouped conv, GAP and a head. */
function smallResNet(): GraphDoc {
  const b = new GraphBuilder({ name: 'small resnet', input: [8, 8, 3] });
  let x = b.input();
  x = b.add('core/conv2d', { filters: 8, bias: false }, x, { label: 'stem' });
  x = b.add('act/relu', {}, b.add('norm/batchnorm', {}, x));
  x = b.group('layer1.0', 2, () => {
    let y: Ref = b.add('core/conv2d', { filters: 8, padding: 'explicit', pad: 1, bias: false }, x, { label: 'layer1.0.conv1' });
    y = b.add('act/relu', {}, b.add('norm/batchnorm', {}, y, { label: 'layer1.0.bn1' }), { label: 'layer1.0.relu' });
    y = b.add('core/conv2d', { filters: 8, groups: 2, padding: 'explicit', pad: 1, bias: false }, y, { label: 'layer1.0.conv2' });
    y = b.add('norm/batchnorm', {}, y, { label: 'layer1.0.bn2' });
    return b.add('act/relu', {}, b.add('merge/add', {}, [y, x], { label: 'layer1.0.add' }), { label: 'layer1.0.out' });
  });
  x = b.add('core/conv2d', { filters: 16, stride: 2, groups: 4 }, x, { label: 'down' });
  x = b.add('pool/global_avgpool', {}, x);
  b.add('head/classify', { classes: 4 }, x, { label: 'fc' });
  return b.build();
}

function tinyVit(): GraphDoc {
  const b = new GraphBuilder({ name: 'tiny vit', input: [8, 8, 3] });
  let x = b.input();
  x = b.add('tfm/patch_embed', { patch: 2, dim: 16 }, x);
  x = b.add('tfm/class_token', {}, x);
  x = b.add('tfm/pos_embed', {}, x);
  x = b.group('blocks', 2, () => b.add('tfm/encoder', { heads: 4, mlpDim: 32 }, x, { label: 'block' }));
  x = b.add('norm/layernorm', { epsilon: 1e-6 }, x);
  x = b.add('tfm/cls_pool', {}, x);
  b.add('head/classify', { classes: 3 }, x);
  return b.build();
}

/** Two YOLO heads on two scales. */
function twoScaleDetector(): GraphDoc {
  const b = new GraphBuilder({ name: 'two scales', input: [16, 16, 3], task: 'detection' });
  let x = b.input();
  x = b.add('core/conv2d', { filters: 8, stride: 2 }, x);
  const p8 = b.add('act/silu', {}, x);
  const p16 = b.add('core/conv2d', { filters: 8, stride: 2 }, p8);
  b.add('det/yolo_head', { classes: 2, anchors: 3, stride: 4 }, p16, { label: 'head_p16' });
  b.add('det/yolo_head', { classes: 2, anchors: 3, stride: 2 }, p8, { label: 'head_p8' });
  return b.build();
}

describe('compile: whole graphs', () => {
  for (const [name, make] of [['conv-BN-ReLU', convBnRelu], ['small ResNet with a group ×2', smallResNet], ['tiny ViT', tinyVit], ['two-scale detector', twoScaleDetector]] as const) {
    test(name, async () => {
      const graph = make();
      const c = compile(graph, { seed: 3 });
      try {
        assertCounts(c);
        const x = fixedRandom([2, ...graph.meta.input.shape], 5);
        const outs = predictAll(c.model, x);
        assert.equal(outs.length, c.outputs.length);
        outs.forEach((o, i) => assert.deepEqual(o.shape, [2, ...c.analysis.nodes[c.outputs[i].nodeId].output!.slice(1)]));
        tf.dispose(outs);
        await assertGradients(c.model, x);
        await assertReloads(c.model, x);
      } finally {
        c.model.dispose();
      }
    });
  }

  test('repeated groups are unrolled, and copies are named as the editor labels them', () => {
    const c = compile(smallResNet());
    try {
      assert.deepEqual(c.layerOf.get('conv2d_2'), ['layer1.0.conv1__pad', 'layer1.0.conv1']);
      assert.deepEqual(c.layerOf.get('conv2d_2#2'), ['layer1.1.conv1__pad', 'layer1.1.conv1']);
      assert.ok(c.model.getLayer('layer1.1.add'));
      const names = c.model.layers.map((l) => l.name);
      assert.equal(new Set(names).size, names.length);
    } finally {
      c.model.dispose();
    }
  });

  test('multiple outputs keep the document order of the heads', () => {
    const c = compile(twoScaleDetector());
    try {
      assert.deepEqual(c.outputs.map((o) => o.name), ['head_p16', 'head_p8']);
      assert.deepEqual(c.model.outputs.map((o) => o.shape), [[null, 4, 4, 21], [null, 8, 8, 21]]);
    } finally {
      c.model.dispose();
    }
  });

  test('a graph with errors is refused with a CompileError listing the issues', () => {
    const b = new GraphBuilder({ name: 'broken', input: [8, 8, 3] });
    const x = b.input();
    b.add('norm/groupnorm', { groups: 2 }, x); // 3 channels are not divisible by 2
    b.add('merge/add', {}, [x]); // arity
    assert.throws(
      () => compile(b.build()),
      (err: unknown) => {
        assert.ok(err instanceof CompileError);
        assert.ok(err.issues.length >= 2, JSON.stringify(err.issues));
        assert.ok(err.issues.every((i) => i.severity === 'error'));
        assert.match(err.message, /groups 2 must divide the channels 3/);
        return true;
      },
    );
  });

  test('layer names are valid and unique whatever the labels', () => {
    const b = new GraphBuilder({ name: 'names', input: [4, 4, 2] });
    let x = b.input('my input/1');
    x = b.add('core/conv2d', { filters: 2 }, x, { label: 'Conv 1 / main' });
    x = b.add('core/conv2d', { filters: 2 }, x, { label: 'Conv 1 / main' });
    x = b.add('core/conv2d', { filters: 2, padding: 'explicit', pad: 1 }, x, { label: '__weird__' });
    x = b.add('pool/global_avgpool', {}, x);
    b.add('head/classify', { classes: 2 }, x, { label: 'Conv_1_main' });
    const c = compile(b.build());
    try {
      const names = c.model.layers.map((l) => l.name);
      assert.deepEqual(names, ['my_input_1', 'Conv_1_main', 'Conv_1_main_2', 'weird__pad', 'weird', 'global_avgpool_1', 'Conv_1_main_3']);
    } finally {
      c.model.dispose();
    }
  });

  test("BatchNorm's PyTorch momentum becomes Keras' 1 − m", () => {
    const c = compile(convBnRelu());
    try {
      const cfg = c.model.getLayer('bn1').getConfig();
      assert.ok(Math.abs((cfg['momentum'] as number) - 0.9) < 1e-12);
      assert.equal(cfg['epsilon'], 1e-5);
    } finally {
      c.model.dispose();
    }
  });
});

describe('compile: initialisation', () => {
  const kernel = (m: tf.LayersModel, layer: string) => Array.from(m.getLayer(layer).getWeights()[0].dataSync() as Float32Array);

  test('a seed makes the weights reproducible; another seed changes them', () => {
    const [a, b, c] = [1, 1, 2].map((seed) => compile(convBnRelu(), { seed }).model);
    try {
      assert.deepEqual(kernel(a, 'conv1'), kernel(b, 'conv1'));
      assert.notDeepEqual(kernel(a, 'conv1'), kernel(c, 'conv1'));
      assert.notDeepEqual(kernel(a, 'conv1').slice(0, 8), kernel(a, 'conv2').slice(0, 8));
    } finally {
      [a, b, c].forEach((m) => m.dispose());
    }
  });

  test('global and per-node choices', () => {
    const { model } = compile(convBnRelu(), { init: 'zeros', initByNode: { conv2d_2: 'he_uniform' }, seed: 4 });
    try {
      assert.ok(kernel(model, 'conv1').every((v) => v === 0));
      const k2 = kernel(model, 'conv2');
      const bound = Math.sqrt(6 / (3 * 3 * 8)); // He uniform, fan_in = 3·3·8
      assert.ok(k2.some((v) => v !== 0) && k2.every((v) => Math.abs(v) <= bound));
      assert.ok(kernel(model, 'fc').every((v) => v === 0));
    } finally {
      model.dispose();
    }
  });

  test("a node's own init overrides the global choice; initByNode overrides both", () => {
    const graph = convBnRelu();
    graph.nodes.find((n) => n.label === 'conv1')!.init = 'zeros';
    graph.nodes.find((n) => n.label === 'conv2')!.init = 'glorot_uniform';
    const { model } = compile(graph, { init: 'normal', initByNode: { conv2d_2: 'zeros' }, seed: 4 });
    try {
      assert.ok(kernel(model, 'conv1').every((v) => v === 0));
      assert.ok(kernel(model, 'conv2').every((v) => v === 0));
      const fc = kernel(model, 'fc');
      assert.ok(fc.some((v) => v !== 0) && fc.every((v) => Math.abs(v) < 0.1), 'N(0, 0.01²)');
    } finally {
      model.dispose();
    }
  });

  test("'auto' is He normal for convs (std ≈ √(2/fan_in))", () => {
    const b = new GraphBuilder({ name: 'wide', input: [4, 4, 64] });
    const x = b.add('core/conv2d', { filters: 128, kernel: 3 }, b.input(), { label: 'conv' });
    b.add('head/segment', { classes: 2 }, x);
    const { model } = compile(b.build(), { seed: 9 });
    try {
      const k = kernel(model, 'conv');
      const std = Math.sqrt(k.reduce((s, v) => s + v * v, 0) / k.length);
      const target = Math.sqrt(2 / (3 * 3 * 64));
      assert.ok(Math.abs(std / target - 1) < 0.05, `std ${std} vs ${target}`);
    } finally {
      model.dispose();
    }
  });
});

describe('nodeProbes', () => {
  test('lists trainable layers, running statistics and activations in network order, also after a reload', async () => {
    const graph = smallResNet();
    const { model } = compile(graph);
    const reloaded = await loadFromMemory(await saveToMemory(model));
    try {
      const probes = nodeProbes(model, graph);
      const again = nodeProbes(reloaded, graph).map((p) => ({ ...p, trainable: p.trainable.map((t) => t.layer), running: p.running.map((r) => r.layer) }));
      assert.deepEqual(again, probes.map((p) => ({ ...p, trainable: p.trainable.map((t) => t.layer), running: p.running.map((r) => r.layer) })));

      const stem = probes.find((p) => p.nodeId === 'conv2d_1')!;
      assert.equal(stem.output, 'stem');
      assert.deepEqual(stem.trainable.map((t) => t.layer), ['stem']);
      const copy = probes.find((p) => p.nodeId === 'conv2d_2#2')!;
      assert.equal(copy.origin, 'conv2d_2');
      assert.deepEqual(copy.layers, ['layer1.1.conv1__pad', 'layer1.1.conv1']);
      const bn = probes.find((p) => p.nodeId === 'batchnorm_2')!;
      assert.equal(bn.running.length, 1);
      assert.match(bn.running[0].mean, /moving_mean/);
      assert.equal(bn.trainable[0].variables.length, 2);
      assert.deepEqual(probes.filter((p) => p.activation).map((p) => p.output), ['relu_1', 'layer1.0.relu', 'layer1.0.out', 'layer1.1.relu', 'layer1.1.out']);

      // Network order: every node after the nodes it reads.
      const order = probes.map((p) => p.nodeId);
      assert.ok(order.indexOf('conv2d_2') < order.indexOf('conv2d_2#2'));
      // Variable names are the keys tf.variableGrads uses.
      const names = new Set(model.trainableWeights.map((w) => w.name));
      assert.ok(probes.every((p) => p.trainable.every((t) => t.variables.every((v) => names.has(v)))));
      assert.equal(probes.flatMap((p) => p.trainable.flatMap((t) => t.variables)).length, model.trainableWeights.length);
    } finally {
      model.dispose();
      reloaded.dispose();
    }
  });
});
