import { channelStats, normLut } from './normalize';
import type { SplitIndices } from './splits';
import { SPLIT_NAMES, type Box, type Dataset, type DatasetInfo, type ImageShape, type Normalization, type Split, type SplitName } from './types';

/** The in-memory form of every dataset: one uint8 store plus per-split index lists. */
export interface DatasetArrays {
  shape: ImageShape;
  /** N*H*W*C, 0..255. */
  images: Uint8Array;
  /** N class ids (for detection/segmentation: see `Split.label`). */
  labels: Int32Array;
  /** Detection: N box lists. */
  boxes?: Box[][];
  /** Segmentation: N*H*W class ids. */
  masks?: Uint8Array;
  splits: SplitIndices;
  /** Computed on the train split when absent. */
  norm?: Normalization;
}

export function createDataset(info: Omit<DatasetInfo, 'sizes' | 'shape'>, a: DatasetArrays): Dataset {
  const [h, w, c] = a.shape;
  const n = a.labels.length;
  if (a.images.length !== n * h * w * c) throw new Error(`images hold ${a.images.length} bytes, expected ${n}×${h}×${w}×${c}`);
  if (a.masks && a.masks.length !== n * h * w) throw new Error(`masks hold ${a.masks.length} bytes, expected ${n}×${h}×${w}`);
  if (a.boxes && a.boxes.length !== n) throw new Error(`${a.boxes.length} box lists for ${n} images`);
  const norm = a.norm ?? channelStats(a.images, h * w, c, a.splits.train.length > 0 ? a.splits.train : allIndices(n));
  const lut = normLut(norm);
  const fullInfo: DatasetInfo = {
    ...info,
    shape: [h, w, c],
    sizes: { train: a.splits.train.length, val: a.splits.val.length, test: a.splits.test.length },
  };
  const splits = new Map<SplitName, Split>();
  for (const name of SPLIT_NAMES) splits.set(name, makeSplit(name, a, info.task, info.classes.length, lut));
  return {
    info: fullInfo,
    norm,
    split(name: SplitName): Split {
      const s = splits.get(name);
      if (!s) throw new Error(`unknown split '${String(name)}'`);
      return s;
    },
  };
}

function makeSplit(name: SplitName, a: DatasetArrays, task: DatasetInfo['task'], numClasses: number, lut: Float32Array): Split {
  const [h, w, c] = a.shape;
  const stride = h * w * c;
  const idx = a.splits[name];
  const at = (i: number): number => {
    if (!(i >= 0 && i < idx.length)) throw new RangeError(`index ${i} out of range for the ${name} split (${idx.length})`);
    return idx[i];
  };
  let counts: number[] | undefined;
  const split: Split = {
    name,
    length: idx.length,
    rawImage: (i) => {
      const j = at(i);
      return a.images.subarray(j * stride, (j + 1) * stride);
    },
    image: (i) => {
      const j = at(i);
      const out = new Float32Array(stride);
      const base = j * stride;
      for (let k = 0; k < stride; k++) out[k] = lut[(k % c) * 256 + a.images[base + k]];
      return out;
    },
    label: (i) => a.labels[at(i)],
    classCounts: () => (counts ??= countClasses(a, idx, task, numClasses)),
  };
  if (a.boxes) {
    const boxes = a.boxes;
    split.boxes = (i) => boxes[at(i)].map((b) => ({ ...b }));
  }
  if (a.masks) {
    const masks = a.masks;
    split.mask = (i) => {
      const j = at(i);
      return masks.subarray(j * h * w, (j + 1) * h * w);
    };
  }
  return split;
}

function countClasses(a: DatasetArrays, idx: Int32Array, task: DatasetInfo['task'], k: number): number[] {
  const counts = new Array<number>(k).fill(0);
  const [h, w] = a.shape;
  for (const j of idx) {
    if (task === 'detection' && a.boxes) for (const b of a.boxes[j]) counts[b.cls]++;
    else if (task === 'segmentation' && a.masks) {
      const m = a.masks.subarray(j * h * w, (j + 1) * h * w);
      for (let p = 0; p < m.length; p++) counts[m[p]]++;
    } else if (a.labels[j] >= 0) counts[a.labels[j]]++;
  }
  return counts;
}

function allIndices(n: number): Int32Array {
  const a = new Int32Array(n);
  for (let i = 0; i < n; i++) a[i] = i;
  return a;
}

/** The class of the largest box, or -1. */
export function largestBoxClass(boxes: readonly Box[]): number {
  let best = -1;
  let area = -1;
  for (const b of boxes)
    if (b.w * b.h > area) {
      area = b.w * b.h;
      best = b.cls;
    }
  return best;
}

/** The most frequent non-zero class of a mask, or -1. */
export function dominantMaskClass(mask: Uint8Array, numClasses: number): number {
  const counts = new Int32Array(numClasses);
  for (let p = 0; p < mask.length; p++) counts[mask[p]]++;
  let best = -1;
  for (let k = 1; k < numClasses; k++) if (counts[k] > 0 && (best < 0 || counts[k] > counts[best])) best = k;
  return best;
}
