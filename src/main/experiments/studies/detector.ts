import * as tf from '@tensorflow/tfjs';
import { cxcywhToXyxy, type GroundTruthBox } from '../../../shared/metrics';
import { buildYoloNano } from '../../../shared/templates/yolo';
import { EASY_NEGATIVE, type ObjectnessShare } from '../../../shared/experiments/catalog/detectionHardNegatives';
import type { EpochPoint, StepPoint } from '../../../shared/experiments/types';
import { detectionSchema, type TrainConfig } from '../../../shared/training/config';
import { compile } from '../../engine/compile';
import { BatchIterator } from '../../engine/data/batch';
import { batchToTensors, disposeBatchTensors } from '../../engine/data/tensors';
import { assignTargets, type GtBox } from '../../engine/detect/assign';
import { levelSize, type DetectionLevel, type ImageSize } from '../../engine/detect/levels';
import type { RawPredictions } from '../../engine/detect/predict';
import { resolveDetectionConfig, setupDetector } from '../../engine/train/tasks/detection';
import { dataset, optimizerOf, studyBackend } from './toolkit';

/**
 * The detection studies' shared loop: YOLO-nano (anchor-based or anchor-free head) trained on shapes-det with the
 * lab's own detection loss and target assignment (setupDetector: the config's detection options apply as in a lab
 * run), then its raw (pre-NMS) validation predictions decoded once. Each study evaluates those its own way.
 */

/** The training targets the head's assignment produced over the first epoch's batches. */
export interface AssignmentStats {
  images: number;
  objects: number;
  /** Predictions that learn an object (objectness target 1). */
  positives: number;
  /** Every prediction of every image (positives + negatives). */
  predictions: number;
}

export interface TrainedDetector {
  raw: RawPredictions[];
  truth: GroundTruthBox[];
  images: number;
  image: ImageSize;
  levels: DetectionLevel[];
  epochs: EpochPoint[];
  steps: StepPoint[];
  params: number;
  stopped: boolean;
  assignment: AssignmentStats;
  objectness: ObjectnessShare[];
}

/** The objectness loss's make-up is recorded every this many steps (cheap next to a step: no gradient). */
export const OBJECTNESS_EVERY = 10;

export interface DetectorOptions {
  config: TrainConfig;
  /** Anchors per cell of the head (0 = anchor-free). */
  anchors: number;
  signal?: AbortSignal;
  onStep?(p: StepPoint): void;
}

const boxesOf = (b: { boxes?: { cls: number; x: number; y: number; w: number; h: number }[][] }): GtBox[][] =>
  (b.boxes ?? []).map((bs) => bs.map((g) => ({ cls: g.cls, box: [g.x, g.y, g.w, g.h] as [number, number, number, number] })));

