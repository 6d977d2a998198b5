/**
 * The weight map (which element of which PyTorch tensor holds each tfjs weight element) against the exporter itself:
 * the exported state dict read back through the map gives every weight bit for bit, and every torch element is
 * used once. Also for a model of more than 2^24 elements, where the element tags need two exports.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { adaptToDataset } from '../../../../src/shared/graph/adapt';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { templateById } from '../../../../src/shared/templates';
import { compile } from '../../../../src/main/engine/compile/compile';
import { exportPytorch } from '../../../../src/main/engine/export/pytorch/export';
import { decodeSafetensors } from '../../../../src/main/engine/export/pytorch/safetensors';
import { buildWeightMap, tfWeightsFromTorch } from '../../../../src/main/engine/torch/weightMap';

before(async () => {
  await tf.setBackend('cpu');
});

function roundTrip(graph: GraphDoc): { elements: number; keys: number } {
  const { model } = compile(graph, { seed: 4 });
  try {
    const map = buildWeightMap(graph, model);
    const exported = exportPytorch(graph, model).weights;
    const values = tfWeightsFromTorch(map, exported);
    let elements = 0;
    model.weights.forEach((v, i) => {
      const want = v.read().dataSync() as Float32Array;
      elements += want.length;
      assert.ok(Buffer.from(values[i].buffer).equals(Buffer.from(want.buffer, want.byteOffset, want.byteLength)), `${v.name} comes back bit for bit`);
      assert.equal(map.keyOf.get(v.name), map.sources[i].key);
    });
    // Every element of every torch tensor is the place of exactly one tfjs element.
    const torch = decodeSafetensors(exported);
    const seen = new Map(Object.entries(torch).map(([k, t]) => [k, new Uint8Array(t.data.length)]));
    for (const { key, positions } of map.sources) for (const p of positions) seen.get(key)![p]++;
    for (const [key, marks] of seen) assert.ok(marks.every((m) => m === 1), `${key}: each element used once`);
    for (const [key, t] of Object.entries(torch)) assert.deepEqual(map.torchShapes.get(key), t.shape);
    return { elements, keys: seen.size };
  } finally {
    model.dispose();
  }
}

for (const id of ['lenet_mnist', 'cnn_small', 'resnet_cifar', 'mobilenet_v2_cifar']) {
  test(`${id}: the exported state dict read through the map gives the weights back exactly`, { timeout: 120_000 }, () => {
    const r = roundTrip(templateById(id)!.build());
    assert.ok(r.keys > 3);
  });
}

test('a model of more than 2^24 elements (a 153,664 → 120 dense): exact too', { timeout: 300_000 }, () => {
  const graph = adaptToDataset(templateById('lenet_mnist')!.build(), { name: 'big', shape: [400, 400, 1], classes: 10 }).graph;
  const r = roundTrip(graph);
  assert.ok(r.elements > 1 << 24, `${r.elements} elements`);
});
