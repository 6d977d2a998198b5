import { boxIoU, cxcywhToXyxy, evaluateDetections, type BoxXYXY, type DetectedBox, type GroundTruthBox } from '../../../shared/metrics';
import { DUPLICATE_SCORE, NMS_SWEEP, type NmsStudy, type NmsSweepPoint } from '../../../shared/experiments/catalog/detectionNms';
import { detectionsOf } from '../../engine/detect/predict';
import { trainedDetector, type TrainedDetector } from './detector';
import type { StudyProcedure } from './toolkit';

/** Detections of every validation image under one NMS setting (IoU threshold 1 = no suppression). */
export function detectionsAt(t: Pick<TrainedDetector, 'raw'>, iouThreshold: number): DetectedBox[] {
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

function measure(t: TrainedDetector, iouThreshold: number): NmsSweepPoint {
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
export const nmsStudy: StudyProcedure = async ({ config, signal, onStep, variant }) => {
  const t = await trainedDetector({ config, anchors: 3, signal, onStep });
  const threshold = Number(variant.study?.iouThreshold ?? 1);
  const at = measure(t, threshold);
  const sweep = [...NMS_SWEEP, 1].map((th) => (th === threshold ? at : measure(t, th)));
  const study: NmsStudy = { iouThreshold: threshold, nms: threshold < 1, images: t.images, truthBoxes: t.truth.length, at, sweep };
  const last = t.epochs.at(-1);
  const epochs = last ? [...t.epochs.slice(0, -1), { ...last, valAccuracy: at.mAP50 }] : [];
  return { epochs, steps: t.steps, study: study as unknown as Record<string, unknown>, valSamples: t.images, params: t.params, stopped: t.stopped };
};
