import { z } from 'zod';
import type { Rng } from '../rng';
import { ALL_TASKS, defineAugmentation, range } from './def';
import { clipRect, type PixelRect, type Sample } from './types';

/**
 * Fills a rectangle (clipped to the image) with a constant per channel, or with uniform noise when `fill` is
 * an Rng. Boxes and masks are left as they are.
 */
export function eraseRect(s: Sample, rect: PixelRect, fill: number | number[] | Rng): Sample {
  const { h, w, c, data } = s.image;
  const r = clipRect(rect, h, w);
  const out = data.slice();
  for (let y = r.y; y < r.y + r.h; y++)
    for (let x = r.x; x < r.x + r.w; x++)
      for (let ch = 0; ch < c; ch++)
        out[(y * w + x) * c + ch] = typeof fill === 'number' ? fill : Array.isArray(fill) ? fill[ch] : fill.next();
  return { ...s, image: { h, w, c, data: out } };
}

/** DeVries & Taylor's Cutout: a square of side `size` px centred at (cx, cy), which may hang over the edge. */
export function cutout(s: Sample, cx: number, cy: number, size: number, fill = 0): Sample {
  const half = Math.floor(size / 2);
  return eraseRect(s, { x: cx - half, y: cy - half, w: size, h: size }, fill);
}

/** Zhong et al.'s random-erasing rectangle: area fraction in `area`, aspect log-uniform in `ratio`, fully inside. */
export function randomEraseRect(h: number, w: number, area: [number, number], ratio: [number, number], rng: Rng): PixelRect | undefined {
  for (let t = 0; t < 10; t++) {
    const a = h * w * rng.uniform(area[0], area[1]);
    const ar = Math.exp(rng.uniform(Math.log(ratio[0]), Math.log(ratio[1])));
    const eh = Math.round(Math.sqrt(a * ar));
    const ew = Math.round(Math.sqrt(a / ar));
    if (eh >= 1 && ew >= 1 && eh < h && ew < w) return { x: rng.intIn(0, w - ew), y: rng.intIn(0, h - eh), w: ew, h: eh };
  }
  return undefined;
}

function imageMean(s: Sample): number[] {
  const { c, data } = s.image;
  const m = new Array<number>(c).fill(0);
  for (let i = 0; i < data.length; i++) m[i % c] += data[i];
  return m.map((v) => v / (data.length / c));
}

export const cutoutDef = defineAugmentation({
  id: 'cutout',
  label: 'Cutout',
  doc: 'Fills `count` squares of side `size` (fraction of the shorter side) at random centres with `fill` (0 = black).',
  group: 'erasing',
  tasks: ALL_TASKS,
  inputs: 1,
  params: z.object({
    size: z.number().min(0.01).max(1).default(0.25),
    count: z.int().min(1).max(8).default(1),
    fill: z.number().min(0).max(1).default(0),
  }),
  defaultP: 0.5,
  apply: ([s], p, rng) => {
    const side = Math.max(1, Math.round(p.size * Math.min(s.image.h, s.image.w)));
    let out = s;
    for (let k = 0; k < p.count; k++) out = cutout(out, rng.int(s.image.w), rng.int(s.image.h), side, p.fill);
    return out;
  },
});

export const randomErasingDef = defineAugmentation({
  id: 'randomErasing',
  label: 'Random erasing',
  doc: 'Replaces a random rectangle (area fraction `area`, aspect `ratio`) with noise, black or the image mean.',
  group: 'erasing',
  tasks: ALL_TASKS,
  inputs: 1,
  params: z.object({
    area: range(0.001, 1, [0.02, 0.33]),
    ratio: range(0.05, 20, [0.3, 3.3]),
    fill: z.enum(['random', 'zero', 'mean']).default('random'),
  }),
  defaultP: 0.5,
  apply: ([s], p, rng) => {
    const rect = randomEraseRect(s.image.h, s.image.w, p.area, p.ratio, rng);
    if (!rect) return s;
    return eraseRect(s, rect, p.fill === 'random' ? rng : p.fill === 'zero' ? 0 : imageMean(s));
  },
});