export async function trainDetector(o: DetectorOptions): Promise<TrainedDetector> {
  const { config } = o;
  await studyBackend();
  const ds = await dataset('shapes-det');
  const graph = buildYoloNano({ size: ds.info.shape[0], classes: ds.info.classes.length, anchors: o.anchors });
  const { model } = compile(graph, { seed: config.seed });
  const resolved = resolveDetectionConfig(ds, { detection: config.detection }, model);
  const setup = setupDetector(ds, { ...config, detection: resolved.detection }, model);
  const optimizer = optimizerOf(config);
  const train = new BatchIterator(ds, 'train', { batchSize: config.batchSize, shuffle: true, seed: config.seed, limit: config.trainLimit });
  const perImage = setup.levels.reduce((s, l) => s + levelSize(l), 0);
  const assignment: AssignmentStats = { images: 0, objects: 0, positives: 0, predictions: 0 };
  const objectness: ObjectnessShare[] = [];
  const epochs: EpochPoint[] = [];
  const steps: StepPoint[] = [];
  let step = 0;
  let stopped = false;
  for (let e = 0; e < config.epochs && !stopped; e++) {
    const t0 = performance.now();
    let sum = 0;
    let count = 0;
    for (const b of train.epoch(e)) {
      if (o.signal?.aborted) {
        stopped = true;
        break;
      }
      const t = batchToTensors(b);
      const gt = boxesOf(b);
      if (e === 0) {
        const positives = assignTargets(gt, setup.levels, setup.image, { anchorRatio: setup.options.anchorRatio });
        assignment.images += b.size;
        assignment.objects += gt.reduce((s, g) => s + g.length, 0);
        assignment.positives += positives.reduce((s, p) => s + p.length, 0);
        assignment.predictions += b.size * perImage;
      }
      let outputs: tf.Tensor[] = [];
      const record = step % OBJECTNESS_EVERY === 0;
      const cost = optimizer.minimize(
        () => {
          const out = model.apply(t.x, { training: true }) as tf.Tensor | tf.Tensor[];
          outputs = Array.isArray(out) ? out : [out];
          if (record) outputs.forEach((x) => tf.keep(x));
          return setup.loss.compute(outputs, t.boxes!, t.boxRows).loss as tf.Scalar;
        },
        true,
        model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
      )!;
      if (record) {
        // The batch's outputs before this step's update: what the loss just weighed.
        const parts = await setup.loss.objectnessParts(outputs, gt, EASY_NEGATIVE);
        const total = parts.positives + parts.hardNegatives + parts.easyNegatives || 1;
        const negatives = parts.counts.hardNegatives + parts.counts.easyNegatives || 1;
        objectness.push({ step, positives: parts.positives / total, hardNegatives: parts.hardNegatives / total, easyNegatives: parts.easyNegatives / total, easyCount: parts.counts.easyNegatives / negatives });
        tf.dispose(outputs);
      }
      const loss = (await cost.data())[0];
      tf.dispose(cost);
      disposeBatchTensors(t);
      step++;
      if (!Number.isFinite(loss)) throw new Error(`The loss became NaN/Inf at step ${step}. The learning rate is too high for this network.`);
      sum += loss * b.size;
      count += b.size;
      const p: StepPoint = { step, epoch: e + 1, loss, lr: config.optimizer.lr };
      if (steps.length < 2000) steps.push(p);
      o.onStep?.(p);
      if (step % 4 === 0) await new Promise((r) => setImmediate(r));
    }
    epochs.push({ epoch: e + 1, lr: config.optimizer.lr, seconds: (performance.now() - t0) / 1000, trainLoss: sum / Math.max(1, count), valLoss: NaN, valAccuracy: NaN });
  }
  const raw: RawPredictions[] = [];
  const truth: GroundTruthBox[] = [];
  const val = new BatchIterator(ds, 'val', { batchSize: 64, shuffle: false, limit: config.valLimit });
  let images = 0;
  let lossSum = 0;
  for (const b of val.epoch(0)) {
    const t = batchToTensors(b);
    const out = model.predict(t.x);
    const outputs = Array.isArray(out) ? out : [out];
    raw.push(await setup.decoder.decode(outputs));
    const loss = tf.tidy(() => setup.loss.compute(outputs, t.boxes!, t.boxRows).loss);
    lossSum += (await loss.data())[0] * b.size;
    tf.dispose([loss, ...outputs]);
    disposeBatchTensors(t);
    b.boxes!.forEach((gts, j) => gts.forEach((g) => truth.push({ imageId: images + j, classId: g.cls, box: cxcywhToXyxy([g.x, g.y, g.w, g.h]) })));
    images += b.size;
  }
  const last = epochs.at(-1);
  if (last) last.valLoss = lossSum / Math.max(1, images);
  const params = model.countParams();
  setup.decoder.dispose();
  optimizer.dispose();
  model.dispose();
  return { raw, truth, images, image: setup.image, levels: setup.levels, epochs, steps, params, stopped, assignment, objectness };
}

/**
 * Variants that train the same detector (same seed, config and head) share one training: the NMS variants
 * differ only in post-processing, and a study's baseline may equal another's. Dropped when stopped or failed.
 */
const cache = new Map<string, Promise<TrainedDetector>>();

export function trainedDetector(o: DetectorOptions): Promise<TrainedDetector> {
  const c = o.config;
  // Defaults filled in: a variant that spells out the default options trains the same detector as one that leaves them out.
  const key = JSON.stringify([o.anchors, c.seed, c.epochs, c.batchSize, c.trainLimit, c.valLimit, c.optimizer, detectionSchema.parse(c.detection ?? {}), c.loss.focalAlpha, c.loss.focalGamma]);
  if (!cache.has(key)) {
    const p = trainDetector(o);
    cache.set(key, p);
    p.then(
      (t) => t.stopped && cache.delete(key),
      () => cache.delete(key),
    );
  }
  return cache.get(key)!;
}
