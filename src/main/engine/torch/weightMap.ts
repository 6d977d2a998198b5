// Which element of which PyTorch state-dict tensor holds each element of each tfjs weight, found by exporting
// the model twice with tagged values (the element's index, then the weight's ordinal) instead of its weights.
// The exporter only permutes and reshapes weights, so this is exact; a block that does more is reported.
import type * as tf from '@tensorflow/tfjs';
import type { GraphDoc } from '../../../shared/graph/types';
import { exportPytorch } from '../export/pytorch/export';
import { decodeSafetensors } from '../export/pytorch/safetensors';

/** Float32 holds integers exactly up to 2^24. */
const MAX_TAG = 1 << 24;

export interface WeightSource {
  /** The torch state-dict key that holds this tfjs weight. */
  key: string;
  /** positions[i]: the flat index in that torch tensor of the weight's element i. */
  positions: Int32Array;
}

export interface WeightMap {
  /** One entry per model.weights, in order. */
  sources: WeightSource[];
  /** tfjs variable name → torch key (the probes and the optimizer's decay rule use it). */
  keyOf: Map<string, string>;
  /** The torch state dict's tensor shapes, by key. */
  torchShapes: Map<string, number[]>;
  /** The module attributes of the PyTorch twin (exportPytorch's `modules`). */
  modules: { name: string; base: string; type: string }[];
}

export function buildWeightMap(graph: GraphDoc, model: tf.LayersModel): WeightMap {
  const ordinal = new Map(model.weights.map((v, i) => [v, i]));
  if (model.weights.length >= MAX_TAG) throw new Error(`the model has ${model.weights.length} weights: the PyTorch engine maps fewer than ${MAX_TAG}`);
  const sizeOf = (v: tf.LayerVariable): number => v.shape.reduce((a: number, b) => a * (b ?? 1), 1);
  // Element indices as two exact float32 tags (low and high 24 bits), the second only for a weight that needs it.
  const large = model.weights.some((v) => sizeOf(v) >= MAX_TAG);
  const low = exportPytorch(graph, model, { readWeight: (v) => Float32Array.from({ length: sizeOf(v) }, (_, i) => i % MAX_TAG) });
  const byLow = decodeSafetensors(low.weights);
  const byHigh = large ? decodeSafetensors(exportPytorch(graph, model, { readWeight: (v) => Float32Array.from({ length: sizeOf(v) }, (_, i) => Math.floor(i / MAX_TAG)) }).weights) : undefined;
  const byIndex: Record<string, { data: ArrayLike<number>; shape: number[] }> = {};
  for (const [key, t] of Object.entries(byLow)) {
    const hi = byHigh?.[key].data;
    byIndex[key] = { shape: t.shape, data: hi ? Float64Array.from(t.data, (l, j) => hi[j] * MAX_TAG + l) : t.data };
  }
  const byWeight = decodeSafetensors(exportPytorch(graph, model, { readWeight: (v) => new Float32Array(sizeOf(v)).fill(ordinal.get(v) ?? -1) }).weights);
  const positions = model.weights.map((v) => new Int32Array(sizeOf(v)).fill(-1));
  const keys: (string | undefined)[] = model.weights.map(() => undefined);
  for (const [key, t] of Object.entries(byIndex)) {
    const owner = byWeight[key].data;
    for (let j = 0; j < t.data.length; j++) {
      const w = owner[j];
      const i = t.data[j];
      if (!Number.isInteger(w) || w < 0 || w >= positions.length || !Number.isInteger(i) || i < 0 || i >= positions[w].length) {
        throw new Error(`the PyTorch twin of '${key}' transforms its weights (not only a re-layout): the PyTorch engine cannot train this block yet`);
      }
      if (keys[w] !== undefined && keys[w] !== key) throw new Error(`weight ${model.weights[w].name} is split over '${keys[w]}' and '${key}': the PyTorch engine cannot train this block yet`);
      keys[w] = key;
      positions[w][i] = j;
    }
  }
  const sources: WeightSource[] = [];
  const keyOf = new Map<string, string>();
  model.weights.forEach((v, w) => {
    const key = keys[w];
    if (key === undefined || positions[w].includes(-1)) throw new Error(`weight ${v.name} has no complete place in the PyTorch module`);
    sources.push({ key, positions: positions[w] });
    keyOf.set(v.name, key);
  });
  const torchShapes = new Map(Object.entries(byIndex).map(([k, t]) => [k, [...t.shape]]));
  return { sources, keyOf, torchShapes, modules: low.modules };
}

/** The tfjs weights (model.weights order) from a torch state dict in .safetensors form. */
export function tfWeightsFromTorch(map: WeightMap, state: Uint8Array): Float32Array[] {
  const tensors = decodeSafetensors(state);
  return map.sources.map(({ key, positions }) => {
    const t = tensors[key];
    if (!t) throw new Error(`the PyTorch state has no tensor '${key}'`);
    const out = new Float32Array(positions.length);
    for (let i = 0; i < positions.length; i++) out[i] = t.data[positions[i]];
    return out;
  });
}
