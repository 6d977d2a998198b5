import { z } from 'zod';
import { mapBoxes } from '../boxes';
import { resizeBilinear, resizeNearest } from '../image/resize';
import { defineAugmentation, range } from './def';
import { argmax, labelWeights, type PixelRect, type Sample } from './types';

/** Grey the tiles do not cover (YOLO's 114/255). */
const MOSAIC_FILL = 114 / 255;

export interface MosaicLayout {
  /** Where the four tiles meet, in pixels. */
  cx: number;
  cy: number;
  /** Each tile is its image scaled by this factor. */
  tileScale: number;
}

/**
 * Mosaic: four images, each scaled by `tileScale`, meet at (cx, cy): top-left, top-right, bottom-left,
 * bottom-right, each cut by its quadrant. Boxes are remapped and clipped to their quadrant; masks follow;
 * class weights are the tiles' visible area fractions.
 */
export function mosaic(samples: readonly Sample[], layout: MosaicLayout, numClasses: number): Sample {
  if (samples.length !== 4) throw new Error(`mosaic needs 4 samples, got ${samples.length}`);
  const { h, w, c } = samples[0].image;
  const cx = Math.round(layout.cx);
  const cy = Math.round(layout.cy);
  const out = new Float32Array(h * w * c).fill(MOSAIC_FILL);
  const withMask = samples.every((s) => s.mask);
  const mask = withMask ? new Uint8Array(h * w) : undefined;
  const boxes = samples.some((s) => s.boxes) ? [] as NonNullable<Sample['boxes']> : undefined;
  const soft = new Float32Array(numClasses);
  samples.forEach((s, k) => {
    const im = s.image;
    if (im.c !== c) throw new Error('mosaic images must have the same channel count');
    const th = Math.max(1, Math.round(im.h * layout.tileScale));
    const tw = Math.max(1, Math.round(im.w * layout.tileScale));
    const ox = k % 2 === 0 ? cx - tw : cx;
    const oy = k < 2 ? cy - th : cy;
    const quad: PixelRect = { x: k % 2 === 0 ? 0 : cx, y: k < 2 ? 0 : cy, w: k % 2 === 0 ? cx : w - cx, h: k < 2 ? cy : h - cy };
    const tile = resizeBilinear(im.data, im.h, im.w, c, th, tw);
    const tmask = mask && s.mask ? resizeNearest(s.mask, im.h, im.w, th, tw) : undefined;
    let visible = 0;
    for (let y = Math.max(quad.y, oy); y < Math.min(quad.y + quad.h, oy + th); y++)
      for (let x = Math.max(quad.x, ox); x < Math.min(quad.x + quad.w, ox + tw); x++) {
        const ty = y - oy;
        const tx = x - ox;
        for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = tile[(ty * tw + tx) * c + ch];
        if (mask && tmask) mask[y * w + x] = tmask[ty * tw + tx];
        visible++;
      }
    const wts = labelWeights(s, numClasses);
    for (let i = 0; i < numClasses; i++) soft[i] += (wts[i] * visible) / (h * w);
    if (boxes && s.boxes) {
      const clip = { x0: quad.x / w, y0: quad.y / h, x1: (quad.x + quad.w) / w, y1: (quad.y + quad.h) / h };
      const map = (v: number, o: number, t: number, size: number) => (o + v * t) / size;
      boxes.push(
        ...mapBoxes(s.boxes, (q) => ({ x0: map(q.x0, ox, tw, w), y0: map(q.y0, oy, th, h), x1: map(q.x1, ox, tw, w), y1: map(q.y1, oy, th, h) }), clip),
      );
    }
  });
  // The grey gaps carry no class; renormalise so the weights sum to 1.
  const total = soft.reduce((a, b) => a + b, 0);
  if (total > 0) for (let i = 0; i < numClasses; i++) soft[i] /= total;
  const r: Sample = { image: { h, w, c, data: out }, label: argmax(soft), soft };
  if (boxes) r.boxes = boxes;
  if (mask) r.mask = mask;
  return r;
}

export const mosaicDef = defineAugmentation({
  id: 'mosaic',
  label: 'Mosaic',
  doc: 'Stitches four images (each scaled by `tileScale`) around a random centre; boxes and masks follow. For detection.',
  group: 'mixing',
  tasks: ['detection', 'segmentation'],
  inputs: 4,
  params: z.object({ center: range(0.1, 0.9, [0.3, 0.7]), tileScale: z.number().min(0.1).max(1).default(0.5) }),
  defaultP: 0.5,
  apply: (inputs, p, rng, ctx) => {
    const { h, w } = inputs[0].image;
    return mosaic(inputs, { cx: rng.uniform(p.center[0], p.center[1]) * w, cy: rng.uniform(p.center[0], p.center[1]) * h, tileScale: p.tileScale }, ctx.numClasses);
  },
});
