import * as tf from '@tensorflow/tfjs';
import { detectionSchema, type DetectionConfig, type TrainConfig } from '../../../../shared/training/config';
import type { DetectionReport, SampleBox, SamplePrediction } from '../../../../shared/training/telemetry';
import { cxcywhToXyxy, evaluateDetections, precisionRecallCurves, type DetectedBox, type GroundTruthBox } from '../../../../shared/metrics';
import type { Size } from '../../detect/anchors';
import { headSpecs, makeLevels, type DetectionLevel, type ImageSize } from '../../detect/levels';
import { Decoder, detectionsOf } from '../../detect/predict';
import { BatchIterator } from '../../data/batch';
import { batchToTensors, disposeBatchTensors } from '../../data/tensors';
import type { Dataset, SplitName } from '../../data/types';
import { DetectionLoss } from './detectionLoss';
import type { Evaluation, OutputsFn, TaskAdapterFactory } from './types';

/** Validation images reported with their predicted and true boxes. */
export const SAMPLE_IMAGES = 8;
const SAMPLE_MAX_BOXES = 30;

/** Everything the detection adapter derives from the model, the dataset and the config. */
export interface DetectorSetup {
  image: ImageSize;
  levels: DetectionLevel[];
  decoder: Decoder;
  loss: DetectionLoss;
  options: DetectionConfig;
}

export function setupDetector(dataset: Dataset, config: Pick<TrainConfig, 'detection' | 'loss'>, model: tf.LayersModel): DetectorSetup {
  const options = detectionSchema.parse(config.detection ?? {});
  const [h, w] = dataset.info.shape;
  const image = { h, w };
  const heads = headSpecs(model, image);
  const k = dataset.info.classes.length;
  for (const head of heads) {
    if (head.classes !== k) throw new Error(`the YOLO head '${model.outputs[head.output].sourceLayer.name}' predicts ${head.classes} classes but ${dataset.info.name} has ${k}: set the head's classes to ${k}`);
  }
  const levels = makeLevels(heads, trainBoxSizes(dataset, image), options.anchors);
  const decoder = new Decoder(levels, image, options.classLoss === 'ce' ? 'softmax' : 'sigmoid');
  const loss = new DetectionLoss(levels, image, levels.map((_, i) => decoder.priorsOf(i)), {
    ...options,
    focalAlpha: config.loss.focalAlpha,
    focalGamma: config.loss.focalGamma,
  });
  return { image, levels, decoder, loss, options };
}

/**
 * The config with its detection options complete: defaults filled in and the anchors fixed (k-means on the
 * training boxes when none are configured). The run record keeps it, so prediction, export and a resumed run
 * decode with the anchors the model was trained with, whatever the dataset looks like later.
 */
export function resolveDetectionConfig<C extends Pick<TrainConfig, 'detection'>>(dataset: Dataset, config: C, model: tf.LayersModel): C {
  const options = detectionSchema.parse(config.detection ?? {});
  if (options.anchors) return { ...config, detection: options };
  const [h, w] = dataset.info.shape;
  const heads = headSpecs(model, { h, w });
  const levels = makeLevels(heads, trainBoxSizes(dataset, { h, w }));
  // makeLevels hands the sizes, smallest first, to the heads from the finest stride up: list them in that order.
  const anchors = [...levels].sort((a, b) => a.stride - b.stride || a.output - b.output).flatMap((l) => l.anchors.map(([aw, ah]) => [round2(aw), round2(ah)] as [number, number]));
  return { ...config, detection: anchors.length ? { ...options, anchors } : options };
}

const round2 = (v: number): number => Math.round(v * 100) / 100;

/** Heads too coarse for the images (a grid under 4×4 cells cannot place several objects): one line each. */
export function detectionWarnings(dataset: Dataset, model: tf.LayersModel): string[] {
  const [h, w] = dataset.info.shape;
  return headSpecs(model, { h, w })
    .filter((head) => head.gridH < 4 || head.gridW < 4)
    .map((head) => `the YOLO head '${model.outputs[head.output].sourceLayer.name}' has stride ${head.stride}: on ${h}×${w} images that is a ${head.gridH}×${head.gridW} grid, too coarse to place several objects. Use a head at stride 8 or 16 (the YOLO-nano template), or larger images.`);
}

/** Pixel sizes of the training boxes (for k-means anchors). */
function trainBoxSizes(dataset: Dataset, image: ImageSize): Size[] {
  const split = dataset.split('train');
  const out: Size[] = [];
  if (!split.boxes) return out;
  for (let i = 0; i < split.length; i++) for (const b of split.boxes(i)) out.push([b.w * image.w, b.h * image.h]);
  return out;
}

/**
 * YOLO-style detection: every model output must be a det/yolo_head (one per scale). Step metric: mean IoU of the
 * positives' decoded boxes with their targets. Evaluation: mAP@0.5 is the headline (and fills `accuracy`).
 */
