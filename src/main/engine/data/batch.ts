/** Mini-batches from a split: seeded shuffle per epoch, optional augmentation, typed-array output. */
import { parseAugmentConfig, type AugmentConfig, type AugmentConfigInput } from './augment/config';
import { augmentSample, enabledSteps, splitSource, type SampleSource } from './augment/pipeline';
import { labelWeights } from './augment/types';
import { normalizeInto } from './normalize';
import { permutation, rngFor } from './rng';
import type { Box, Dataset, ImageShape, Split, SplitName } from './types';

export interface BatchOptions {
  batchSize: number;
  /** Reshuffle every epoch (default true; turn off for evaluation). */
  shuffle?: boolean;
  /** Seeds the shuffles and the augmentation (default 0). */
  seed?: number;
  /** Skip the last, smaller batch (default false). */
  dropLast?: boolean;
  /** Per-sample augmentation (default none). */
  augment?: AugmentConfig | AugmentConfigInput;
  /** Use only the first `limit` samples of the split (quick runs). */
  limit?: number;
}

export interface Batch {
  size: number;
  shape: ImageShape;
  numClasses: number;
  /** size*H*W*C, normalised with the dataset's train statistics. */
  x: Float32Array;
  /** Hard class ids (for mixed samples, the heaviest class; -1 for none). */
  labels: Int32Array;
  /** size*numClasses class weights: one-hot, or soft where mixup/cutmix/mosaic mixed labels. */
  y: Float32Array;
  /** Whether any row of `y` is soft. */
  soft: boolean;
  boxes?: Box[][];
  /** size*H*W class ids (segmentation). */
  masks?: Uint8Array;
  /** Positions in the split of the batch's (first) samples. */
  indices: Int32Array;
}

export function batchCount(length: number, batchSize: number, dropLast: boolean): number {
  return dropLast ? Math.floor(length / batchSize) : Math.ceil(length / batchSize);
}

export class BatchIterator {
  readonly split: Split;
  readonly length: number;
  /** Batches per epoch. */
  readonly batches: number;
  private readonly n: number;
  private readonly opts: Required<Omit<BatchOptions, 'augment' | 'limit'>>;
  private readonly augment?: AugmentConfig;
  private readonly source: SampleSource;

  constructor(
    readonly dataset: Dataset,
    split: SplitName | Split,
    opts: BatchOptions,
  ) {
    if (!Number.isInteger(opts.batchSize) || opts.batchSize < 1) throw new RangeError(`batchSize must be a positive integer, got ${opts.batchSize}`);
    this.split = typeof split === 'string' ? dataset.split(split) : split;
    this.n = Math.min(this.split.length, opts.limit ?? Infinity);
    this.opts = { batchSize: opts.batchSize, shuffle: opts.shuffle ?? true, seed: opts.seed ?? 0, dropLast: opts.dropLast ?? false };
    const aug = opts.augment ? parseAugmentConfig(opts.augment) : undefined;
    if (aug && enabledSteps(aug, dataset.info.task).length > 0) this.augment = aug;
    this.batches = batchCount(this.n, this.opts.batchSize, this.opts.dropLast);
    this.length = this.n;
    const full = splitSource(this.split, dataset.info.shape);
    // Mixing partners come from the same (limited) range as the samples.
    this.source = { length: this.n, get: (i) => full.get(i) };
  }

  /** The sample order of an epoch: a seeded permutation, or 0..n-1 without shuffling. */
  order(epoch: number): Int32Array {
    if (!this.opts.shuffle) return Int32Array.from({ length: this.n }, (_, i) => i);
    return permutation(this.n, rngFor('shuffle', this.opts.seed, epoch));
  }

  *epoch(epoch: number): Generator<Batch> {
    const order = this.order(epoch);
    for (let b = 0; b < this.batches; b++) yield this.makeBatch(order, epoch, b);
  }

  /** Batch `b` of `epoch` on its own (same content as the epoch iterator gives), e.g. to resume mid-epoch. */
  batch(epoch: number, b: number): Batch {
    if (!(b >= 0 && b < this.batches)) throw new RangeError(`batch ${b} out of range (${this.batches} per epoch)`);
    return this.makeBatch(this.order(epoch), epoch, b);
  }

  private makeBatch(order: Int32Array, epoch: number, b: number): Batch {
    const { info, norm } = this.dataset;
    const [h, w, c] = info.shape;
    const k = info.classes.length;
    const start = b * this.opts.batchSize;
    const size = Math.min(this.opts.batchSize, this.n - start);
    const px = h * w * c;
    const batch: Batch = {
      size,
      shape: [h, w, c],
      numClasses: k,
      x: new Float32Array(size * px),
      labels: new Int32Array(size),
      y: new Float32Array(size * k),
      soft: false,
      indices: order.slice(start, start + size),
    };
    if (info.task === 'detection') batch.boxes = [];
    if (info.task === 'segmentation') batch.masks = new Uint8Array(size * h * w);
    for (let j = 0; j < size; j++) {
      const i = batch.indices[j];
      if (!this.augment) {
        batch.x.set(this.split.image(i), j * px);
        batch.labels[j] = this.split.label(i);
        if (batch.labels[j] >= 0) batch.y[j * k + batch.labels[j]] = 1;
        if (batch.boxes && this.split.boxes) batch.boxes.push(this.split.boxes(i));
        if (batch.masks && this.split.mask) batch.masks.set(this.split.mask(i), j * h * w);
        continue;
      }
      const s = augmentSample(this.source, i, this.augment, { task: info.task, numClasses: k }, rngFor('augment', this.opts.seed, epoch, start + j));
      normalizeInto(s.image.data, norm, batch.x, j * px);
      batch.labels[j] = s.label;
      batch.y.set(labelWeights(s, k), j * k);
      if (s.soft) batch.soft = true;
      if (batch.boxes) batch.boxes.push(s.boxes ?? []);
      if (batch.masks && s.mask) batch.masks.set(s.mask, j * h * w);
    }
    return batch;
  }
}
