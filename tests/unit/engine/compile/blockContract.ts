import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { compile } from '../../../../src/main/engine/compile/compile';
import { caseGraph, type Case } from './cases';
import { assertCounts, assertGradients, assertReloads, batchShape, fixedRandom, predictAll } from './harness';

/**
 * The block contract (STYLE §4) for one case of one block: a minimal graph Input → [adapter] → block → head
 * compiles; the tfjs output shape equals the inferred shape (symbolically and at run time); countParams equals
 * the analysis' params + buffers; a training-mode backward pass gives finite, non-zero gradients for every
 * trainable variable; and the model saves and reloads with identical predictions.
 */
export async function checkBlockContract(type: string, c: Case): Promise<void> {
  const { graph, node } = caseGraph(type, c);
  const compiled = compile(graph, { seed: 7 });
  const { model, layerOf, analysis } = compiled;
  try {
    const batch = 3;
    const x = fixedRandom(batchShape([null, ...graph.meta.input.shape], batch), 11);
    const inferred = analysis.nodes[node].output!;

    // Run-time shape of the block's own output (its last layer) equals the inferred shape.
    const layers = layerOf.get(node)!;
    assert.ok(layers.length > 0, 'the block built no layer');
    const blockOut = model.getLayer(layers[layers.length - 1]).output as tf.SymbolicTensor;
    assert.deepEqual(blockOut.shape, [...inferred]);
    const isOutput = model.outputs.includes(blockOut);
    const probe = isOutput ? model : tf.model({ inputs: model.inputs, outputs: [blockOut, ...model.outputs] });
    const all = predictAll(probe, x);
    const actual = isOutput ? all[model.outputs.indexOf(blockOut)] : all[0];
    const outs = isOutput ? all : all.slice(1);
    assert.deepEqual(actual.shape, batchShape(inferred, batch), 'run-time output shape');
    assert.ok((await actual.data()).every(Number.isFinite), 'finite outputs');
    outs.forEach((o, k) => assert.deepEqual(o.shape, batchShape(model.outputs[k].shape, batch)));
    tf.dispose(all);

    assertCounts(compiled);
    if (model.trainableWeights.length > 0) await assertGradients(model, x);
    await assertReloads(model, x);
    x.dispose();
  } finally {
    model.dispose();
  }
}
