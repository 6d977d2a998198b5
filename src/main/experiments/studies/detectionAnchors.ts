import { evaluateDetections } from '../../../shared/metrics';
import { FOUND_SCORE, SIZE_EDGES, type AnchorStudy, type HeadEval } from '../../../shared/experiments/catalog/detectionAnchors';
import { detectionsAt, duplicateCount } from './detectionNms';
import { matchAll, recallBySize } from './detectionMeasures';
import { trainedDetector, type TrainedDetector } from './detector';
import type { StudyProcedure } from './toolkit';

function evalAt(t: TrainedDetector, iouThreshold: number): { eval: HeadEval; detections: ReturnType<typeof detectionsAt> } {
  const detections = detectionsAt(t, iouThreshold);
  const ev = evaluateDetections(detections, t.truth, { maxDetections: 100 });
  const { duplicates } = duplicateCount(detections, t.truth);
  return { eval: { mAP50: ev.mAP50, mAP: ev.mAP, duplicatesPerImage: duplicates / t.images, detectionsPerImage: detections.length / t.images }, detections };
}

/**
 * Anchor-based vs anchor-free: YOLO-nano with the variant's head (study.anchors per cell, 0 = anchor-free) trained
 * with the lab's loss and assignment; then the assignment's targets, mAP with NMS (IoU 0.5) and without, and
 * recall by object size on the validation split.
 */
export const anchorsStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  const anchors = Number(variant.study?.anchors ?? 3);
  const t = await trainedDetector({ config, anchors, signal, onStep });
  const withNms = evalAt(t, 0.5);
  const without = evalAt(t, 1);
  const a = t.assignment;
  const study: AnchorStudy = {
    anchors,
    anchorSizes: t.levels.flatMap((l) => l.anchors.map(([w, h]) => [Math.round(w * 10) / 10, Math.round(h * 10) / 10] as [number, number])),
    assignment: {
      images: a.images,
      objects: a.objects,
      positivesPerObject: a.positives / Math.max(1, a.objects),
      negativesPerPositive: (a.predictions - a.positives) / Math.max(1, a.positives),
      predictionsPerImage: a.predictions / Math.max(1, a.images),
    },
    images: t.images,
    objects: t.truth.length,
    nms: withNms.eval,
    noNms: without.eval,
    bySize: recallBySize(matchAll(withNms.detections, t.truth, t.images, Math.sqrt(t.image.w * t.image.h)), SIZE_EDGES, FOUND_SCORE),
  };
  const last = t.epochs.at(-1);
  const epochs = last ? [...t.epochs.slice(0, -1), { ...last, valAccuracy: study.nms.mAP50 }] : [];
  return { epochs, steps: t.steps, study: study as unknown as Record<string, unknown>, valSamples: t.images, params: t.params, stopped: t.stopped };
};
