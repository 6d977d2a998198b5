import { buildYoloNano } from '../../templates/yolo';
import { failureNote, fmtPct } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';

/** The hard-NMS IoU thresholds of the threshold-vs-mAP sweep (1 = no NMS is added to it). */
export const NMS_SWEEP: readonly number[] = [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9];
/** A detection this confident that hits an already-found object counts as a duplicate. */
export const DUPLICATE_SCORE = 0.3;

/** One NMS setting evaluated on the validation split (max 100 detections per image, COCO-style). */
export interface NmsSweepPoint {
  /** Hard-NMS IoU threshold; 1 = no suppression. */
  iouThreshold: number;
  mAP50: number;
  /** mAP@[.5:.95]. */
  mAP: number;
  /** Confident detections (score ≥ DUPLICATE_SCORE) of an object already found by a higher-scoring one, per image. */
  duplicatesPerImage: number;
  confidentPerImage: number;
  detectionsPerImage: number;
}

export interface NmsStudy {
  iouThreshold: number;
  nms: boolean;
  images: number;
  truthBoxes: number;
  /** The variant's own setting. */
  at: NmsSweepPoint;
  /** The same trained detector under every threshold of NMS_SWEEP and without NMS (last). */
  sweep: NmsSweepPoint[];
}

export const nmsOf = (r: VariantResult): NmsStudy | undefined => (r.study && 'sweep' in r.study ? (r.study as unknown as NmsStudy) : undefined);

const yolo = () => buildYoloNano();
const thresholdVariant = (t: number) => ({
  id: `nms-${t.toFixed(1)}`,
  name: `NMS IoU ${t.toFixed(1)}`,
  description: `Hard NMS per class: a box is dropped when it overlaps a higher-scoring box of its class by IoU > ${t.toFixed(1)}.`,
  graph: yolo,
  study: { iouThreshold: t },
});

export const detectionNms: ExperimentDoc = {
  id: 'detection-nms',
  title: 'Detection: NMS and its IoU threshold',
  concept: 'Detection pipeline: non-maximum suppression',
  notes: { files: ['000', '001', '004'], section: 'domain: object detection (NMS, mAP)' },
  claim:
    'A dense detector fires several boxes on each object; without non-maximum suppression those duplicates count as false positives and flood the output. NMS removes them; its IoU threshold trades duplicates left (too high) against overlapping real objects suppressed (too low), so mAP falls as the threshold rises towards no NMS.',
  explanation:
    'YOLO-nano (one stride-8 head, 3 k-means anchors per cell) is trained once, briefly, on the built-in shapes-det set; its validation predictions are then decoded once and evaluated under each variant’s NMS: none, or hard per-class NMS at IoU 0.3, 0.5, 0.7 or 0.9. ' +
    'Only the post-processing differs, so every difference in mAP@0.5 comes from NMS. Shapes-det objects rarely overlap, so a low threshold costs little here; on crowded scenes (people, cars) it suppresses real neighbours and the curve turns down on the left. A duplicate is a confident detection (score ≥ 0.3) that hits an object (IoU ≥ 0.5, same class) a higher-scoring box already found. The chart sweeps the threshold from 0.1 to 0.9 and marks “no NMS” at 1.',
  formula: 'keep b_i  ⇔  ∀ kept b_j with s_j > s_i and the same class: IoU(b_i, b_j) ≤ τ;   AP@0.5 = 101-point interpolated area under P(R)',
  dataset: 'shapes-det',
  kind: 'trained',
  study: true,
  config: { epochs: 1, batchSize: 16, trainLimit: 3000, valLimit: 300, probeEvery: 0, optimizer: { name: 'adam', lr: 0.003 }, schedule: { name: 'constant' } },
  variants: [
    { id: 'no-nms', name: 'No NMS', description: 'Every candidate above score 0.001 is kept (at most 100 per image).', graph: yolo, study: { iouThreshold: 1 } },
    thresholdVariant(0.3),
    thresholdVariant(0.5),
    thresholdVariant(0.7),
    thresholdVariant(0.9),
  ],
  metric: { key: 'mAP50', label: 'mAP@0.5', better: 'higher', format: 'percent' },
  charts: ['nms_sweep', 'train_loss'],
  estimatedSeconds: 90,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, nmsOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant]?.at;
        return [r.variant, { mAP50: m?.mAP50 ?? null, mAP: m?.mAP ?? null, duplicates_per_image: m?.duplicatesPerImage ?? null, detections_per_image: m?.detectionsPerImage ?? null }];
      }),
    );
    const sweep = results.map((r) => s[r.variant]?.sweep).find((x) => x);
    const none = s['no-nms']?.at ?? sweep?.find((p) => p.iouThreshold >= 1);
    const mid = s['nms-0.5']?.at ?? sweep?.find((p) => p.iouThreshold === 0.5);
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    let detail = 'missing measurements';
    let peak: { iouThreshold: number; mAP50: number } | undefined;
    if (sweep && none && mid) {
      const hard = sweep.filter((p) => p.iouThreshold < 1);
      peak = hard.reduce((a, b) => (b.mAP50 > a.mAP50 ? b : a));
      const lowest = hard[0];
      const highest = hard[hard.length - 1];
      const flood = none.duplicatesPerImage > 3 * Math.max(mid.duplicatesPerImage, 0.01);
      const gain = peak.mAP50 - none.mAP50;
      detail = `mAP@0.5 without NMS ${fmtPct(none.mAP50)}, peak ${fmtPct(peak.mAP50)} at IoU ${peak.iouThreshold.toFixed(1)} (${fmtPct(lowest.mAP50)} at ${lowest.iouThreshold.toFixed(1)}, ${fmtPct(highest.mAP50)} at ${highest.iouThreshold.toFixed(1)}); duplicates per image ${none.duplicatesPerImage.toFixed(2)} without NMS vs ${mid.duplicatesPerImage.toFixed(2)} at 0.5`;
      direction = flood && gain > 0.01 && peak.iouThreshold <= 0.6 ? 'supports' : !flood || gain <= 0 ? 'contradicts' : 'inconclusive';
    }
    const line = (r: VariantResult): string => {
      const m = s[r.variant]?.at;
      if (!m) return `${r.name}: ${failureNote(r) || 'no detections'}`;
      return `${r.name}: mAP@0.5 ${fmtPct(m.mAP50)}, mAP@[.5:.95] ${fmtPct(m.mAP)}, ${m.duplicatesPerImage.toFixed(2)} duplicates and ${m.detectionsPerImage.toFixed(1)} detections per image`;
    };
    return {
      text: `${results.map(line).join('; ')}.` + (peak ? ` Over the sweep, mAP@0.5 peaks at IoU ${peak.iouThreshold.toFixed(1)} (${fmtPct(peak.mAP50)}).` : ''),
      effect: { claim: 'no NMS leaves > 3× the duplicates of NMS at 0.5 and a lower mAP@0.5 (by > 1 pt); the sweep peaks at IoU ≤ 0.6', direction, detail },
      perVariant,
      measurements: { peak_iou_threshold: peak?.iouThreshold ?? null, peak_mAP50: peak?.mAP50 ?? null, images: results.map((r) => s[r.variant]?.images).find((x) => x) ?? null },
    };
  },
};
