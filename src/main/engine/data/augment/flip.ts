import { z } from 'zod';
import { ALL_TASKS, defineAugmentation } from './def';
import type { Sample } from './types';

/** Mirror left↔right; boxes' x becomes 1 − x. */
export function hflip(s: Sample): Sample {
  const { h, w, c, data } = s.image;
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++)
      for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = data[(y * w + (w - 1 - x)) * c + ch];
  const r: Sample = { ...s, image: { h, w, c, data: out } };
  if (s.boxes) r.boxes = s.boxes.map((b) => ({ ...b, x: 1 - b.x }));
  if (s.mask) {
    const m = new Uint8Array(s.mask.length);
    for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) m[y * w + x] = s.mask[y * w + (w - 1 - x)];
    r.mask = m;
  }
  return r;
}

/** Mirror top↔bottom; boxes' y becomes 1 − y. */
export function vflip(s: Sample): Sample {
  const { h, w, c, data } = s.image;
  const out = new Float32Array(data.length);
  const row = w * c;
  for (let y = 0; y < h; y++) out.set(data.subarray((h - 1 - y) * row, (h - y) * row), y * row);
  const r: Sample = { ...s, image: { h, w, c, data: out } };
  if (s.boxes) r.boxes = s.boxes.map((b) => ({ ...b, y: 1 - b.y }));
  if (s.mask) {
    const m = new Uint8Array(s.mask.length);
    for (let y = 0; y < h; y++) m.set(s.mask.subarray((h - 1 - y) * w, (h - y) * w), y * w);
    r.mask = m;
  }
  return r;
}

export const hflipDef = defineAugmentation({
  id: 'hflip',
  label: 'Horizontal flip',
  doc: 'Mirrors the image left to right. Safe for most photos; wrong for text or digits.',
  group: 'geometric',
  tasks: ALL_TASKS,
  inputs: 1,
  params: z.object({}),
  defaultP: 0.5,
  apply: ([s]) => hflip(s),
});

export const vflipDef = defineAugmentation({
  id: 'vflip',
  label: 'Vertical flip',
  doc: 'Mirrors the image top to bottom. For images without a natural "up" (aerial, microscopy).',
  group: 'geometric',
  tasks: ALL_TASKS,
  inputs: 1,
  params: z.object({}),
  defaultP: 0.5,
  apply: ([s]) => vflip(s),
});
