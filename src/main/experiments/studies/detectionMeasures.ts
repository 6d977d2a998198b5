import { boxIoU, matchDetections, type DetectedBox, type GroundTruthBox } from '../../../shared/metrics';
import type { SizeBinResult } from '../../../shared/experiments/catalog/detectionAnchors';
import type { ConfidencePoint } from '../../../shared/experiments/catalog/detectionHardNegatives';

/**
 * Measures of a detector's validation detections the detection studies chart: recall and localisation by object
 * size, and false positives, precision and recall at each confidence threshold. Matching is COCO's (per image and
 * class, best score first, IoU ≥ 0.5, one detection per object; matchDetections), so a duplicate is a false positive.
 */

export interface Matched {
  /** Per detection (sorted by descending score): whether it matched an object. */
  detections: { score: number; tp: boolean }[];
  /** Per ground-truth box: the score and IoU of the detection that matched it (score −1: none). */
  objects: { side: number; score: number; iou: number }[];
  images: number;
}

/** Matches every image's detections to its objects; `side` is √(w·h) of each object in pixels (imageSize: √(W·H) of the images in pixels). */
export function matchAll(detections: readonly DetectedBox[], truth: readonly GroundTruthBox[], images: number, imageSize: number, iouThreshold = 0.5): Matched {
  const key = (d: GroundTruthBox): string => `${d.imageId}/${d.classId}`;
  const dets = new Map<string, DetectedBox[]>();
  const gts = new Map<string, GroundTruthBox[]>();
  for (const d of detections) dets.set(key(d), [...(dets.get(key(d)) ?? []), d]);
  for (const g of truth) gts.set(key(g), [...(gts.get(key(g)) ?? []), g]);
  const out: Matched = { detections: [], objects: [], images };
  for (const k of new Set([...dets.keys(), ...gts.keys()])) {
    const ds = [...(dets.get(k) ?? [])].sort((a, b) => b.score - a.score);
    const gs = gts.get(k) ?? [];
    const match = matchDetections(
      ds.map((d) => d.box),
      gs.map((g) => g.box),
      iouThreshold,
    );
    const found = gs.map(() => ({ score: -1, iou: 0 }));
    match.forEach((g, i) => {
      out.detections.push({ score: ds[i].score, tp: g >= 0 });
      if (g >= 0) found[g] = { score: ds[i].score, iou: boxIoU(ds[i].box, gs[g].box) };
    });
    gs.forEach((g, j) => out.objects.push({ side: Math.sqrt((g.box[2] - g.box[0]) * (g.box[3] - g.box[1])) * imageSize, ...found[j] }));
  }
  out.detections.sort((a, b) => b.score - a.score);
  return out;
}

/** Recall (found with a score ≥ minScore) and mean IoU of the found objects, per size bin [edges[i], edges[i+1]). */
export function recallBySize(m: Matched, edges: readonly number[], minScore: number): SizeBinResult[] {
  return edges.slice(0, -1).map((lo, i) => {
    const hi = edges[i + 1];
    const inBin = m.objects.filter((o) => o.side >= lo && o.side < hi);
    const found = inBin.filter((o) => o.score >= minScore);
    return { lo, hi, objects: inBin.length, recall: inBin.length ? found.length / inBin.length : null, meanIoU: found.length ? found.reduce((s, o) => s + o.iou, 0) / found.length : null };
  });
}

/** False positives and true positives per image, precision and recall, keeping the detections scored ≥ each threshold. */
export function confidenceSweep(m: Matched, thresholds: readonly number[]): ConfidencePoint[] {
  const objects = m.objects.length;
  return thresholds.map((t) => {
    let tp = 0;
    let fp = 0;
    for (const d of m.detections) {
      if (d.score < t) break;
      if (d.tp) tp++;
      else fp++;
    }
    return { threshold: t, fpPerImage: fp / Math.max(1, m.images), tpPerImage: tp / Math.max(1, m.images), precision: tp + fp ? tp / (tp + fp) : 1, recall: objects ? tp / objects : 0 };
  });
}
