// What the PyTorch engine adds per task to the runner's init and to each batch, and how an epoch is evaluated.
// Detection: the lab assigns targets (detect/assign.ts, one implementation) and sends the positives; the runner's
// python/netsmith_runner/tasks.py computes the detection loss of detectionLoss.ts on them. Segmentation: the
// masks go along with the images; the runner computes segmentationLoss's pixel loss + Dice. Evaluation is the
// TF.js runs' own code (TASK_ADAPTERS) on the outputs the runner sends back, so every dashboard gets the same
// report (confusion, per-class P/R/F1; mAP, PR curves and sample boxes; mIoU, Dice and sample masks).
import type * as tf from '@tensorflow/tfjs';
import type { DetectionConfig, TrainConfig } from '../../../shared/training/config';
import { segmentationSchema } from '../../../shared/training/config';
import type { Batch } from '../data/batch';
import { boxRowsOf } from '../data/tensors';
import type { Dataset } from '../data/types';
import { assignTargets, boxesFromRows, type GtBox } from '../detect/assign';
import { encodeBox } from '../detect/codec';
import { priorTable, type DetectionLevel, type ImageSize } from '../detect/levels';
import { lossConfig } from '../train/configMap';
import { LossConfigSchema } from '../train/losses';
import { TASK_ADAPTERS } from '../train/tasks';
import { setupDetector } from '../train/tasks/detection';
import { segmentationLoss } from '../train/tasks/segmentation';
import type { Evaluation, OutputsFn } from '../train/tasks/types';

export const TORCH_TASKS = ['classification', 'detection', 'segmentation'] as const;

export interface TorchTask {
  /** Extra fields of the runner's init message. */
  init: Record<string, unknown>;
  /** Header fields and payload parts (after x, y, labels) of one batch. */
  batch(batch: Batch): { header: Record<string, unknown>; parts: Uint8Array[] };
  evaluate(forward: OutputsFn, dataset: Dataset, opts: { batchSize: number; limit?: number }): Promise<Evaluation>;
}

const bytes = (a: Uint8Array | Float32Array | Int32Array): Uint8Array => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/**
 * The options of the runner's DetectionLoss (python/netsmith_runner/tasks.py): one place for the lab's runner and
 * the exported train.py, which inlines the same Python.
 */
export function detectionLossOptions(options: DetectionConfig, config: TrainConfig): Record<string, unknown> {
  return {
    boxLoss: options.boxLoss,
    objectness: options.objectness,
    classLoss: options.classLoss,
    weights: options.weights,
    ignoreIoU: options.ignoreIoU,
    focalAlpha: config.loss.focalAlpha ?? 0.25,
    focalGamma: config.loss.focalGamma ?? 2,
    hardNegativeRatio: options.hardNegativeRatio,
  };
}

export function torchTask(dataset: Dataset, config: TrainConfig, model: tf.LayersModel): TorchTask {
  const task = dataset.info.task;
  const factory = TASK_ADAPTERS[task];
  if (!factory) throw new Error(`the PyTorch engine cannot train a ${task} network`);
  // The TF.js adapter checks the heads against the dataset and evaluates; the PyTorch engine uses it as is.
  const adapter = factory(dataset, config, model);
  const evaluate: TorchTask['evaluate'] = (forward, ds, opts) => adapter.evaluate(forward, ds, 'val', opts);
  if (task === 'detection') {
    const setup = setupDetector(dataset, config, model);
    const { options } = setup;
    return {
      init: {
        detection: {
          image: setup.image,
          levels: setup.levels.map((l) => ({ output: l.output, stride: l.stride, gridH: l.gridH, gridW: l.gridW, classes: l.classes, anchors: l.anchors, priors: Array.from(priorTable(l)) })),
          options: detectionLossOptions(options, config),
        },
      },
      batch: (batch) => ({ header: { targets: detectionTargets(batch, setup.levels, setup.image, options.anchorRatio) }, parts: [] }),
      evaluate,
    };
  }
  if (task === 'segmentation') {
    segmentationLoss(config); // the same check of the pixel loss as a TF.js run
    const { diceWeight } = segmentationSchema.parse(config.segmentation ?? {});
    return {
      init: { segmentation: { pixel: LossConfigSchema.parse(lossConfig(config, 'segmentation')), diceWeight } },
      batch: (batch) => {
        if (!batch.masks) throw new Error('a segmentation batch carries masks');
        return { header: { masks: true }, parts: [bytes(batch.masks)] };
      },
      evaluate,
    };
  }
  return { init: {}, batch: () => ({ header: {}, parts: [] }), evaluate };
}

export interface LevelTargets {
  /** Row of each positive in the level's predictions flattened over the batch. */
  rows: number[];
  /** (gx, gy, anchor w, anchor h) per positive. */
  priors: number[];
  /** The target box (cx, cy, w, h relative) per positive. */
  boxes: number[];
  /** encodeBox of the target (the smooth L1 box loss's regression target) per positive. */
  encoded: number[];
  cls: number[];
}

export interface DetectionTargets {
  levels: LevelTargets[];
  images: number;
  /** Ground-truth boxes [images, G, 4] (cx, cy, w, h), zero rows as padding: the ignore-IoU rule's reference. */
  gt: number[];
}

/** The batch's positives per level (assignTargets) and its padded ground truth, as detectionLoss.ts builds them. */
export function detectionTargets(batch: Batch, levels: readonly DetectionLevel[], image: ImageSize, anchorRatio: number): DetectionTargets {
  const { data, rows } = boxRowsOf(batch);
  const gt = boxesFromRows(data, batch.size, rows);
  const positives = assignTargets(gt, levels, image, { anchorRatio });
  return {
    levels: positives.map((pos, i) => {
      const l = levels[i];
      return {
        rows: pos.map((p) => p.row),
        priors: pos.flatMap((p) => [p.gx, p.gy, ...(l.anchors[p.anchor] ?? [0, 0])]),
        boxes: pos.flatMap((p) => p.box),
        encoded: pos.flatMap((p) => encodeBox(l, image, p.gx, p.gy, p.anchor, p.box)),
        cls: pos.map((p) => p.cls),
      };
    }),
    images: batch.size,
    gt: paddedTruth(gt),
  };
}

function paddedTruth(gt: readonly GtBox[][]): number[] {
  const g = Math.max(1, ...gt.map((b) => b.length));
  const out = new Array<number>(gt.length * g * 4).fill(0);
  gt.forEach((boxes, n) => boxes.forEach((b, j) => b.box.forEach((v, k) => (out[(n * g + j) * 4 + k] = v))));
  return out;
}
