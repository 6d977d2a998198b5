import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { exportOnnx } from '../../../../src/main/engine/export/onnx/export';
import { planBatchNormFolding } from '../../../../src/main/engine/export/fuseBatchNorm';
import { layerBaseNames } from '../../../../src/main/engine/compile/naming';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import { BLOCKS } from '../../../../src/shared/blocks';
import { analyze, errorsOf } from '../../../../src/shared/graph/analyze';
import { TEMPLATES } from '../../../../src/shared/templates';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { CASES } from '../../blocks/contracts';
import { caseGraph, caseName } from '../compile/cases';
import { atSmallInput } from '../compile/harness';
import { checkOnnx, compareOnnxWithLab as compareWithLab, ONNX_PYTHON } from './formats';
import { assertRefused, compiledWithStats, declaredUnsupported, fixedData, foldKindsGraph, maxAbsDiff, templateGraph } from './helpers';

before(async () => {
  await tf.setBackend('cpu');
});

/** Block types that declare no ONNX export (a twin with neither nodes nor a declaration fails here). */
const unsupportedIn = (graph: GraphDoc): string[] => declaredUnsupported(graph, 'onnx').map((u) => u.type);

describe('ONNX export of every template equals the lab within 1e-4 (onnxruntime-node)', () => {
  for (const t of TEMPLATES) {
    const graph = atSmallInput(t.build());
    const unsupported = unsupportedIn(graph);
    test(`${t.id} at ${graph.meta.input.shape.join('×')}`, async (ctx) => {
      if (unsupported.length) return assertRefused('onnx', graph, declaredUnsupported(graph, 'onnx'));
      const diff = await compareWithLab(graph, 1);
      ctx.diagnostic(`${t.id}: max |onnx − lab| / max(1, |lab|) = ${diff.toExponential(2)}`);
      assert.ok(diff <= 1e-4, `max |onnx − lab| / max(1, |lab|) = ${diff}`);
    });
  }
});

test('the issue\'s templates (LeNet, ResNet-18, MobileNetV2, ViT-Tiny, YOLO) all have ONNX nodes for every block', () => {
  const ids = ['lenet_mnist', 'resnet18', 'mobilenet_v2', 'vit_tiny', ...TEMPLATES.filter((t) => t.family === 'detection').map((t) => t.id)];
  assert.ok(ids.includes('yolo_tiny'));
  for (const id of ids) assert.deepEqual(unsupportedIn(templateGraph(id)), [], id);
});

describe('ONNX export of each block equals the lab within 1e-4 (contract cases)', () => {
  for (const def of BLOCKS) {
    const cases = CASES[def.type] ?? [{}];
    cases.forEach((c, i) => {
      const { graph } = caseGraph(def.type, c);
      const unsupported = unsupportedIn(graph);
      test(`${def.type} ${caseName(c, i)}`, async () => {
        if (unsupported.length) return assertRefused('onnx', graph, declaredUnsupported(graph, 'onnx'));
        const diff = await compareWithLab(graph);
        assert.ok(diff <= 1e-4, `max |onnx − lab| = ${diff}`);
      });
    });
  }
});

describe('onnx.checker accepts the exports (python3-onnx)', { skip: ONNX_PYTHON ? false : 'no python3 with onnx' }, () => {
  test('lenet_mnist, mobilenet_v3_small, vit_tiny_cifar, yolo_tiny, mobilenet_v2 fused, CBAM, coordinate attention', () => {
    const jobs: { name: string; graph: GraphDoc; fuse?: boolean }[] = [
      ...['lenet_mnist', 'mobilenet_v3_small', 'vit_tiny_cifar', 'yolo_tiny'].map((id) => ({ name: id, graph: atSmallInput(templateGraph(id)) })),
      { name: 'mobilenet_v2-fused', graph: atSmallInput(templateGraph('mobilenet_v2')), fuse: true },
      ...['attn/cbam', 'attn/coord_attention'].map((type) => ({ name: type.replace('/', '-'), graph: caseGraph(type, (CASES[type] ?? [{}])[0]).graph })),
    ];
    checkOnnx(jobs);
  });
});

