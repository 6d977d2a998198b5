import { z } from 'zod';
import { boxIoU, type BoxXYXY } from './boxes';

// Greedy non-maximum suppression and Soft-NMS (Bodla et al. 2017).
// - hard:     drop every remaining box whose IoU with the kept box is > iouThreshold (torchvision rule).
// - linear:   s ← s·(1 − IoU) when IoU > iouThreshold, else unchanged.
// - gaussian: s ← s·exp(−IoU²/σ) for every remaining box (the paper's form; TensorFlow's soft_nms_sigma
//             uses exp(−IoU²/(2σ)), so σ_tf = σ/2).
// A box is kept while its (possibly decayed) score is ≥ scoreThreshold. Equal scores keep input order.

export const NmsOptionsSchema = z.object({
  method: z.enum(['hard', 'linear', 'gaussian']).default('hard'),
  iouThreshold: z.number().min(0).max(1).default(0.5),
  scoreThreshold: z.number().min(0).default(0.001),
  maxDetections: z.number().int().positive().default(300),
  sigma: z.number().positive().default(0.5),
});
export type NmsOptions = z.infer<typeof NmsOptionsSchema>;
export type NmsOptionsInput = z.input<typeof NmsOptionsSchema>;

export interface NmsKept {
  /** Index into the input arrays. */
  index: number;
  /** Score after Soft-NMS decay (the input score for hard NMS). */
  score: number;
}

/** Returns the kept boxes in the order they were selected (descending final score). */
export function nms(boxes: readonly BoxXYXY[], scores: ArrayLike<number>, options: NmsOptionsInput = {}): NmsKept[] {
  if (boxes.length !== scores.length) throw new RangeError(`${boxes.length} boxes but ${scores.length} scores`);
  const opt = NmsOptionsSchema.parse(options);
  return opt.method === 'hard' ? hardNms(boxes, scores, opt) : softNms(boxes, scores, opt);
}

function hardNms(boxes: readonly BoxXYXY[], scores: ArrayLike<number>, opt: NmsOptions): NmsKept[] {
  const order: number[] = [];
  for (let i = 0; i < scores.length; i++) if (scores[i] >= opt.scoreThreshold) order.push(i);
  order.sort((a, b) => scores[b] - scores[a] || a - b);
  const kept: NmsKept[] = [];
  for (const i of order) {
    if (kept.length >= opt.maxDetections) break;
    if (kept.every((k) => boxIoU(boxes[k.index], boxes[i]) <= opt.iouThreshold)) kept.push({ index: i, score: scores[i] });
  }
  return kept;
}

// Scores change after every pick, so the best box is searched again each round (O(n²)).
function softNms(boxes: readonly BoxXYXY[], scores: ArrayLike<number>, opt: NmsOptions): NmsKept[] {
  const live = Array.from(scores);
  const alive = live.map((s) => s >= opt.scoreThreshold);
  const kept: NmsKept[] = [];
  while (kept.length < opt.maxDetections) {
    let best = -1;
    for (let i = 0; i < live.length; i++) if (alive[i] && (best < 0 || live[i] > live[best])) best = i;
    if (best < 0) break;
    kept.push({ index: best, score: live[best] });
    alive[best] = false;
    for (let i = 0; i < live.length; i++) {
      if (!alive[i]) continue;
      const iou = boxIoU(boxes[best], boxes[i]);
      if (opt.method === 'linear') {
        if (iou > opt.iouThreshold) live[i] *= 1 - iou;
      } else {
        live[i] *= Math.exp(-(iou * iou) / opt.sigma);
      }
      if (live[i] < opt.scoreThreshold) alive[i] = false;
    }
  }
  return kept;
}

/**
 * NMS run independently per class (boxes of different classes never suppress each other), then merged by
 * score and truncated to maxDetections.
 */
export function batchedNms(
  boxes: readonly BoxXYXY[],
  scores: ArrayLike<number>,
  classIds: ArrayLike<number>,
  options: NmsOptionsInput = {},
): NmsKept[] {
  if (classIds.length !== boxes.length) throw new RangeError(`${boxes.length} boxes but ${classIds.length} class ids`);
  const opt = NmsOptionsSchema.parse(options);
  const byClass = new Map<number, number[]>();
  for (let i = 0; i < boxes.length; i++) {
    const list = byClass.get(classIds[i]) ?? [];
    list.push(i);
    byClass.set(classIds[i], list);
  }
  const all: NmsKept[] = [];
  for (const idx of byClass.values()) {
    const kept = nms(
      idx.map((i) => boxes[i]),
      idx.map((i) => scores[i]),
      opt,
    );
    for (const k of kept) all.push({ index: idx[k.index], score: k.score });
  }
  all.sort((a, b) => b.score - a.score || a.index - b.index);
  return all.slice(0, opt.maxDetections);
}
