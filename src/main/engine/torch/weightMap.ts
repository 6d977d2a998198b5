// Which element of which PyTorch state-dict tensor holds each element of each tfjs weight, found by exporting
// the model with tagged values instead of its weights: every element's index among all the model's elements (the
// low 24 bits in one export, the rest in a second one when the model has more than 2^24 elements). The exporter
// only permutes and reshapes weights, so this is exact; a block that does more is reported.
import type * as tf from '@tensorflow/tfjs';
import type { GraphDoc } from '../../../shared/graph/types';
import { pytorchStateDict } from '../export/pytorch/export';
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

/** Tags for `n` elements whose global indices start at `start`: their low 24 bits, or the bits above. */
function tags(start: number, n: number, part: 'low' | 'high'): Float32Array {
  const out = new Float32Array(n);
  let lo = start % MAX_TAG;
  let hi = Math.floor(start / MAX_TAG);
  if (part === 'low') {
    for (let i = 0; i < n; i++) {
      out[i] = lo;
      if (++lo === MAX_TAG) lo = 0;
    }
  } else {
    for (let i = 0; i < n; i++) {
      out[i] = hi;
      if (++lo === MAX_TAG) [lo, hi] = [0, hi + 1];
    }
  }
  return out;
}

export function buildWeightMap(graph: GraphDoc, model: tf.LayersModel): WeightMap {
  const weights = model.weights;
  const sizes = weights.map((v) => v.shape.reduce((a: number, b) => a * (b ?? 1), 1));
  // starts[w]: the global index of weight w's first element; starts[last] the total.
  const starts = new Float64Array(weights.length + 1);
  sizes.forEach((n, w) => (starts[w + 1] = starts[w] + n));
  const total = starts[weights.length];
  const ordinal = new Map(weights.map((v, w) => [v, w]));
  const tagged = (part: 'low' | 'high') =>
    pytorchStateDict(graph, model, {
      readWeight: (v) => {
        const w = ordinal.get(v);
        return w === undefined ? new Float32Array(v.shape.reduce((a: number, b) => a * (b ?? 1), 1)).fill(-1) : tags(starts[w], sizes[w], part);
      },
    });
  const low = tagged('low');
  const high = total > MAX_TAG ? tagged('high').state : undefined;
  const positions = sizes.map((n) => new Int32Array(n).fill(-1));
  const keys: (string | undefined)[] = weights.map(() => undefined);
  const transforms = (key: string) => new Error(`the PyTorch twin of '${key}' transforms its weights (not only a re-layout): the PyTorch engine cannot train this block yet`);
  let w = 0;
  for (const [key, t] of Object.entries(low.state)) {
    const lo = t.data;
    const hi = high?.[key]?.data;
    if (high && (!hi || hi.length !== lo.length)) throw transforms(key);
    for (let j = 0; j < lo.length; j++) {
      const l = lo[j];
      const h = hi ? hi[j] : 0;
      if (!Number.isInteger(l) || l < 0 || l >= MAX_TAG || !Number.isInteger(h) || h < 0) throw transforms(key);
      const g = h * MAX_TAG + l;
      if (g >= total) throw transforms(key);
      if (g < starts[w] || g >= starts[w + 1]) w = ownerOf(starts, g);
      if (keys[w] !== key) {
        if (keys[w] !== undefined) throw new Error(`weight ${weights[w].name} is split over '${keys[w]}' and '${key}': the PyTorch engine cannot train this block yet`);
        keys[w] = key;
      }
      positions[w][g - starts[w]] = j;
    }
  }
  const sources: WeightSource[] = [];
  const keyOf = new Map<string, string>();
  weights.forEach((v, i) => {
    const key = keys[i];
    if (key === undefined || positions[i].includes(-1)) throw new Error(`weight ${v.name} has no complete place in the PyTorch module`);
    sources.push({ key, positions: positions[i] });
    keyOf.set(v.name, key);
  });
  const torchShapes = new Map(Object.entries(low.state).map(([k, t]) => [k, [...t.shape]]));
  return { sources, keyOf, torchShapes, modules: low.modules };
}

/** The weight whose elements' global indices include `g` (starts ascending; empty weights are skipped). */
function ownerOf(starts: Float64Array, g: number): number {
  let lo = 0;
  let hi = starts.length - 2;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= g) lo = mid;
    else hi = mid - 1;
  }
  return lo;
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
