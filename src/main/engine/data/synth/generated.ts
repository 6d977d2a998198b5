/** Shared plumbing of the generated datasets: per-sample seeded rendering, splits, cache. */
import { join } from 'node:path';
import { createDataset, type DatasetArrays } from '../array-dataset';
import { packBoxes, unpackBoxes } from '../boxes';
import { cacheDir, cached, type TypedArray } from '../cache';
import { DataError } from '../errors';
import { Rng, rngFor } from '../rng';
import { SPLIT_NAMES, type Box, type Dataset, type DatasetInfo, type SplitName, type Task } from '../types';
import { quantizeInto } from './raster';

export interface Rendered {
  label: number;
  boxes?: Box[];
  mask?: Uint8Array;
}

export interface Generator {
  id: string;
  name: string;
  task: Task;
  classes: string[];
  description: string;
  /** Bump when the output changes, so caches are rebuilt. */
  version: number;
  defaultSize: number;
  defaultSizes: Record<SplitName, number>;
  /** Draws sample `index` into `img` (size×size×3, zeroed) using only `rng`. */
  render(img: Float32Array, size: number, rng: Rng, index: number): Rendered;
}

export interface GeneratedOptions {
  /** Generation seed (default 0). Sample i of a split depends only on (seed, split, i). */
  seed?: number;
  /** Image side in pixels (default: the generator's). */
  size?: number;
  sizes?: Partial<Record<SplitName, number>>;
  cacheDir?: string;
  /** Set false to skip the disk cache (tests). */
  cache?: boolean;
}

export function generatorInfo(g: Generator, opts: GeneratedOptions = {}): DatasetInfo {
  const size = opts.size ?? g.defaultSize;
  return {
    id: g.id,
    name: g.name,
    task: g.task,
    shape: [size, size, 3],
    classes: [...g.classes],
    sizes: { ...g.defaultSizes, ...opts.sizes },
    source: `generated (seed ${opts.seed ?? 0})`,
    description: g.description,
  };
}

/** Renders one split's samples [0, n). */
export function generateSplit(g: Generator, split: SplitName, n: number, size: number, seed: number) {
  const px = size * size * 3;
  const images = new Uint8Array(n * px);
  const labels = new Int32Array(n);
  const boxes: Box[][] = [];
  const masks = g.task === 'segmentation' ? new Uint8Array(n * size * size) : undefined;
  const img = new Float32Array(px);
  for (let i = 0; i < n; i++) {
    img.fill(0);
    const r = g.render(img, size, rngFor(g.id, g.version, seed, split, i), i);
    quantizeInto(img, images, i * px);
    labels[i] = r.label;
    if (r.boxes) boxes.push(r.boxes);
    if (masks && r.mask) masks.set(r.mask, i * size * size);
  }
  return { images, labels, boxes: g.task === 'detection' ? boxes : undefined, masks };
}

interface GenMeta {
  id: string;
  version: number;
  seed: number;
  size: number;
  sizes: Record<SplitName, number>;
}

function checkOpts(g: Generator, size: number, sizes: Record<SplitName, number>): void {
  if (!Number.isInteger(size) || size < 16 || size > 512) throw new DataError('bad-options', `${g.id}: image size must be an integer in 16..512, got ${size}`);
  for (const s of SPLIT_NAMES)
    if (!Number.isInteger(sizes[s]) || sizes[s] < 0) throw new DataError('bad-options', `${g.id}: ${s} size must be a non-negative integer, got ${sizes[s]}`);
}

export function loadGenerated(g: Generator, opts: GeneratedOptions = {}): Dataset {
  const seed = opts.seed ?? 0;
  const size = opts.size ?? g.defaultSize;
  const sizes = { ...g.defaultSizes, ...opts.sizes };
  checkOpts(g, size, sizes);
  const key = `${g.id}.g${g.version}.s${seed}.${size}px.${sizes.train}-${sizes.val}-${sizes.test}.nsds`;
  const file = cached<GenMeta>(
    opts.cache === false ? undefined : join(cacheDir(opts.cacheDir), key),
    (m) => m.id === g.id && m.version === g.version && m.seed === seed && m.size === size,
    () => ({ meta: { id: g.id, version: g.version, seed, size, sizes }, sections: buildSections(g, size, sizes, seed) }),
  );
  const s = file.sections;
  const arrays: DatasetArrays = {
    shape: [size, size, 3],
    images: s.images as Uint8Array,
    labels: s.labels as Int32Array,
    splits: { train: s['split.train'] as Int32Array, val: s['split.val'] as Int32Array, test: s['split.test'] as Int32Array },
  };
  if (s['boxes.index']) arrays.boxes = unpackBoxes(s['boxes.index'] as Int32Array, s['boxes.data'] as Float32Array);
  if (s.masks) arrays.masks = s.masks as Uint8Array;
  const info = generatorInfo(g, { ...opts, seed, size });
  return createDataset({ id: info.id, name: info.name, task: info.task, classes: info.classes, source: info.source, description: info.description }, arrays);
}

function buildSections(g: Generator, size: number, sizes: Record<SplitName, number>, seed: number): Record<string, TypedArray> {
  const parts = SPLIT_NAMES.map((s) => generateSplit(g, s, sizes[s], size, seed));
  const n = sizes.train + sizes.val + sizes.test;
  const images = new Uint8Array(n * size * size * 3);
  const labels = new Int32Array(n);
  const masks = g.task === 'segmentation' ? new Uint8Array(n * size * size) : undefined;
  const boxes: Box[][] = [];
  const out: Record<string, TypedArray> = {};
  let at = 0;
  SPLIT_NAMES.forEach((s, k) => {
    const p = parts[k];
    images.set(p.images, at * size * size * 3);
    labels.set(p.labels, at);
    if (masks && p.masks) masks.set(p.masks, at * size * size);
    if (p.boxes) boxes.push(...p.boxes);
    out[`split.${s}`] = Int32Array.from({ length: sizes[s] }, (_, i) => at + i);
    at += sizes[s];
  });
  out.images = images;
  out.labels = labels;
  if (masks) out.masks = masks;
  if (g.task === 'detection') {
    const packed = packBoxes(boxes);
    out['boxes.index'] = packed.index;
    out['boxes.data'] = packed.data;
  }
  return out;
}
