import { shapeIoU } from './anchors';
import { perCell, levelSize, type DetectionLevel, type ImageSize } from './levels';

/**
 * Target assignment: which predictions learn which ground-truth box.
 * 1. Each box goes to one head and shape: the anchor, over all heads, whose shape fits it best (IoU of the
 *    two sizes with a common centre, YOLOv3). An anchor-free head competes with a square of 4 strides.
 * 2. Anchor-based head: that anchor at the cell holding the box centre is a positive; with `anchorRatio` r > 1
 *    (YOLOv5's anchor_t, default 4 in the training config) so is every other anchor, on any anchor-based head, whose
 *    width and height are both within a factor r of the box's, at the cell holding the centre on its head. Two
 *    boxes on the same cell and anchor: the better-fitting one keeps it (the other is not learnt there).
 * 3. Anchor-free head (centre sampling): positives are the cells whose centres lie inside the box and within
 *    1.5 strides of its centre, plus always the cell holding the centre; a cell claimed by several boxes
 *    learns the smallest (FCOS).
 * Every other prediction is a negative for objectness (the loss may ignore some, see detectionLoss.ts).
 */

/** A ground-truth box: class and (cx, cy, w, h) relative to the image. */
export interface GtBox {
  cls: number;
  box: [number, number, number, number];
}

export interface Positive {
  image: number;
  /** Row in the level's predictions flattened over the batch: image·(H·W·A) + (gy·W + gx)·A + a. */
  row: number;
  gx: number;
  gy: number;
  anchor: number;
  cls: number;
  box: [number, number, number, number];
}

/** Anchor-free heads are matched as if they had one square anchor of this many strides. */
export const ANCHOR_FREE_SIZE = 4;
/** Centre-sampling radius of anchor-free heads, in strides. */
export const CENTRE_RADIUS = 1.5;

/** Boxes from the batch tensor's rows (cls, cx, cy, w, h); rows with cls < 0 or an empty box are padding. */
export function boxesFromRows(data: ArrayLike<number>, images: number, rows: number): GtBox[][] {
  return Array.from({ length: images }, (_, n) => {
    const out: GtBox[] = [];
    for (let j = 0; j < rows; j++) {
      const o = (n * rows + j) * 5;
      if (data[o] < 0 || !(data[o + 3] > 0) || !(data[o + 4] > 0)) continue;
      out.push({ cls: Math.round(data[o]), box: [data[o + 1], data[o + 2], data[o + 3], data[o + 4]] });
    }
    return out;
  });
}

/** The head and anchor a box of this pixel size is matched to (rule 1). */
export function bestShape(levels: readonly DetectionLevel[], w: number, h: number): { level: number; anchor: number; iou: number } {
  let best = { level: 0, anchor: 0, iou: -1 };
  levels.forEach((l, li) => {
    const shapes = l.anchors.length > 0 ? l.anchors : [[ANCHOR_FREE_SIZE * l.stride, ANCHOR_FREE_SIZE * l.stride] as [number, number]];
    shapes.forEach((s, a) => {
      const iou = shapeIoU([w, h], s);
      if (iou > best.iou) best = { level: li, anchor: a, iou };
    });
  });
  return best;
}

const cellOf = (v: number, stride: number, cells: number): number => Math.min(cells - 1, Math.max(0, Math.floor(v / stride)));

export interface AssignOptions {
  /** Rule 2's factor r; unset or ≤ 1: the best anchor only. */
  anchorRatio?: number;
}

/** Positives per level (in row order), for a batch of images' ground-truth boxes. */
export function assignTargets(gt: readonly GtBox[][], levels: readonly DetectionLevel[], image: ImageSize, opts: AssignOptions = {}): Positive[][] {
  const claimed = levels.map(() => new Map<number, { p: Positive; rank: number }>());
  gt.forEach((boxes, n) => {
    for (const g of boxes) {
      const [cx, cy, w, h] = [g.box[0] * image.w, g.box[1] * image.h, g.box[2] * image.w, g.box[3] * image.h];
      const m = bestShape(levels, w, h);
      const claim = (level: number, gx: number, gy: number, anchor: number, rank: number): void => {
        const l = levels[level];
        const row = n * levelSize(l) + (gy * l.gridW + gx) * perCell(l) + anchor;
        const prev = claimed[level].get(row);
        if (prev && prev.rank >= rank) return;
        claimed[level].set(row, { p: { image: n, row, gx, gy, anchor, cls: g.cls, box: [...g.box] }, rank });
      };
      const l = levels[m.level];
      const gx = cellOf(cx, l.stride, l.gridW);
      const gy = cellOf(cy, l.stride, l.gridH);
      if (l.anchors.length > 0) {
        claim(m.level, gx, gy, m.anchor, m.iou);
        if (opts.anchorRatio && opts.anchorRatio > 1) {
          const limit = opts.anchorRatio;
          levels.forEach((other, li) =>
            other.anchors.forEach(([aw, ah], a) => {
              if ((li === m.level && a === m.anchor) || Math.max(w / aw, aw / w, h / ah, ah / h) >= limit) return;
              claim(li, cellOf(cx, other.stride, other.gridW), cellOf(cy, other.stride, other.gridH), a, shapeIoU([w, h], [aw, ah]));
            }),
          );
        }
        continue;
      }
      const rank = -w * h; // smaller boxes win shared cells
      const r = CENTRE_RADIUS * l.stride;
      const [x0, x1] = [Math.max(cx - w / 2, cx - r), Math.min(cx + w / 2, cx + r)];
      const [y0, y1] = [Math.max(cy - h / 2, cy - r), Math.min(cy + h / 2, cy + r)];
      for (let y = cellOf(y0, l.stride, l.gridH); y <= cellOf(y1, l.stride, l.gridH); y++)
        for (let x = cellOf(x0, l.stride, l.gridW); x <= cellOf(x1, l.stride, l.gridW); x++) {
          const [ccx, ccy] = [(x + 0.5) * l.stride, (y + 0.5) * l.stride];
          if ((ccx > x0 && ccx < x1 && ccy > y0 && ccy < y1) || (x === gx && y === gy)) claim(m.level, x, y, 0, rank);
        }
    }
  });
  return claimed.map((m) => [...m.values()].map((v) => v.p).sort((a, b) => a.row - b.row));
}
