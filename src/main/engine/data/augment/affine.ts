import { z } from 'zod';
import { mapBoxes } from '../boxes';
import { ALL_TASKS, defineAugmentation, fillSchema, range } from './def';
import type { Fill, Sample } from './types';
import { warpImage, warpMask, type Affine } from './warp';

export interface AffineParams {
  /** Counter-clockwise on screen, degrees. */
  degrees: number;
  scale?: number;
  /** Shift as a fraction of width/height. */
  tx?: number;
  ty?: number;
}

/**
 * Rotates/scales about the centre, then shifts. Image bilinear, mask nearest; each box becomes the
 * axis-aligned box around its rotated corners (so rotated boxes grow), clipped to the image.
 */
export function affine(s: Sample, p: AffineParams, fill: Fill = 'zero'): Sample {
  const { h, w } = s.image;
  const scale = p.scale ?? 1;
  const t = (p.degrees * Math.PI) / 180;
  const cos = Math.cos(t);
  const sin = Math.sin(t);
  const cx = w / 2;
  const cy = h / 2;
  const tx = (p.tx ?? 0) * w;
  const ty = (p.ty ?? 0) * h;
  // Forward (pixels): p' = c + t + s·R·(p − c), R = [[cos, sin], [−sin, cos]]. The warp needs the inverse.
  const a = cos / scale;
  const b = -sin / scale;
  const d = sin / scale;
  const e = cos / scale;
  const m: Affine = [a, b, cx - a * (cx + tx) - b * (cy + ty), d, e, cy - d * (cx + tx) - e * (cy + ty)];
  const r: Sample = { ...s, image: warpImage(s.image, m, h, w, fill) };
  if (s.mask) r.mask = warpMask(s.mask, h, w, m, h, w);
  if (s.boxes) {
    const fwd = (x: number, y: number): [number, number] => {
      const dx = x * w - cx;
      const dy = y * h - cy;
      return [(cx + tx + scale * (cos * dx + sin * dy)) / w, (cy + ty + scale * (-sin * dx + cos * dy)) / h];
    };
    r.boxes = mapBoxes(s.boxes, (q) => {
      const pts = [fwd(q.x0, q.y0), fwd(q.x1, q.y0), fwd(q.x0, q.y1), fwd(q.x1, q.y1)];
      return {
        x0: Math.min(...pts.map((v) => v[0])),
        y0: Math.min(...pts.map((v) => v[1])),
        x1: Math.max(...pts.map((v) => v[0])),
        y1: Math.max(...pts.map((v) => v[1])),
      };
    });
  }
  return r;
}

export const rotateDef = defineAugmentation({
  id: 'rotate',
  label: 'Rotate / scale',
  doc: 'Rotates by up to ±`degrees`, scales by a factor in `scale` and shifts by up to ±`translate` of the size.',
  group: 'geometric',
  tasks: ALL_TASKS,
  inputs: 1,
  params: z.object({
    degrees: z.number().min(0).max(180).default(15),
    scale: range(0.1, 4, [1, 1]),
    translate: z.number().min(0).max(0.5).default(0),
    fill: fillSchema.default('zero'),
  }),
  defaultP: 0.5,
  apply: ([s], p, rng) =>
    affine(
      s,
      {
        degrees: rng.uniform(-p.degrees, p.degrees),
        scale: rng.uniform(p.scale[0], p.scale[1]),
        tx: rng.uniform(-p.translate, p.translate),
        ty: rng.uniform(-p.translate, p.translate),
      },
      p.fill,
    ),
});