test('a zero pad before a max pool stays a zero pad in onnxruntime (its Pad fusion would pad with −∞)', async () => {
  const b = new GraphBuilder({ name: 'pad-pool', input: [4, 4, 2], task: 'segmentation' });
  const x = b.add('reshape/zeropad', { top: 0, bottom: 1, left: 0, right: 1 }, b.input());
  b.add('head/segment', { classes: 2 }, b.add('pool/maxpool', { size: 2, stride: 1, padding: 'valid', pad: 0 }, x));
  // All-negative input: every window at the bottom and right edges must take the padded 0.
  const diff = await compareWithLab(b.build(), 2, {}, (d) => d.map((v) => -1.5 + 0.5 * v));
  assert.ok(diff <= 1e-5, `max |onnx − lab| = ${diff}`);
});

describe('Conv-BN fusion in the ONNX export', () => {
  test('every foldable layer kind: separable, depthwise ×2 (dilated too), grouped conv, dense, BatchNorm without affine', async () => {
    const graph = foldKindsGraph();
    assert.deepEqual(errorsOf(analyze(graph)).map((e) => e.message), []);
    const { nodes, edges } = analyze(graph).expanded;
    assert.equal(planBatchNormFolding(nodes, edges).size, 5);
    const diff = await compareWithLab(graph, 2, { fuseBatchNorm: true });
    assert.ok(diff <= 1e-4, `max |fused onnx − lab| = ${diff}`);
  });

  for (const id of ['resnet18', 'mobilenet_v2']) {
    test(`${id}: the fused model equals the unfused one within 1e-4 and keeps no per-BN nodes`, async (ctx) => {
      const graph = atSmallInput(templateGraph(id));
      const { model } = compiledWithStats(graph);
      try {
        const shape = [2, ...graph.meta.input.shape];
        const data = fixedData(shape.reduce((a, b) => a * b, 1), 3);
        const run = async (fuse: boolean) => {
          const r = exportOnnx(graph, model, { fuseBatchNorm: fuse });
          // onnxruntime folds Conv + Mul + Add itself: with its optimizations off, the comparison is of our folding.
          const session = await ort.InferenceSession.create(r.bytes, { graphOptimizationLevel: 'disabled' });
          const out = await session.run({ [r.inputName]: new ort.Tensor('float32', data, shape) });
          return { ...r, y: out[r.outputNames[0]].data as Float32Array, text: Buffer.from(r.bytes).toString('latin1') };
        };
        const plain = await run(false);
        const fused = await run(true);
        const { nodes, edges } = analyze(graph).expanded;
        const plan = planBatchNormFolding(nodes, edges);
        const bnCount = nodes.filter((n) => n.type === 'norm/batchnorm').length;
        assert.equal(fused.foldedBatchNorms, plan.size);
        assert.equal(plan.size, bnCount, 'every BatchNorm of this template follows a conv that feeds only it');
        const scale = Math.max(1, maxAbsDiff(plain.y, new Float32Array(plain.y.length)));
        const diff = maxAbsDiff(fused.y, plain.y) / scale;
        ctx.diagnostic(`${id}: ${plan.size} BatchNorms folded, ${plain.bytes.length} → ${fused.bytes.length} bytes, max |fused − unfused| / max(1, |y|) = ${diff.toExponential(2)}`);
        assert.ok(diff <= 1e-4, `max |fused − unfused| = ${diff}`);
        assert.ok(!fused.text.includes('BatchNormalization'));
        const bases = layerBaseNames(nodes, graph.groups);
        assert.equal(plain.text.split('BatchNormalization').length - 1, bnCount, 'the unfused model has one BatchNormalization node per BatchNorm');
        for (const bn of plan.values()) {
          assert.ok(plain.text.includes(`${bases.get(bn)}/mean`), `the unfused model has ${bases.get(bn)}'s running mean`);
          assert.ok(!fused.text.includes(`${bases.get(bn)}/mean`), `the fused model has no nodes of ${bases.get(bn)}`);
        }
      } finally {
        model.dispose();
      }
    });
  }
});
