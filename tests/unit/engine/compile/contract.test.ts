import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, describe, test } from 'node:test';
import { ENGINE_BLOCKS } from '../../../../src/main/engine/blocks';
import { compile } from '../../../../src/main/engine/compile/compile';
import { BLOCKS, blockByType } from '../../../../src/shared/blocks';
import { BLOCK_PARAMS } from '../../fixtures/blockPins';
import { CASES, caseGraph, caseName } from './cases';
import { assertCounts, assertGradients, assertReloads, batchShape, fixedRandom, predictAll } from './harness';

/**
 * The block contract (STYLE §4): for every block in BLOCKS, a minimal graph Input → [adapter] → block → head
 * compiles; the tfjs output shape equals the inferred shape (symbolically and at run time); countParams equals
 * the analysis' params + buffers; a training-mode backward pass gives finite, non-zero gradients for every
 * trainable variable; and the model saves and reloads with identical predictions.
 */

before(async () => {
  await tf.setBackend('cpu');
});

test('every block type has an engine twin', () => {
  const missing = BLOCKS.map((b) => b.type).filter((t) => !ENGINE_BLOCKS[t]);
  assert.deepEqual(missing, [], `missing engine twins: ${missing.join(', ')}`);
  const stray = Object.keys(ENGINE_BLOCKS).filter((t) => !blockByType(t));
  assert.deepEqual(stray, [], `twins without a block definition: ${stray.join(', ')}`);
});

// A block gaining a param fails here, so its twin gets updated (and a case added) instead of silently ignoring it.
test('every block param is handled by its twin', () => {
  const changed = BLOCKS.filter((b) => JSON.stringify(Object.keys(b.params).sort()) !== JSON.stringify([...(BLOCK_PARAMS[b.type] ?? ['<no twin entry>'])].sort()));
  assert.deepEqual(changed.map((b) => `${b.type}: ${Object.keys(b.params).join(', ')}`), []);
});

for (const def of BLOCKS) {
  describe(`contract: ${def.type}`, () => {
    const cases = CASES[def.type] ?? [{}];
    cases.forEach((c, i) => {
      test(caseName(c, i), async () => {
        const { graph, node } = caseGraph(def.type, c);
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
      });
    });
  });
}