export const detection: TaskAdapterFactory = (dataset, config, model) => {
  const setup = setupDetector(dataset, config, model);
  return {
    metric: 'mAP50',
    stepLoss(outputs, batch) {
      if (!batch.boxes) throw new Error('a detection batch carries boxes');
      const { loss, meanIoU } = setup.loss.compute(outputs, batch.boxes, batch.boxRows);
      return { loss, metric: meanIoU };
    },
    evaluate: (m, ds, split, opts) => evaluateDetector(m, ds, split, setup, opts),
  };
};

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
const toSample = (cls: number, box: readonly number[], score?: number): SampleBox => ({ cls, x: box[0], y: box[1], w: box[2], h: box[3], ...(score !== undefined ? { score } : {}) });

/** Val loss, NMS, COCO-style mAP/mAR, per-class AP with PR curves, and a few images' boxes. */
export async function evaluateDetector(
  model: tf.LayersModel | OutputsFn,
  dataset: Dataset,
  split: SplitName,
  setup: DetectorSetup,
  opts: { batchSize: number; limit?: number },
): Promise<Evaluation> {
  const { nms, displayScore } = setup.options;
  const k = dataset.info.classes.length;
  const iter = new BatchIterator(dataset, split, { batchSize: opts.batchSize, shuffle: false, limit: opts.limit });
  const detections: DetectedBox[] = [];
  const truth: GroundTruthBox[] = [];
  const samples: SamplePrediction[] = [];
  let lossSum = 0;
  let offset = 0;
  for (const batch of iter.epoch(0)) {
    const t = batchToTensors(batch);
    const out = typeof model === 'function' ? await model(batch, t) : model.predict(t.x);
    const outputs = Array.isArray(out) ? out : [out];
    const loss = tf.tidy(() => setup.loss.compute(outputs, t.boxes!, t.boxRows).loss);
    lossSum += (await loss.data())[0] * batch.size;
    const raw = await setup.decoder.decode(outputs);
    tf.dispose([loss, ...outputs]);
    disposeBatchTensors(t);
    for (let j = 0; j < batch.size; j++) {
      const imageId = offset + j;
      const gts = batch.boxes![j];
      for (const g of gts) truth.push({ imageId, classId: g.cls, box: cxcywhToXyxy([g.x, g.y, g.w, g.h]) });
      const dets = detectionsOf(raw, j, nms);
      for (const d of dets) detections.push({ imageId, classId: d.cls, score: d.score, box: cxcywhToXyxy(d.box) });
      if (samples.length < SAMPLE_IMAGES) {
        samples.push({
          index: batch.indices[j],
          truth: gts.map((g) => toSample(g.cls, [g.x, g.y, g.w, g.h])),
          predicted: dets.filter((d) => d.score >= displayScore).slice(0, SAMPLE_MAX_BOXES).map((d) => toSample(d.cls, d.box, d.score)),
        });
      }
    }
    offset += batch.size;
  }
  const report = detectionReport(detections, truth, k, nms.maxDetections);
  report.anchors = setup.levels.map((l) => l.anchors.map(([w, h]) => [w, h] as [number, number]));
  const headline = Number.isFinite(report.mAP50) ? report.mAP50 : 0;
  return { loss: lossSum / Math.max(1, offset), accuracy: headline, headline, detection: report, samples };
}

/** evaluateDetections plus 101-point PR curves at IoU 0.5, in the report's JSON-friendly form. */
export function detectionReport(detections: readonly DetectedBox[], truth: readonly GroundTruthBox[], classes: number, maxDetections: number): DetectionReport {
  const classIds = Array.from({ length: classes }, (_, i) => i);
  const ev = evaluateDetections(detections, truth, { classIds, maxDetections });
  const at50 = ev.iouThresholds.findIndex((t) => Math.abs(t - 0.5) < 1e-9);
  const curves = new Map(precisionRecallCurves(detections, truth, 0.5, maxDetections).map((c) => [c.classId, c]));
  const perClass = ev.perClass.map((c) => {
    const curve = curves.get(c.classId);
    const mean = c.ap.reduce((a, b) => a + b, 0) / c.ap.length;
    return {
      ap50: orNull(c.ap[at50]),
      ap: orNull(mean),
      recall: orNull(c.recall[at50]),
      numGroundTruth: c.numGroundTruth,
      numDetections: c.numDetections,
      ...(curve && c.numGroundTruth > 0 ? { pr: interpolatedCurve(curve.recall, curve.precision) } : {}),
    };
  });
  return {
    mAP50: ev.mAP50,
    mAP75: ev.mAP75,
    mAP: ev.mAP,
    mAR: ev.mAR,
    perClassAP: perClass.map((c) => c.ap50),
    perClass,
  };
}

/** Precision (upper envelope) at recall 0, 0.01, …, 1: the curve whose mean is the 101-point AP. */
export function interpolatedCurve(recall: readonly number[], precision: readonly number[]): { recall: number[]; precision: number[] } {
  const grid = Array.from({ length: 101 }, (_, i) => i / 100);
  const envelope = [...precision];
  for (let i = envelope.length - 2; i >= 0; i--) envelope[i] = Math.max(envelope[i], envelope[i + 1]);
  const out = grid.map((r) => {
    const j = recall.findIndex((v) => v >= r - 1e-12);
    return j < 0 ? 0 : envelope[j];
  });
  return { recall: grid, precision: out };
}
