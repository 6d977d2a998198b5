import { z } from 'zod';
import { boxIoU, type BoxXYXY } from './boxes';

// Detection evaluation following pycocotools' COCOeval (without crowd/ignore regions and area ranges):
// - per image and class, detections are sorted by score and cut to maxDetections;
// - each detection, best score first, takes the still-unmatched ground truth with the highest IoU,
//   provided IoU ≥ threshold; otherwise it is a false positive (so a duplicate of a matched object is FP);
// - detections of all images are then ranked by score to give the class's precision/recall curve;
// - a class with no ground truth has AP and recall NaN and is left out of every mean, even if it has
//   detections (COCO stores −1 and skips it).

export interface GroundTruthBox {
  imageId: string | number;
  classId: number;
  box: BoxXYXY;
}

export interface DetectedBox extends GroundTruthBox {
  score: number;
}

export type ApInterpolation = 'coco101' | 'voc11' | 'continuous';

/** 0.50, 0.55, …, 0.95 (rounded, so that 0.7 is 0.7 and not np.linspace's 0.7000000000000001). */
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => Math.round(50 + 5 * i) / 100);

export const DetectionEvalConfigSchema = z.object({
  iouThresholds: z.array(z.number().min(0).max(1)).min(1).default(() => [...COCO_IOU_THRESHOLDS]),
  /** Per image and class, as in COCOeval's maxDets. */
  maxDetections: z.number().int().positive().default(100),
  interpolation: z.enum(['coco101', 'voc11', 'continuous']).default('coco101'),
  /** Classes to report; default: every class id seen in the ground truth or the detections. */
  classIds: z.array(z.number().int().nonnegative()).optional(),
});
export type DetectionEvalConfig = z.infer<typeof DetectionEvalConfigSchema>;
export type DetectionEvalConfigInput = z.input<typeof DetectionEvalConfigSchema>;

/**
 * Greedy COCO matching for one image and one class. `detections` must already be sorted by descending
 * score. Returns, per detection, the index of the matched ground truth or −1 (false positive).
 */
export function matchDetections(detections: readonly BoxXYXY[], groundTruth: readonly BoxXYXY[], iouThreshold: number): number[] {
  return matchWithIoU(iouMatrix(detections, groundTruth), groundTruth.length, iouThreshold);
}

function iouMatrix(dets: readonly BoxXYXY[], gts: readonly BoxXYXY[]): number[][] {
  return dets.map((d) => gts.map((g) => boxIoU(d, g)));
}

function matchWithIoU(ious: number[][], numGt: number, iouThreshold: number): number[] {
  const taken = new Array<boolean>(numGt).fill(false);
  return ious.map((row) => {
    let best = -1;
    let bestIoU = Math.min(iouThreshold, 1 - 1e-10);
    for (let g = 0; g < numGt; g++) {
      if (taken[g] || row[g] < bestIoU) continue;
      bestIoU = row[g];
      best = g;
    }
    if (best >= 0) taken[best] = true;
    return best;
  });
}

/**
 * AP from a precision/recall curve whose recall is non-decreasing (as ranked detections give it).
 * - coco101: mean over r ∈ {0, .01, …, 1} of the interpolated precision max_{r' ≥ r} p(r'), 0 past the last recall.
 * - voc11: the same over r ∈ {0, .1, …, 1} (PASCAL VOC 2007).
 * - continuous: exact area under the interpolated curve (VOC 2010+ "all points").
 */
export function averagePrecision(recall: ArrayLike<number>, precision: ArrayLike<number>, method: ApInterpolation = 'coco101'): number {
  const n = recall.length;
  if (precision.length !== n) throw new RangeError('recall and precision differ in length');
  const envelope = Array.from(precision);
  for (let i = n - 2; i >= 0; i--) envelope[i] = Math.max(envelope[i], envelope[i + 1]);
  const interpolatedAt = (r: number): number => {
    let lo = 0;
    let hi = n;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (recall[mid] < r) lo = mid + 1;
      else hi = mid;
    }
    return lo < n ? envelope[lo] : 0;
  };
  if (method === 'coco101' || method === 'voc11') {
    const points = method === 'coco101' ? 100 : 10;
    let sum = 0;
    for (let i = 0; i <= points; i++) sum += interpolatedAt(i / points);
    return sum / (points + 1);
  }
  let area = 0;
  let prevRecall = 0;
  for (let i = 0; i < n; i++) {
    area += (recall[i] - prevRecall) * envelope[i];
    prevRecall = recall[i];
  }
  return area;
}

export interface PrCurve {
  classId: number;
  iouThreshold: number;
  numGroundTruth: number;
  /** Ranked detection scores (descending) and the curve after each of them. */
  scores: number[];
  isTruePositive: boolean[];
  precision: number[];
  recall: number[];
}

export interface ClassDetectionResult {
  classId: number;
  numGroundTruth: number;
  numDetections: number;
  /** AP per IoU threshold; NaN when the class has no ground truth. */
  ap: number[];
  /** Recall with maxDetections per image, per IoU threshold; NaN without ground truth. */
  recall: number[];
}

export interface DetectionEvaluation {
  iouThresholds: number[];
  perClass: ClassDetectionResult[];
  /** Mean AP over evaluated classes and all thresholds: mAP@[.5:.95] with the default thresholds. */
  mAP: number;
  /** Mean AP at IoU 0.5 / 0.75; NaN when that threshold is not in the list. */
  mAP50: number;
  mAP75: number;
  /** Mean recall over evaluated classes and thresholds at maxDetections (COCO's AR@maxDets). */
  mAR: number;
}

