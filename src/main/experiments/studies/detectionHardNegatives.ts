import { evaluateDetections } from '../../../shared/metrics';
import { CONFIDENCE_GRID, type HardNegativeStudy } from '../../../shared/experiments/catalog/detectionHardNegatives';
import { detectionsAt } from './detectionNms';
import { confidenceSweep, matchAll } from './detectionMeasures';
import { trainedDetector } from './detector';
import type { StudyProcedure } from './toolkit';

/**
 * Hard negatives: YOLO-nano (3 anchors) trained with the variant's objectness loss (config.detection: BCE, BCE with
 * hard negative mining, or focal), recording what the objectness loss is made of every 10 steps; then mAP and the
 * false positives / precision / recall at every confidence threshold on the validation split (NMS at IoU 0.5).
 */
export const hardNegativesStudy: StudyProcedure = async ({ config, signal, onStep }) => {
  const t = await trainedDetector({ config, anchors: 3, signal, onStep });
  const detections = detectionsAt(t, 0.5);
  const ev = evaluateDetections(detections, t.truth, { maxDetections: 100 });
  const lastStep = t.steps.at(-1)?.step ?? 0;
  const late = t.objectness.filter((p) => p.step >= lastStep / 2);
  const study: HardNegativeStudy = {
    objectness: config.detection?.objectness ?? 'bce',
    hardNegativeRatio: config.detection?.hardNegativeRatio ?? 0,
    images: t.images,
    objects: t.truth.length,
    mAP50: ev.mAP50,
    mAP: ev.mAP,
    shares: t.objectness,
    easyShare: late.length ? late.reduce((s, p) => s + p.easyNegatives, 0) / late.length : 0,
    sweep: confidenceSweep(matchAll(detections, t.truth, t.images, Math.sqrt(t.image.w * t.image.h)), CONFIDENCE_GRID),
  };
  const last = t.epochs.at(-1);
  const epochs = last ? [...t.epochs.slice(0, -1), { ...last, valAccuracy: study.mAP50 }] : [];
  return { epochs, steps: t.steps, study: study as unknown as Record<string, unknown>, valSamples: t.images, params: t.params, stopped: t.stopped };
};
