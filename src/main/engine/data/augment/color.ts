import { z } from 'zod';
import type { Rng } from '../rng';
import { ALL_TASKS, defineAugmentation } from './def';
import type { Sample } from './types';

export interface ColorFactors {
  /** Multiplies every value; 1 = unchanged. */
  brightness: number;
  /** Scales the distance from the image's mean grey; 1 = unchanged. */
  contrast: number;
  /** Scales each pixel's distance from its own grey; 0 = greyscale, 1 = unchanged. RGB only. */
  saturation: number;
  /** Hue rotation in turns (−0.5..0.5); 0 = unchanged. RGB only. */
  hue: number;
}

const lum = (r: number, g: number, b: number) => 0.299 * r + 0.587 * g + 0.114 * b;

/** Applies brightness, contrast, saturation, hue in that order, clamping to 0..1. Boxes and masks are untouched. */
export function adjustColor(s: Sample, f: ColorFactors): Sample {
  const { h, w, c, data } = s.image;
  const out = Float32Array.from(data, (v) => v * f.brightness);
  const n = h * w;
  if (f.contrast !== 1) {
    let mean = 0;
    for (let p = 0; p < n; p++) mean += c >= 3 ? lum(out[p * c], out[p * c + 1], out[p * c + 2]) : out[p * c];
    mean /= n;
    for (let p = 0; p < n; p++) for (let ch = 0; ch < Math.min(c, 3); ch++) out[p * c + ch] = mean + (out[p * c + ch] - mean) * f.contrast;
  }
  if (c >= 3 && (f.saturation !== 1 || f.hue !== 0)) {
    // Hue turns as a rotation of the chroma plane of YIQ: cheap, and exact for the grey axis.
    const t = 2 * Math.PI * f.hue;
    const cos = Math.cos(t);
    const sin = Math.sin(t);
    for (let p = 0; p < n; p++) {
      const o = p * c;
      const r = out[o];
      const g = out[o + 1];
      const b = out[o + 2];
      const y = lum(r, g, b);
      let i = 0.596 * r - 0.274 * g - 0.322 * b;
      let q = 0.211 * r - 0.523 * g + 0.312 * b;
      [i, q] = [(i * cos - q * sin) * f.saturation, (i * sin + q * cos) * f.saturation];
      out[o] = y + 0.956 * i + 0.621 * q;
      out[o + 1] = y - 0.272 * i - 0.647 * q;
      out[o + 2] = y - 1.106 * i + 1.703 * q;
    }
  }
  for (let k = 0; k < out.length; k++) out[k] = Math.min(1, Math.max(0, out[k]));
  return { ...s, image: { h, w, c, data: out } };
}

export interface JitterParams {
  brightness: number;
  contrast: number;
  saturation: number;
  hue: number;
}

/** torchvision's ColorJitter ranges: factors uniform in [1 − x, 1 + x], hue in [−hue, hue]. */
export function sampleColorFactors(p: JitterParams, rng: Rng): ColorFactors {
  const around1 = (x: number) => rng.uniform(Math.max(0, 1 - x), 1 + x);
  return { brightness: around1(p.brightness), contrast: around1(p.contrast), saturation: around1(p.saturation), hue: rng.uniform(-p.hue, p.hue) };
}

export const colorJitterDef = defineAugmentation({
  id: 'colorJitter',
  label: 'Colour jitter',
  doc: 'Random brightness, contrast, saturation and hue (photometric / HSV distortion).',
  group: 'photometric',
  tasks: ALL_TASKS,
  inputs: 1,
  params: z.object({
    brightness: z.number().min(0).max(1).default(0.3),
    contrast: z.number().min(0).max(1).default(0.3),
    saturation: z.number().min(0).max(1).default(0.3),
    hue: z.number().min(0).max(0.5).default(0.05),
  }),
  defaultP: 0.8,
  apply: ([s], p, rng) => adjustColor(s, sampleColorFactors(p, rng)),
});
