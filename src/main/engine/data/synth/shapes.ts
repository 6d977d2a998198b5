/**
 * The three generated sets. `shapes`: one shape or texture patch per image (10 classes, 32×32). `shapes-det`:
 * 1–4 non-overlapping shapes with tight boxes. `shapes-seg`: 1–3 possibly overlapping shapes with per-pixel masks.
 * Random colours, sizes, positions, rotations, gradient backgrounds and Gaussian noise keep them from being trivial.
 */
import { largestBoxClass, dominantMaskClass } from '../array-dataset';
import type { Rng } from '../rng';
import type { Box } from '../types';
import type { Generator, Rendered } from './generated';
import { addNoise, contrastingColor, drawShape, fillBackground, SHAPE_KINDS, type RGB, type ShapeKind, type ShapeSpec } from './raster';

const DEG = Math.PI / 180;

/** Rotation ranges that keep the classes apart (a square turned 45° is a diamond). */
function angleFor(kind: ShapeKind, rng: Rng): number {
  switch (kind) {
    case 'square':
    case 'cross':
    case 'diamond': // its shader is already turned 45°
      return rng.uniform(-15, 15) * DEG;
    case 'stripes-h':
    case 'stripes-v':
    case 'checker':
      return rng.uniform(-10, 10) * DEG;
    default:
      return rng.uniform(0, 360) * DEG;
  }
}

function makeSpec(kind: ShapeKind, cx: number, cy: number, r: number, bg: RGB, rng: Rng, size: number): ShapeSpec {
  const fg = contrastingColor(rng, [bg], 0.45);
  const second = contrastingColor(rng, [fg], 0.45);
  return {
    kind,
    cx,
    cy,
    r,
    angle: angleFor(kind, rng),
    colors: [fg, second],
    stripe: rng.uniform(1.5, 3) * Math.max(1, size / 32),
    outline: rng.chance(0.5) ? 'square' : 'disc',
  };
}

export const shapesGenerator: Generator = {
  id: 'shapes',
  name: 'Shapes (10 classes)',
  task: 'classification',
  classes: [...SHAPE_KINDS],
  description: 'Generated 32×32 colour images: one shape or texture patch of random colour, size, position and angle on a noisy gradient.',
  version: 1,
  defaultSize: 32,
  defaultSizes: { train: 8000, val: 1000, test: 1000 },
  render(img, size, rng, index): Rendered {
    const label = index % SHAPE_KINDS.length; // balanced classes
    const bg = fillBackground(img, size, size, rng);
    const r = rng.uniform(0.2, 0.42) * size;
    const spec = makeSpec(SHAPE_KINDS[label], rng.uniform(r * 0.9, size - r * 0.9), rng.uniform(r * 0.9, size - r * 0.9), r, bg, rng, size);
    drawShape(img, size, size, spec);
    addNoise(img, rng.uniform(0.01, 0.06), rng);
    return { label };
  },
};

/** Solid shapes with distinct outlines, used by the detection and segmentation sets. */
export const OBJECT_KINDS: ShapeKind[] = ['circle', 'square', 'triangle', 'cross', 'ring', 'star'];

export const shapesDetGenerator: Generator = {
  id: 'shapes-det',
  name: 'Shapes detection',
  task: 'detection',
  classes: [...OBJECT_KINDS],
  description: 'Generated 64×64 images with 1–4 non-overlapping shapes (6 classes) and their YOLO boxes.',
  version: 1,
  defaultSize: 64,
  defaultSizes: { train: 4000, val: 500, test: 500 },
  render(img, size, rng): Rendered {
    const bg = fillBackground(img, size, size, rng);
    const count = rng.intIn(1, 4);
    const placed: { cx: number; cy: number; r: number }[] = [];
    const boxes: Box[] = [];
    for (let k = 0; k < count; k++) {
      for (let attempt = 0; attempt < 30; attempt++) {
        const r = rng.uniform(0.09, 0.2) * size;
        const cx = rng.uniform(r, size - r);
        const cy = rng.uniform(r, size - r);
        if (placed.some((p) => Math.hypot(p.cx - cx, p.cy - cy) < (p.r + r) * 1.3 + 1)) continue;
        const cls = rng.int(OBJECT_KINDS.length);
        const covered = drawShape(img, size, size, makeSpec(OBJECT_KINDS[cls], cx, cy, r, bg, rng, size));
        const box = tightBox(covered, size, cls);
        if (box) boxes.push(box);
        placed.push({ cx, cy, r });
        break;
      }
    }
    addNoise(img, rng.uniform(0.01, 0.06), rng);
    return { label: largestBoxClass(boxes), boxes };
  },
};

export const shapesSegGenerator: Generator = {
  id: 'shapes-seg',
  name: 'Shapes segmentation',
  task: 'segmentation',
  classes: ['background', ...OBJECT_KINDS],
  description: 'Generated 64×64 images with 1–3 shapes (6 classes, may overlap) and per-pixel class masks.',
  version: 1,
  defaultSize: 64,
  defaultSizes: { train: 3000, val: 500, test: 500 },
  render(img, size, rng): Rendered {
    const bg = fillBackground(img, size, size, rng);
    const mask = new Uint8Array(size * size);
    const count = rng.intIn(1, 3);
    for (let k = 0; k < count; k++) {
      const cls = rng.int(OBJECT_KINDS.length);
      const r = rng.uniform(0.12, 0.3) * size;
      const spec = makeSpec(OBJECT_KINDS[cls], rng.uniform(r * 0.8, size - r * 0.8), rng.uniform(r * 0.8, size - r * 0.8), r, bg, rng, size);
      for (const p of drawShape(img, size, size, spec)) mask[p] = cls + 1;
    }
    addNoise(img, rng.uniform(0.01, 0.06), rng);
    return { label: dominantMaskClass(mask, OBJECT_KINDS.length + 1), mask };
  },
};

function tightBox(covered: number[], size: number, cls: number): Box | undefined {
  if (covered.length === 0) return undefined;
  let x0 = size;
  let y0 = size;
  let x1 = -1;
  let y1 = -1;
  for (const p of covered) {
    const x = p % size;
    const y = (p - x) / size;
    if (x < x0) x0 = x;
    if (x > x1) x1 = x;
    if (y < y0) y0 = y;
    if (y > y1) y1 = y;
  }
  return { cls, x: (x0 + x1 + 1) / 2 / size, y: (y0 + y1 + 1) / 2 / size, w: (x1 + 1 - x0) / size, h: (y1 + 1 - y0) / size };
}
