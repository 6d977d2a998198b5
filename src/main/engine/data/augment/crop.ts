import { z } from 'zod';
import { mapBoxes } from '../boxes';
import type { Rng } from '../rng';
import { ALL_TASKS, defineAugmentation, fillSchema, range } from './def';
import { clipRect, type Fill, type PixelRect, type Sample } from './types';
import { resizeBilinear, resizeNearest } from '../image/resize';
import { shiftImage, shiftMask } from './warp';

/**
 * Pad-and-crop, i.e. translate by whole pixels: out(x, y) = in(x + dx, y + dy), filling what comes from
 * outside by `fill`. Boxes move by (−dx/W, −dy/H) and are clipped.
 */
export function translate(s: Sample, dx: number, dy: number, fill: Fill = 'zero'): Sample {
  const { h, w } = s.image;
  const r: Sample = { ...s, image: shiftImage(s.image, dx, dy, fill) };
  if (s.boxes) r.boxes = mapBoxes(s.boxes, (b) => ({ x0: b.x0 - dx / w, y0: b.y0 - dy / h, x1: b.x1 - dx / w, y1: b.y1 - dy / h }));
  if (s.mask) r.mask = shiftMask(s.mask, h, w, dx, dy);
  return r;
}

/** Crops `rect` (whole pixels, inside the image) and resizes it back to the full size: bilinear, mask nearest. */
export function resizedCrop(s: Sample, rect: PixelRect): Sample {
  const { h, w, c, data } = s.image;
  const r = clipRect(rect, h, w);
  if (r.w < 1 || r.h < 1) return s;
  const crop = new Float32Array(r.w * r.h * c);
  for (let y = 0; y < r.h; y++) crop.set(data.subarray(((r.y + y) * w + r.x) * c, ((r.y + y) * w + r.x + r.w) * c), y * r.w * c);
  const out: Sample = { ...s, image: { h, w, c, data: resizeBilinear(crop, r.h, r.w, c, h, w) } };
  if (s.boxes) {
    const [x0, y0, sx, sy] = [r.x / w, r.y / h, r.w / w, r.h / h];
    out.boxes = mapBoxes(s.boxes, (b) => ({ x0: (b.x0 - x0) / sx, y0: (b.y0 - y0) / sy, x1: (b.x1 - x0) / sx, y1: (b.y1 - y0) / sy }));
  }
  if (s.mask) {
    const m = new Uint8Array(r.w * r.h);
    for (let y = 0; y < r.h; y++) m.set(s.mask.subarray((r.y + y) * w + r.x, (r.y + y) * w + r.x + r.w), y * r.w);
    out.mask = resizeNearest(m, r.h, r.w, h, w);
  }
  return out;
}

/** The Inception-style random rectangle: area fraction in `scale`, aspect ratio (w/h) log-uniform in `ratio`. */
export function randomCropRect(h: number, w: number, scale: [number, number], ratio: [number, number], rng: Rng): PixelRect {
  for (let t = 0; t < 10; t++) {
    const area = h * w * rng.uniform(scale[0], scale[1]);
    const ar = Math.exp(rng.uniform(Math.log(ratio[0]), Math.log(ratio[1])));
    const cw = Math.round(Math.sqrt(area * ar));
    const ch = Math.round(Math.sqrt(area / ar));
    if (cw >= 1 && ch >= 1 && cw <= w && ch <= h) return { x: rng.intIn(0, w - cw), y: rng.intIn(0, h - ch), w: cw, h: ch };
  }
  return { x: 0, y: 0, w, h };
}

export const translateDef = defineAugmentation({
  id: 'translate',
  label: 'Random crop (pad + crop)',
  doc: 'Pads by `padding` pixels and crops back at a random offset: a shift of up to ±padding pixels (the CIFAR recipe).',
  group: 'geometric',
  tasks: ALL_TASKS,
  inputs: 1,
  params: z.object({ padding: z.int().min(0).max(128).default(4), fill: fillSchema.default('zero') }),
  defaultP: 1,
  apply: ([s], p, rng) => translate(s, rng.intIn(-p.padding, p.padding), rng.intIn(-p.padding, p.padding), p.fill),
});

export const resizedCropDef = defineAugmentation({
  id: 'resizedCrop',
  label: 'Random resized crop',
  doc: 'Crops a random rectangle (area fraction `scale`, aspect `ratio`) and resizes it to the full size: zoom and reframe.',
  group: 'geometric',
  tasks: ALL_TASKS,
  inputs: 1,
  params: z.object({ scale: range(0.01, 1, [0.6, 1]), ratio: range(0.1, 10, [3 / 4, 4 / 3]) }),
  defaultP: 1,
  apply: ([s], p, rng) => resizedCrop(s, randomCropRect(s.image.h, s.image.w, p.scale, p.ratio, rng)),
});
