import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { compile } from '../../../../src/main/engine/compile/compile';
import { TEMPLATES } from '../../../../src/shared/templates';
import { assertCounts, assertGradients, assertReloads, atSmallInput, batchShape, fixedRandom, predictAll } from './harness';

/** Templates small enough to train a step on the cpu backend inside a unit test. */
const TRAIN_STEP = new Set(['lenet_mnist', 'vit_tiny_cifar', 'mobilenet_v3_small']);

before(async () => {
  await tf.setBackend('cpu');
});

describe('templates compile at a small input', () => {
  for (const t of TEMPLATES) {
    test(`${t.id}`, async () => {
      const graph = atSmallInput(t.build());
      const c = compile(graph, { seed: 1 });
      const { model, layerOf, analysis } = c;
      try {
        assertCounts(c);
        // Every node's run-time output shape equals the analysis (compile already checked the symbolic ones).
        const nodes = [...layerOf].filter(([, layers]) => layers.length > 0);
        const tensors = nodes.map(([, layers]) => model.getLayer(layers[layers.length - 1]).output as tf.SymbolicTensor);
        const all = tf.model({ inputs: model.inputs, outputs: tensors });
        const x = fixedRandom([2, ...graph.meta.input.shape], 3);
        const outs = predictAll(all, x);
        const wrong = nodes
          .map(([id], i) => ({ id, actual: outs[i].shape, inferred: batchShape(analysis.nodes[analysis.expanded.origin.get(id) ?? id].output!, 2) }))
          .filter((r) => JSON.stringify(r.actual) !== JSON.stringify(r.inferred));
        assert.deepEqual(wrong, []);
        assert.ok(outs.every((o) => o.dataSync().every(Number.isFinite)), 'finite activations');
        tf.dispose(outs);
        if (TRAIN_STEP.has(t.id)) {
          await assertGradients(model, x);
          await assertReloads(model, x);
        }
        x.dispose();
      } finally {
        model.dispose();
      }
    });
  }
});
