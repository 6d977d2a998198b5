import * as tf from '@tensorflow/tfjs';
import { boxIoU, cxcywhToXyxy, evaluateDetections, type BoxXYXY, type DetectedBox, type GroundTruthBox } from '../../../shared/metrics';
import { buildYoloNano } from '../../../shared/templates/yolo';
import { DUPLICATE_SCORE, NMS_SWEEP, type NmsStudy, type NmsSweepPoint } from '../../../shared/experiments/catalog/detectionNms';
import type { EpochPoint, StepPoint } from '../../../shared/experiments/types';
import type { TrainConfig } from '../../../shared/training/config';
import { compile } from '../../engine/compile';
import { BatchIterator } from '../../engine/data/batch';
import { batchToTensors, disposeBatchTensors } from '../../engine/data/tensors';
import { detectionsOf, type RawPredictions } from '../../engine/detect/predict';
import { resolveDetectionConfig, setupDetector } from '../../engine/train/tasks/detection';
import { dataset, optimizerOf, studyBackend, type StudyProcedure } from './toolkit';

/** The trained detector's raw (pre-NMS) validation predictions with the true boxes: every variant reads these. */
interface Trained {
  raw: RawPredictions[];
  truth: GroundTruthBox[];
  images: number;
  epochs: EpochPoint[];
  steps: StepPoint[];
  params: number;
  stopped: boolean;
}

/**
 * The variants differ only in the NMS applied at evaluation, so the detector is trained once per seed and
 * config and its raw predictions are shared (trained again when the config changes).
 */
const trainedCache = new Map<string, Promise<Trained>>();

async function trainOnce(config: TrainConfig, signal: AbortSignal | undefined, onStep: ((p: StepPoint) => void) | undefined): Promise<Trained> {
  await studyBackend();
  const ds = await dataset('shapes-det');
  const graph = buildYoloNano({ size: ds.info.shape[0], classes: ds.info.classes.length });
  const { model } = compile(graph, { seed: config.seed });
  const resolved = resolveDetectionConfig(ds, { detection: config.detection }, model);
  const setup = setupDetector(ds, { ...config, detection: resolved.detection }, model);
  const optimizer = optimizerOf(config);
  const train = new BatchIterator(ds, 'train', { batchSize: config.batchSize, shuffle: true, seed: config.seed, limit: config.trainLimit });
  const epochs: EpochPoint[] = [];
  const steps: StepPoint[] = [];
  let step = 0;
  let stopped = false;
  for (let e = 0; e < config.epochs && !stopped; e++) {
    const t0 = performance.now();
    let sum = 0;
    let count = 0;
    for (const b of train.epoch(e)) {
      if (signal?.aborted) {
        stopped = true;
        break;
      }
      const t = batchToTensors(b);
      const cost = optimizer.minimize(
        () => {
          const out = model.apply(t.x, { training: true }) as tf.Tensor | tf.Tensor[];
          return setup.loss.compute(Array.isArray(out) ? out : [out], t.boxes!, t.boxRows).loss as tf.Scalar;
        },
        true,
        model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val),
      )!;
      const loss = (await cost.data())[0];
      tf.dispose(cost);
      disposeBatchTensors(t);
      step++;
      if (!Number.isFinite(loss)) throw new Error(`The loss became NaN/Inf at step ${step}. The learning rate is too high for this network.`);
      sum += loss * b.size;
      count += b.size;
      const p: StepPoint = { step, epoch: e + 1, loss, lr: config.optimizer.lr };
      if (steps.length < 2000) steps.push(p);
      onStep?.(p);
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
  return { raw, truth, images, epochs, steps, params, stopped };
}

/** Detections of every validation image under one NMS setting (IoU threshold 1 = no suppression). */
function detectionsAt(t: Trained, iouThreshold: number): DetectedBox[] {
  const out: DetectedBox[] = [];
  let imageId = 0;
  for (const r of t.raw) {
    for (let j = 0; j < r.images; j++, imageId++) {
      for (const d of detectionsOf(r, j, { method: 'hard', iouThreshold, scoreThreshold: 0.001, maxDetections: 100 })) out.push({ imageId, classId: d.cls, score: d.score, box: cxcywhToXyxy(d.box) });
    }
  }
  return out;
}

/**
 * Confident detections (score ≥ DUPLICATE_SCORE) that hit (IoU ≥ 0.5, same class) a true box a higher-scoring
 * detection already claimed: the duplicates NMS exists to remove. Also counts the confident detections.
 */
export function duplicateCount(detections: readonly DetectedBox[], truth: readonly GroundTruthBox[], minScore = DUPLICATE_SCORE): { duplicates: number; confident: number } {
  const gtBy = new Map<string, BoxXYXY[]>();
  for (const g of truth) {
    const key = `${g.imageId}/${g.classId}`;
    gtBy.set(key, [...(gtBy.get(key) ?? []), g.box]);
  }
  const claimed = new Set<string>();
  let duplicates = 0;
  const confident = detections.filter((d) => d.score >= minScore).sort((a, b) => b.score - a.score);
  for (const d of confident) {
    const key = `${d.imageId}/${d.classId}`;
    const gts = gtBy.get(key) ?? [];
    let best = -1;
    let bestIoU = 0.5;
    gts.forEach((g, i) => {
      const iou = boxIoU(d.box, g);
      if (iou >= bestIoU) [best, bestIoU] = [i, iou];
    });
    if (best < 0) continue;
    const id = `${key}/${best}`;
    if (claimed.has(id)) duplicates++;
    else claimed.add(id);
  }
  return { duplicates, confident: confident.length };
}

function measure(t: Trained, iouThreshold: number): NmsSweepPoint {
  const dets = detectionsAt(t, iouThreshold);
  const ev = evaluateDetections(dets, t.truth, { maxDetections: 100 });
  const { duplicates, confident } = duplicateCount(dets, t.truth);
  return { iouThreshold, mAP50: ev.mAP50, mAP: ev.mAP, duplicatesPerImage: duplicates / t.images, confidentPerImage: confident / t.images, detectionsPerImage: dets.length / t.images };
}

/**
 * NMS and its IoU threshold: YOLO-nano trained briefly on shapes-det, then its validation predictions decoded
 * once and evaluated under each variant's NMS setting (none, or hard NMS at the variant's threshold). Every
 * variant also carries the full sweep (NMS_SWEEP) for the threshold-vs-mAP chart.
 */
export const nmsStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  const key = JSON.stringify([config.seed, config.epochs, config.batchSize, config.trainLimit, config.valLimit, config.optimizer, config.detection]);
  if (!trainedCache.has(key)) {
    const p = trainOnce(config, signal, onStep);
    trainedCache.set(key, p);
    p.then((t) => t.stopped && trainedCache.delete(key), () => trainedCache.delete(key));
  }
  const t = await trainedCache.get(key)!;
  const threshold = Number(variant.study?.iouThreshold ?? 1);
  const at = measure(t, threshold);
  const sweep = [...NMS_SWEEP, 1].map((th) => (th === threshold ? at : measure(t, th)));
  const study: NmsStudy = { iouThreshold: threshold, nms: threshold < 1, images: t.images, truthBoxes: t.truth.length, at, sweep };
  const last = t.epochs.at(-1);
  const epochs = last ? [...t.epochs.slice(0, -1), { ...last, valAccuracy: at.mAP50 }] : [];
  return { epochs, steps: t.steps, study: study as unknown as Record<string, unknown>, valSamples: t.images, params: t.params, stopped: t.stopped };
};
