/** Pictures for the Predict panel: the enlarged input, heatmaps, feature-map grids, class masks (PNG data URLs). */
import { pngDataUrl } from '../data/image/encode';
import { resizeBilinear } from '../data/image/resize';

/** Display size: the input enlarged by a whole factor to about 224 px on its longer side (never shrunk). */
export function displayScale(h: number, w: number, target = 224): number {
  return Math.max(1, Math.round(target / Math.max(h, w)));
}

/** Nearest-neighbour enlargement of an HWC uint8 image by a whole factor (each input pixel stays a visible square). */
export function enlarge(src: Uint8Array, h: number, w: number, c: number, k: number): Uint8Array {
  if (k === 1) return src;
  const out = new Uint8Array(h * k * w * k * c);
  for (let y = 0; y < h * k; y++)
    for (let x = 0; x < w * k; x++) {
      const s = (Math.floor(y / k) * w + Math.floor(x / k)) * c;
      const d = (y * w * k + x) * c;
      for (let ch = 0; ch < c; ch++) out[d + ch] = src[s + ch];
    }
  return out;
}

/** Grey → RGB (for blending a colour map over a grey input). */
export function toRgb(src: Uint8Array, c: number): Uint8Array {
  if (c === 3) return src;
  const out = new Uint8Array((src.length / c) * 3);
  for (let p = 0; p < src.length / c; p++) out[p * 3] = out[p * 3 + 1] = out[p * 3 + 2] = src[p * c];
  return out;
}

/** The 'jet' colour map (blue → cyan → yellow → red) at t in 0..1. */
export function jet(t: number): [number, number, number] {
  const v = Math.min(1, Math.max(0, t));
  const ch = (o: number): number => Math.round(255 * Math.min(1, Math.max(0, 1.5 - Math.abs(4 * v - o))));
  return [ch(3), ch(2), ch(1)];
}

/** A 0..1 map of rows×cols → an RGB heatmap of h×w (bilinear upsampling, then the colour map). */
export function heatmapRgb(heat: ArrayLike<number>, rows: number, cols: number, h: number, w: number): Uint8Array {
  const up = resizeBilinear(heat, rows, cols, 1, h, w);
  const out = new Uint8Array(h * w * 3);
  for (let p = 0; p < h * w; p++) out.set(jet(up[p]), p * 3);
  return out;
}

/** a·(1 − alpha) + b·alpha, per byte. */
export function blend(a: Uint8Array, b: Uint8Array, alpha: number): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < a.length; i++) out[i] = Math.round(a[i] * (1 - alpha) + b[i] * alpha);
  return out;
}

/**
 * Channels of an H×W×C activation (HWC floats) as a grid of grey tiles, each min-max normalised on its own,
 * enlarged so a tile is at least ~64 px, separated by 2 px gaps. Returns the PNG and the grid's layout.
 */
export function featureGrid(act: Float32Array, h: number, w: number, c: number, shown: number): { png: string; cols: number; rows: number; ranges: [number, number][] } {
  const n = Math.min(shown, c);
  const cols = Math.ceil(Math.sqrt(n));
  const rows = Math.ceil(n / cols);
  const k = Math.max(1, Math.ceil(64 / Math.max(h, w)));
  const th = h * k;
  const tw = w * k;
  const gap = 2;
  const H = rows * th + (rows - 1) * gap;
  const W = cols * tw + (cols - 1) * gap;
  const out = new Uint8Array(H * W * 3).fill(40);
  const ranges: [number, number][] = [];
  for (let ch = 0; ch < n; ch++) {
    let lo = Infinity;
    let hi = -Infinity;
    for (let p = 0; p < h * w; p++) {
      const v = act[p * c + ch];
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    ranges.push([lo, hi]);
    const span = hi - lo;
    const oy = Math.floor(ch / cols) * (th + gap);
    const ox = (ch % cols) * (tw + gap);
    for (let y = 0; y < th; y++)
      for (let x = 0; x < tw; x++) {
        const v = act[(Math.floor(y / k) * w + Math.floor(x / k)) * c + ch];
        const g = span > 1e-12 ? Math.round(((v - lo) / span) * 255) : 0;
        const d = ((oy + y) * W + ox + x) * 3;
        out[d] = out[d + 1] = out[d + 2] = g;
      }
  }
  return { png: pngDataUrl(out, H, W, 3), cols, rows, ranges };
}

/** Distinct colours for class ids (0 = background: transparent-looking dark). */
export function classColor(k: number): [number, number, number] {
  if (k === 0) return [0, 0, 0];
  const hue = (k * 137.508) % 360;
  const f = (n: number): number => {
    const a = 0.65 * Math.min(0.5, 1 - 0.5);
    const kk = (n + hue / 30) % 12;
    return Math.round(255 * (0.5 - a * Math.max(-1, Math.min(kk - 3, 9 - kk, 1))));
  };
  return [f(0), f(8), f(4)];
}
