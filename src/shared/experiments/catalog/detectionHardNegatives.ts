import { buildYoloNano } from '../../templates/yolo';
import { failureNote, fmtPct } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';
import { DETECTION_STUDY_CONFIG } from './detectionAnchors';

/** A negative whose objectness σ(o) is below this counts as easy (it is already confidently background). */
export const EASY_NEGATIVE = 0.1;
/** The confidence thresholds of the false-positive sweep: 0.01, 0.02, …, 0.99. */
export const CONFIDENCE_GRID: readonly number[] = Array.from({ length: 99 }, (_, i) => (i + 1) / 100);
/** The recall the variants are compared at: this share of the lowest recall any variant reaches at score ≥ 0.01. */
export const MATCHED_RECALL_SHARE = 0.9;

/** The validation detections kept at one confidence threshold (after NMS), against the objects. */
export interface ConfidencePoint {
  threshold: number;
  fpPerImage: number;
  tpPerImage: number;
  precision: number;
  recall: number;
}

/** What the objectness loss was made of on a training batch: each kind's share of it (summing to 1). */
export interface ObjectnessShare {
  step: number;
  positives: number;
  hardNegatives: number;
  easyNegatives: number;
  /** Easy negatives among all negatives, by count. */
  easyCount: number;
}

export interface HardNegativeStudy {
  objectness: 'bce' | 'focal';
  /** Hard negative mining: negatives kept per positive (0 = all). */
  hardNegativeRatio: number;
  images: number;
  objects: number;
  /** With NMS at IoU 0.5. */
  mAP50: number;
  mAP: number;
  /** The objectness loss's make-up every few steps of training. */
  shares: ObjectnessShare[];
  /** Mean easy-negative share of the objectness loss over the second half of training. */
  easyShare: number;
  /** False positives, precision and recall at each threshold of CONFIDENCE_GRID (after NMS). */
  sweep: ConfidencePoint[];
}

export const hardNegativesOf = (r: VariantResult): HardNegativeStudy | undefined => (r.study && 'easyShare' in r.study ? (r.study as unknown as HardNegativeStudy) : undefined);

/** The highest-threshold point of a sweep whose recall reaches `recall` (fewest detections kept); undefined if none does. */
export function atRecall(sweep: readonly ConfidencePoint[], recall: number): ConfidencePoint | undefined {
  return [...sweep].sort((a, b) => b.threshold - a.threshold).find((p) => p.recall >= recall);
}

/** The recall every variant can reach: MATCHED_RECALL_SHARE of the lowest maximum recall among the studies. */
export function matchedRecall(studies: readonly (HardNegativeStudy | undefined)[]): number | undefined {
  const maxima = studies.filter((s): s is HardNegativeStudy => !!s).map((s) => Math.max(...s.sweep.map((p) => p.recall)));
  return maxima.length ? MATCHED_RECALL_SHARE * Math.min(...maxima) : undefined;
}

const yolo = () => buildYoloNano();

