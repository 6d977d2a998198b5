import { z } from 'zod';
import { intersect, mapBoxes, rectArea, toRect } from '../boxes';
import type { Rng } from '../rng';
import { defineAugmentation } from './def';
import { argmax, clipRect, labelWeights, type PixelRect, type Sample } from './types';

function sameShape(a: Sample, b: Sample): void {
  const x = a.image;
  const y = b.image;
  if (x.h !== y.h || x.w !== y.w || x.c !== y.c) throw new Error(`cannot mix a ${x.h}×${x.w}×${x.c} image with a ${y.h}×${y.w}×${y.c} one`);
}

function blendWeights(a: Sample, b: Sample, lam: number, k: number): Float32Array {
  const wa = labelWeights(a, k);
  const wb = labelWeights(b, k);
  const out = new Float32Array(k);
  for (let i = 0; i < k; i++) out[i] = lam * wa[i] + (1 - lam) * wb[i];
  return out;
}

/**
 * MixUp: λ·a + (1−λ)·b, with soft label weights λ·y_a + (1−λ)·y_b (they sum to 1). Detection keeps both
 * images' boxes (YOLO style); a mask cannot be blended, so the heavier image's mask is kept.
 */
export function mixup(a: Sample, b: Sample, lam: number, numClasses: number): Sample {
  sameShape(a, b);
  const x = a.image.data;
  const y = b.image.data;
  const out = new Float32Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = lam * x[i] + (1 - lam) * y[i];
  const soft = blendWeights(a, b, lam, numClasses);
  const r: Sample = { ...a, image: { ...a.image, data: out }, soft, label: argmax(soft) };
  if (a.boxes || b.boxes) r.boxes = [...(a.boxes ?? []), ...(b.boxes ?? [])];
  if (a.mask || b.mask) r.mask = lam >= 0.5 ? a.mask : b.mask;
  return r;
}

/** Yun et al.'s box: area (1−λ)·H·W, centre uniform, clipped to the image (so the real area may be smaller). */
export function cutmixRect(h: number, w: number, lam: number, rng: Rng): PixelRect {
  const cut = Math.sqrt(1 - lam);
  const cw = Math.round(w * cut);
  const ch = Math.round(h * cut);
  const cx = rng.int(w);
  const cy = rng.int(h);
  return clipRect({ x: cx - Math.floor(cw / 2), y: cy - Math.floor(ch / 2), w: cw, h: ch }, h, w);
}

/**
 * CutMix: pastes `rect` of b into a. Label weights follow the pasted area exactly: λ = 1 − area/(H·W).
 * Masks are pasted the same way; a's boxes survive unless mostly covered, b's boxes are clipped to the patch.
 */
export function cutmix(a: Sample, b: Sample, rect: PixelRect, numClasses: number): Sample {
  sameShape(a, b);
  const { h, w, c } = a.image;
  const r = clipRect(rect, h, w);
  const out = a.image.data.slice();
  const src = b.image.data;
  for (let y = r.y; y < r.y + r.h; y++) {
    const o = (y * w + r.x) * c;
    out.set(src.subarray(o, o + r.w * c), o);
  }
  const lam = 1 - (r.w * r.h) / (h * w);
  const soft = blendWeights(a, b, lam, numClasses);
  const res: Sample = { ...a, image: { h, w, c, data: out }, soft, label: argmax(soft) };
  if (a.mask && b.mask) {
    const m = a.mask.slice();
    for (let y = r.y; y < r.y + r.h; y++) m.set(b.mask.subarray(y * w + r.x, y * w + r.x + r.w), y * w + r.x);
    res.mask = m;
  }
  if (a.boxes || b.boxes) {
    const patch = { x0: r.x / w, y0: r.y / h, x1: (r.x + r.w) / w, y1: (r.y + r.h) / h };
    const keptA = (a.boxes ?? []).filter((bx) => {
      const q = toRect(bx);
      const area = rectArea(q);
      return area > 0 && (area - rectArea(intersect(q, patch))) / area >= 0.4;
    });
    res.boxes = [...keptA, ...mapBoxes(b.boxes ?? [], (q) => q, patch, { minVisible: 0.4 })];
  }
  return res;
}

export const mixupDef = defineAugmentation({
  id: 'mixup',
  label: 'MixUp',
  doc: 'Blends the image with another one, λ ~ Beta(α, α); the loss sees both labels weighted by λ.',
  group: 'mixing',
  tasks: ['classification', 'detection'],
  inputs: 2,
  params: z.object({ alpha: z.number().min(0.01).max(10).default(0.2) }),
  defaultP: 0.5,
  apply: ([a, b], p, rng, ctx) => mixup(a, b, rng.beta(p.alpha, p.alpha), ctx.numClasses),
});

export const cutmixDef = defineAugmentation({
  id: 'cutmix',
  label: 'CutMix',
  doc: 'Pastes a rectangle of another image (area from λ ~ Beta(α, α)); labels are weighted by area.',
  group: 'mixing',
  tasks: ['classification', 'detection', 'segmentation'],
  inputs: 2,
  params: z.object({ alpha: z.number().min(0.01).max(10).default(1) }),
  defaultP: 0.5,
  apply: ([a, b], p, rng, ctx) => cutmix(a, b, cutmixRect(a.image.h, a.image.w, rng.beta(p.alpha, p.alpha), rng), ctx.numClasses),
});