interface RankedClass {
  numGroundTruth: number;
  scores: number[];
  /** matched[t][j]: detection j (ranked) is a TP at threshold t. */
  matched: boolean[][];
}

interface Indexed<T> {
  item: T;
  /** Position in the caller's array: breaks score ties deterministically. */
  order: number;
}

interface ClassData {
  dets: Indexed<DetectedBox>[];
  gts: GroundTruthBox[];
}

function byClass(dets: readonly DetectedBox[], gts: readonly GroundTruthBox[]): Map<number, ClassData> {
  const out = new Map<number, ClassData>();
  const slot = (classId: number) => {
    let s = out.get(classId);
    if (!s) out.set(classId, (s = { dets: [], gts: [] }));
    return s;
  };
  for (const g of gts) slot(g.classId).gts.push(g);
  dets.forEach((d, order) => slot(d.classId).dets.push({ item: d, order }));
  return out;
}

function rankClass(data: ClassData | undefined, thresholds: readonly number[], maxDetections: number): RankedClass {
  const images = new Map<string | number, { dets: Indexed<DetectedBox>[]; gts: BoxXYXY[] }>();
  const slot = (imageId: string | number) => {
    let s = images.get(imageId);
    if (!s) images.set(imageId, (s = { dets: [], gts: [] }));
    return s;
  };
  for (const g of data?.gts ?? []) slot(g.imageId).gts.push(g.box);
  for (const d of data?.dets ?? []) slot(d.item.imageId).dets.push(d);

  const ranked: { score: number; order: number; tp: boolean[] }[] = [];
  for (const img of images.values()) {
    const top = img.dets.sort((a, b) => b.item.score - a.item.score || a.order - b.order).slice(0, maxDetections);
    const ious = iouMatrix(
      top.map((t) => t.item.box),
      img.gts,
    );
    const perThreshold = thresholds.map((t) => matchWithIoU(ious, img.gts.length, t));
    top.forEach((t, j) => ranked.push({ score: t.item.score, order: t.order, tp: perThreshold.map((m) => m[j] >= 0) }));
  }
  ranked.sort((a, b) => b.score - a.score || a.order - b.order);
  return {
    numGroundTruth: data?.gts.length ?? 0,
    scores: ranked.map((r) => r.score),
    matched: thresholds.map((_, t) => ranked.map((r) => r.tp[t])),
  };
}

function curveFrom(tp: readonly boolean[], numGroundTruth: number): { precision: number[]; recall: number[] } {
  const precision: number[] = [];
  const recall: number[] = [];
  let tps = 0;
  tp.forEach((isTp, j) => {
    if (isTp) tps++;
    precision.push(tps / (j + 1));
    recall.push(numGroundTruth > 0 ? tps / numGroundTruth : Number.NaN);
  });
  return { precision, recall };
}

function classesOf(grouped: Map<number, ClassData>, declared?: readonly number[]): number[] {
  return declared ? [...declared] : [...grouped.keys()].sort((a, b) => a - b);
}

/** Precision/recall curve of every class at one IoU threshold (for plotting). */
export function precisionRecallCurves(
  detections: readonly DetectedBox[],
  groundTruth: readonly GroundTruthBox[],
  iouThreshold = 0.5,
  maxDetections = 100,
): PrCurve[] {
  const grouped = byClass(detections, groundTruth);
  return classesOf(grouped).map((classId) => {
    const r = rankClass(grouped.get(classId), [iouThreshold], maxDetections);
    return {
      classId,
      iouThreshold,
      numGroundTruth: r.numGroundTruth,
      scores: r.scores,
      isTruePositive: r.matched[0],
      ...curveFrom(r.matched[0], r.numGroundTruth),
    };
  });
}

function meanOf(values: number[]): number {
  const valid = values.filter((v) => !Number.isNaN(v));
  return valid.length === 0 ? Number.NaN : valid.reduce((a, b) => a + b, 0) / valid.length;
}

export function evaluateDetections(
  detections: readonly DetectedBox[],
  groundTruth: readonly GroundTruthBox[],
  config: DetectionEvalConfigInput = {},
): DetectionEvaluation {
  const cfg = DetectionEvalConfigSchema.parse(config);
  const thresholds = cfg.iouThresholds;
  const grouped = byClass(detections, groundTruth);
  const perClass = classesOf(grouped, cfg.classIds).map((classId): ClassDetectionResult => {
    const r = rankClass(grouped.get(classId), thresholds, cfg.maxDetections);
    const has = r.numGroundTruth > 0;
    const ap = r.matched.map((tp) => {
      if (!has) return Number.NaN;
      const { precision, recall } = curveFrom(tp, r.numGroundTruth);
      return averagePrecision(recall, precision, cfg.interpolation);
    });
    const recall = r.matched.map((tp) => (has ? tp.filter(Boolean).length / r.numGroundTruth : Number.NaN));
    return { classId, numGroundTruth: r.numGroundTruth, numDetections: r.scores.length, ap, recall };
  });
  const at = (iou: number): number => {
    const t = thresholds.findIndex((x) => Math.abs(x - iou) < 1e-9);
    return t < 0 ? Number.NaN : meanOf(perClass.map((c) => c.ap[t]));
  };
  return {
    iouThresholds: [...thresholds],
    perClass,
    mAP: meanOf(perClass.map((c) => meanOf(c.ap))),
    mAP50: at(0.5),
    mAP75: at(0.75),
    mAR: meanOf(perClass.map((c) => meanOf(c.recall))),
  };
}
