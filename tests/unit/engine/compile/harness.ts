import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { loadFromMemory, saveToMemory } from '../../../../src/main/engine/compile/artifacts';
import type { Compiled } from '../../../../src/main/engine/compile/compile';
import { analyze, errorsOf } from '../../../../src/shared/graph/analyze';
import type { GraphDoc } from '../../../../src/shared/graph/types';

/** Deterministic pseudo-random tensor (tests must not depend on tf's global RNG state). */
export function fixedRandom(shape: number[], seed: number): tf.Tensor {
  const n = shape.reduce((a, b) => a * b, 1);
  const data = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    data[i] = (s / 2 ** 32) * 2 - 1;
  }
  return tf.tensor(data, shape);
}

export const batchShape = (shape: readonly (number | null)[], batch: number): number[] => shape.map((d) => (d === null ? batch : d));

/** Loss Σ out·R over every output (R fixed), so every output element gets a generic, non-zero gradient. */
export function gradients(model: tf.LayersModel, x: tf.Tensor): Map<string, tf.Tensor> {
  const weights = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const { grads, value } = tf.variableGrads(() => {
    const outs = model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
    const list = Array.isArray(outs) ? outs : [outs];
    return tf.addN(list.map((o, i) => o.mul(fixedRandom(o.shape, 97 + i)).sum())) as tf.Scalar;
  }, weights);
  value.dispose();
  return new Map(Object.entries(grads));
}

/** Every trainable variable gets a finite gradient that is not identically zero. */
export async function assertGradients(model: tf.LayersModel, x: tf.Tensor): Promise<void> {
  const grads = gradients(model, x);
  const problems: string[] = [];
  for (const w of model.trainableWeights) {
    const g = grads.get(w.name);
    if (!g) {
      problems.push(`${w.name}: no gradient`);
      continue;
    }
    const data = await g.data();
    if (!data.every(Number.isFinite)) problems.push(`${w.name}: non-finite gradient`);
    else if (data.every((v) => v === 0)) problems.push(`${w.name}: zero gradient`);
  }
  tf.dispose([...grads.values()]);
  assert.deepEqual(problems, []);
}

export function predictAll(model: tf.LayersModel, x: tf.Tensor): tf.Tensor[] {
  const out = model.predict(x) as tf.Tensor | tf.Tensor[];
  return Array.isArray(out) ? out : [out];
}

/** Saves through withSaveHandler, reloads from memory, and compares the predictions bit for bit. */
export async function assertReloads(model: tf.LayersModel, x: tf.Tensor): Promise<void> {
  const reloaded = await loadFromMemory(await saveToMemory(model));
  try {
    assert.equal(reloaded.countParams(), model.countParams());
    const a = predictAll(model, x);
    const b = predictAll(reloaded, x);
    assert.equal(a.length, b.length);
    for (let i = 0; i < a.length; i++) {
      assert.deepEqual(b[i].shape, a[i].shape);
      const diff = (await a[i].sub(b[i]).abs().max().data())[0];
      assert.equal(diff, 0, `output ${i} differs after reload by ${diff}`);
    }
    tf.dispose([...a, ...b]);
  } finally {
    reloaded.dispose();
  }
}

/** Trainable and non-trainable parameter counts equal the analysis' params and buffers. */
export function assertCounts(c: Compiled): void {
  const size = (ws: tf.LayerVariable[]) => ws.reduce((n, w) => n + w.shape.reduce((a, b) => (a as number) * (b as number), 1)!, 0);
  const { params, buffers } = c.analysis.totals;
  assert.equal(c.model.countParams(), params + buffers, 'countParams = params + buffers');
  assert.equal(size(c.model.trainableWeights), params, 'trainable = params');
  assert.equal(size(c.model.nonTrainableWeights), buffers, 'non-trainable = buffers');
}

export /** The template at the smallest square input its analysis accepts (its own input if none is smaller). */
function atSmallInput(graph: GraphDoc): GraphDoc {
  const [h, , c] = graph.meta.input.shape;
  for (const s of [16, 32, 48, 64, 96, 128]) {
    if (s >= h) break;
    const small = structuredClone(graph);
    small.meta.input.shape = [s, s, c];
    if (errorsOf(analyze(small)).length === 0) return small;
  }
  return graph;
}