export const detectionHardNegatives: ExperimentDoc = {
  id: 'detection-hard-negatives',
  title: 'Detection: easy negatives, hard negative mining and focal objectness',
  concept: 'Detection pipeline: hard negatives',
  notes: { files: ['000', '001', '004'], section: 'domain §2 Detection mechanics: hard negative mining; §4 class imbalance: focal loss; 004 confidence loss' },
  claim:
    'Nearly every prediction of a dense detector is easy background; with plain BCE objectness these easy negatives make up much of the loss. Training on the hard negatives only (hard negative mining, note 000) or down-weighting easy examples (focal loss, notes 000/004) makes the model concentrate on the hard ones and cuts false positives.',
  explanation:
    'YOLO-nano with 3 k-means anchors (8×8×3 = 192 predictions per image for 1–4 objects) is trained three times on shapes-det; only the objectness loss differs. ' +
    `BCE counts every negative; hard negative mining (SSD/OHEM) keeps, per image, only the 3·P negatives with the highest loss (P = the image’s positives); focal loss multiplies each term by α_t(1 − p_t)^γ (α 0.25, γ 2). ` +
    `Every 10 steps the objectness loss of the batch is split into positives, hard negatives and easy negatives (σ(o) < ${EASY_NEGATIVE}). ` +
    'On the validation split (NMS 0.5) the false positives per image are compared at the same recall, since focal loss lowers every score and a fixed threshold would favour it. ' +
    'The head already starts its objectness at p = 0.01 (RetinaNet’s prior), which keeps easy negatives from swamping the loss at the start for all three.',
  formula: 'BCE: Σ_all ℓ(o, y);   mining: Σ_pos ℓ + Σ_{top 3P negatives by ℓ} ℓ;   focal: −α_t(1 − p_t)^γ log p_t;   FP/image at recall R*',
  dataset: 'shapes-det',
  kind: 'trained',
  study: true,
  config: DETECTION_STUDY_CONFIG,
  variants: [
    { id: 'bce', name: 'BCE, all negatives', description: 'Every prediction’s objectness counts (YOLOv3/v5).', graph: yolo, config: { detection: { objectness: 'bce', hardNegativeRatio: 0 } } },
    { id: 'hard-negatives', name: 'Hard negative mining 3:1', description: 'Per image only the 3·P negatives with the highest objectness loss count (SSD).', graph: yolo, config: { detection: { objectness: 'bce', hardNegativeRatio: 3 } } },
    { id: 'focal', name: 'Focal objectness (γ 2)', description: 'Every prediction counts, weighted by α_t(1 − p_t)^γ, α 0.25, γ 2 (RetinaNet).', graph: yolo, config: { detection: { objectness: 'focal', hardNegativeRatio: 0 } } },
  ],
  metric: { key: 'mAP50', label: 'mAP@0.5', better: 'higher', format: 'percent' },
  charts: ['detection_negatives', 'train_loss'],
  estimatedSeconds: 90,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, hardNegativesOf(r)]));
    const recall = matchedRecall(Object.values(s));
    const fpAt = (m: HardNegativeStudy | undefined): number | null => (m && recall !== undefined ? (atRecall(m.sweep, recall)?.fpPerImage ?? null) : null);
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        const at = m && recall !== undefined ? atRecall(m.sweep, recall) : undefined;
        return [r.variant, { mAP50: m?.mAP50 ?? null, mAP: m?.mAP ?? null, easy_negative_loss_share: m?.easyShare ?? null, fp_per_image_at_matched_recall: at?.fpPerImage ?? null, precision_at_matched_recall: at?.precision ?? null }];
      }),
    );
    const base = s.bce;
    const remedies = ['hard-negatives', 'focal'].filter((id) => s[id]);
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    let detail = 'missing measurements';
    const baseFp = fpAt(base);
    if (base && remedies.length === 2 && recall !== undefined && baseFp !== null) {
      const name = (id: string): string => results.find((r) => r.variant === id)?.name ?? id;
      const judged = remedies.map((id) => {
        const m = s[id]!;
        const fp = fpAt(m);
        const holds = fp !== null && fp < 0.9 * baseFp && m.mAP50 >= base.mAP50 - 0.01;
        const against = fp === null || fp > 0.9 * baseFp;
        const verdict = holds ? 'holds' : against ? 'does not hold' : 'unclear (fewer false positives but lower mAP)';
        return { id, holds, against, text: `${name(id)} ${verdict}: ${fp === null ? 'n/a' : fp.toFixed(2)} false positives per image vs BCE’s ${baseFp.toFixed(2)} at recall ${fmtPct(recall)}, mAP@0.5 ${fmtPct(m.mAP50)} vs ${fmtPct(base.mAP50)}` };
      });
      direction = judged.every((j) => j.holds) ? 'supports' : judged.every((j) => j.against) ? 'contradicts' : 'inconclusive';
      detail =
        `${judged.map((j) => j.text).join('; ')}. ` +
        `Easy negatives’ share of the objectness loss (σ < ${EASY_NEGATIVE}, second half of training): BCE ${fmtPct(base.easyShare)}, ${remedies.map((id) => `${name(id)} ${fmtPct(s[id]!.easyShare)}`).join(', ')}`;
    }
    const line = (r: VariantResult): string => {
      const m = s[r.variant];
      if (!m) return `${r.name}: ${failureNote(r) || 'not measured'}`;
      const fp = fpAt(m);
      return `${r.name}: mAP@0.5 ${fmtPct(m.mAP50)} (mAP@[.5:.95] ${fmtPct(m.mAP)}), easy negatives ${fmtPct(m.easyShare)} of the objectness loss, ${fp === null ? 'n/a' : fp.toFixed(2)} false positives per image at recall ${fmtPct(recall)}`;
    };
    return {
      text: `${results.map(line).join('; ')}.`,
      effect: {
        claim: 'hard negative mining and focal objectness each cut the false positives per image at the same recall by > 10% without costing more than 1 pt of mAP@0.5',
        direction,
        detail,
      },
      perVariant,
      measurements: { matched_recall: recall ?? null },
    };
  },
};
