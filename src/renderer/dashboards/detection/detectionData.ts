import type { DetectionReport, SampleBox, SamplePrediction } from '../../../shared/training/telemetry';

/** Pure shaping of a detection report for the dashboards (unit-tested; no React). */

/** One row per recall point (0, 0.01, …, 1) with the precision of each shown class under `c<id>`. */
export type PrRow = { recall: number } & Record<string, number | null>;

/** The classes that have a PR curve (ground truth in the evaluated images). */
export const classesWithCurve = (report: DetectionReport): number[] => report.perClass.flatMap((c, i) => (c.pr && c.numGroundTruth > 0 ? [i] : []));

/** Recharts rows for the PR curves of `classIds` (IoU 0.5, COCO's interpolated precision). */
export function prRows(report: DetectionReport, classIds: readonly number[]): PrRow[] {
  const curves = classIds.map((id) => [id, report.perClass[id]?.pr] as const).filter((c): c is readonly [number, { recall: number[]; precision: number[] }] => !!c[1]);
  if (curves.length === 0) return [];
  const grid = curves[0][1].recall;
  return grid.map((recall, k) => {
    const row: PrRow = { recall } as PrRow;
    for (const [id, pr] of curves) row[`c${id}`] = pr.precision[k] ?? null;
    return row;
  });
}

/** "circle · AP 0.953" (AP@0.5), or "— no ground truth". */
export function curveLabel(name: string, ap50: number | null): string {
  return ap50 === null ? `${name} · no ground truth` : `${name} · AP ${ap50.toFixed(3)}`;
}

export interface ApRow {
  classId: number;
  name: string;
  ap50: number | null;
  ap: number | null;
  recall: number | null;
  numGroundTruth: number;
  numDetections: number;
}

/** The per-class AP table, and its mean row (means over the classes with ground truth; counts summed). */
export function apTable(report: DetectionReport, names: readonly string[]): { rows: ApRow[]; mean: Omit<ApRow, 'classId' | 'name'> } {
  const rows = report.perClass.map((c, i) => ({ classId: i, name: names[i] ?? `class ${i}`, ap50: c.ap50, ap: c.ap, recall: c.recall, numGroundTruth: c.numGroundTruth, numDetections: c.numDetections }));
  const mean = (pick: (r: ApRow) => number | null): number | null => {
    const v = rows.map(pick).filter((x): x is number => x !== null && Number.isFinite(x));
    return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
  };
  return {
    rows,
    mean: {
      ap50: mean((r) => r.ap50),
      ap: mean((r) => r.ap),
      recall: mean((r) => r.recall),
      numGroundTruth: rows.reduce((s, r) => s + r.numGroundTruth, 0),
      numDetections: rows.reduce((s, r) => s + r.numDetections, 0),
    },
  };
}

/** IoU of two boxes in centre format (relative units). */
export function boxIoU(a: SampleBox, b: SampleBox): number {
  const ix = Math.max(0, Math.min(a.x + a.w / 2, b.x + b.w / 2) - Math.max(a.x - a.w / 2, b.x - b.w / 2));
  const iy = Math.max(0, Math.min(a.y + a.h / 2, b.y + b.h / 2) - Math.max(a.y - a.h / 2, b.y - b.h / 2));
  const inter = ix * iy;
  const union = a.w * a.h + b.w * b.h - inter;
  return union > 0 ? inter / union : 0;
}

export interface MatchedBoxes {
  /** Per predicted box: true positive (a same-class truth at IoU ≥ threshold not taken by a higher score). */
  predicted: { box: SampleBox; hit: boolean; iou: number }[];
  /** Per true box: found by a prediction or missed. */
  truth: { box: SampleBox; found: boolean }[];
}

/** Greedy matching as in the AP computation: predictions by descending score, each to the best free same-class truth. */
export function matchBoxes(truth: readonly SampleBox[], predicted: readonly SampleBox[], iouThreshold = 0.5): MatchedBoxes {
  const taken = new Array<boolean>(truth.length).fill(false);
  const order = predicted.map((_, i) => i).sort((a, b) => (predicted[b].score ?? 0) - (predicted[a].score ?? 0));
  const result: MatchedBoxes['predicted'] = new Array(predicted.length);
  for (const i of order) {
    const p = predicted[i];
    let best = -1;
    let bestIoU = 0;
    truth.forEach((t, j) => {
      if (taken[j] || t.cls !== p.cls) return;
      const iou = boxIoU(p, t);
      if (iou > bestIoU) [best, bestIoU] = [j, iou];
    });
    const hit = best >= 0 && bestIoU >= iouThreshold;
    if (hit) taken[best] = true;
    result[i] = { box: p, hit, iou: bestIoU };
  }
  return { predicted: result, truth: truth.map((box, j) => ({ box, found: taken[j] })) };
}

/** The history entry of `epoch`, else the latest one before it, else the first. */
export function samplesAtEpoch<T extends { epoch: number; samples: SamplePrediction[] }>(history: readonly T[], epoch: number): T | undefined {
  let found: T | undefined;
  for (const h of history) if (h.epoch <= epoch) found = h;
  return found ?? history[0];
}

/** Counts for an image's caption: hits, false positives, misses. */
export function matchSummary(m: MatchedBoxes): { hits: number; falsePositives: number; missed: number } {
  const hits = m.predicted.filter((p) => p.hit).length;
  return { hits, falsePositives: m.predicted.length - hits, missed: m.truth.filter((t) => !t.found).length };
}
