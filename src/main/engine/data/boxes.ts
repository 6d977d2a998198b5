import type { Box } from './types';

/** Corner form, relative units. */
export interface Rect {
  x0: number;
  y0: number;
  x1: number;
  y1: number;
}

export function toRect(b: Box): Rect {
  return { x0: b.x - b.w / 2, y0: b.y - b.h / 2, x1: b.x + b.w / 2, y1: b.y + b.h / 2 };
}

export function fromRect(cls: number, r: Rect): Box {
  return { cls, x: (r.x0 + r.x1) / 2, y: (r.y0 + r.y1) / 2, w: r.x1 - r.x0, h: r.y1 - r.y0 };
}

export function rectArea(r: Rect): number {
  return Math.max(0, r.x1 - r.x0) * Math.max(0, r.y1 - r.y0);
}

export function intersect(a: Rect, b: Rect): Rect {
  return { x0: Math.max(a.x0, b.x0), y0: Math.max(a.y0, b.y0), x1: Math.min(a.x1, b.x1), y1: Math.min(a.y1, b.y1) };
}

export function iou(a: Box, b: Box): number {
  const ra = toRect(a);
  const rb = toRect(b);
  const i = rectArea(intersect(ra, rb));
  const u = rectArea(ra) + rectArea(rb) - i;
  return u > 0 ? i / u : 0;
}

export interface ClipOptions {
  /** Drop a box when less than this fraction of its (transformed) area stays inside. */
  minVisible?: number;
  /** Drop a box narrower or shorter than this, in relative units. */
  minSide?: number;
}

/**
 * Maps boxes through a corner transform, clips them to `clip` (default the image) and drops those that
 * are mostly gone. The transform returns the new corner rect in relative units.
 */
export function mapBoxes(
  boxes: readonly Box[],
  transform: (r: Rect) => Rect,
  clip: Rect = { x0: 0, y0: 0, x1: 1, y1: 1 },
  { minVisible = 0.25, minSide = 1e-3 }: ClipOptions = {},
): Box[] {
  const out: Box[] = [];
  for (const b of boxes) {
    const t = transform(toRect(b));
    const full = rectArea(t);
    const c = intersect(t, clip);
    if (full <= 0 || c.x1 - c.x0 < minSide || c.y1 - c.y0 < minSide) continue;
    if (rectArea(c) / full < minVisible) continue;
    out.push(fromRect(b.cls, c));
  }
  return out;
}

/** Boxes packed for the cache: `index` has N+1 offsets into `data`, which holds cls,x,y,w,h per box. */
export function packBoxes(lists: readonly (readonly Box[])[]): { index: Int32Array; data: Float32Array } {
  const index = new Int32Array(lists.length + 1);
  let n = 0;
  lists.forEach((l, i) => {
    index[i] = n;
    n += l.length;
  });
  index[lists.length] = n;
  const data = new Float32Array(n * 5);
  let k = 0;
  for (const l of lists)
    for (const b of l) {
      data.set([b.cls, b.x, b.y, b.w, b.h], k);
      k += 5;
    }
  return { index, data };
}

export function unpackBoxes(index: Int32Array, data: Float32Array): Box[][] {
  const out: Box[][] = [];
  for (let i = 0; i + 1 < index.length; i++) {
    const l: Box[] = [];
    for (let j = index[i]; j < index[i + 1]; j++) {
      const o = j * 5;
      l.push({ cls: data[o], x: data[o + 1], y: data[o + 2], w: data[o + 3], h: data[o + 4] });
    }
    out.push(l);
  }
  return out;
}
