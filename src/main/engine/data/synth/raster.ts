/** Tiny anti-aliased rasteriser for the synthetic datasets: float HWC RGB images in 0..1. */
import type { Rng } from '../rng';

export type RGB = [number, number, number];

export const SHAPE_KINDS = ['circle', 'square', 'triangle', 'cross', 'ring', 'stripes-h', 'stripes-v', 'checker', 'diamond', 'star'] as const;
export type ShapeKind = (typeof SHAPE_KINDS)[number];

export interface ShapeSpec {
  kind: ShapeKind;
  /** Centre and radius in pixels. */
  cx: number;
  cy: number;
  r: number;
  /** Radians. */
  angle: number;
  /** Fill colour, and the second colour of textures. */
  colors: [RGB, RGB];
  /** Texture stripe width in pixels. */
  stripe?: number;
  /** Textures are cut to a square or a disc, so that the outline does not give the class away. */
  outline?: 'square' | 'disc';
}

const OUT = -1;
const SQ3 = Math.sqrt(3) / 3;

// Star: outer vertices at radius 1, inner at STAR_IN, 5 points.
const STAR_SECTOR = (2 * Math.PI) / 5;
const STAR_IN = 0.45;
const STAR_B = [STAR_IN * Math.cos(STAR_SECTOR / 2), STAR_IN * Math.sin(STAR_SECTOR / 2)] as const;

function insideStar(u: number, v: number): boolean {
  const rho = Math.sqrt(u * u + v * v);
  if (rho > 1) return false;
  if (rho <= STAR_IN * Math.cos(STAR_SECTOR / 2)) return true;
  let phi = Math.atan2(u, -v) % STAR_SECTOR;
  if (phi < 0) phi += STAR_SECTOR;
  phi = Math.min(phi, STAR_SECTOR - phi);
  const px = rho * Math.cos(phi);
  const py = rho * Math.sin(phi);
  // On the origin's side of the edge from the outer vertex (1, 0) to the inner one.
  return (STAR_B[0] - 1) * py - STAR_B[1] * (px - 1) >= 0;
}

/** Colour index (0 or 1) at unit coordinates (u, v) in [-1, 1]² (radius 1 = `spec.r` pixels), or -1 outside. */
function shader(spec: ShapeSpec): (u: number, v: number) => number {
  const stripe = spec.stripe ?? 2;
  const unit = spec.r / stripe; // unit coords → stripe index
  const inOutline = spec.outline === 'disc' ? (u: number, v: number) => u * u + v * v <= 1 : (u: number, v: number) => Math.max(Math.abs(u), Math.abs(v)) <= 0.85;
  switch (spec.kind) {
    case 'circle':
      return (u, v) => (u * u + v * v <= 1 ? 0 : OUT);
    case 'ring':
      return (u, v) => {
        const d = u * u + v * v;
        return d <= 1 && d >= 0.3 ? 0 : OUT;
      };
    case 'square':
      return (u, v) => (Math.max(Math.abs(u), Math.abs(v)) <= 0.8 ? 0 : OUT);
    case 'diamond':
      return (u, v) => (Math.abs(u) + Math.abs(v) <= 1 ? 0 : OUT);
    case 'triangle':
      return (u, v) => (v <= 0.5 && Math.abs(u) <= SQ3 * (v + 1) ? 0 : OUT);
    case 'cross':
      return (u, v) => {
        const a = Math.abs(u);
        const b = Math.abs(v);
        return (a <= 0.3 && b <= 0.95) || (b <= 0.3 && a <= 0.95) ? 0 : OUT;
      };
    case 'star':
      return (u, v) => (insideStar(u, v) ? 0 : OUT);
    case 'stripes-h':
      return (u, v) => (inOutline(u, v) ? Math.floor((v + 1) * unit) & 1 : OUT);
    case 'stripes-v':
      return (u, v) => (inOutline(u, v) ? Math.floor((u + 1) * unit) & 1 : OUT);
    case 'checker':
      return (u, v) => (inOutline(u, v) ? (Math.floor((u + 1) * unit) + Math.floor((v + 1) * unit)) & 1 : OUT);
  }
}

/**
 * Draws a shape with 2×2 supersampling over `img` (HWC, 3 channels). Returns the pixels it covers by at
 * least half, as a list of pixel indices, for masks and tight boxes.
 */
export function drawShape(img: Float32Array, h: number, w: number, spec: ShapeSpec): number[] {
  const sh = shader(spec);
  const inv = 1 / spec.r;
  const cos = Math.cos(spec.angle) * inv;
  const sin = Math.sin(spec.angle) * inv;
  const reach = spec.r * 1.25;
  const x0 = Math.max(0, Math.floor(spec.cx - reach));
  const x1 = Math.min(w - 1, Math.ceil(spec.cx + reach));
  const y0 = Math.max(0, Math.floor(spec.cy - reach));
  const y1 = Math.min(h - 1, Math.ceil(spec.cy + reach));
  const covered: number[] = [];
  const [c0, c1] = spec.colors;
  const hits = [0, 0];
  // Unit coordinates move by (cos, -sin) per pixel in x and (sin, cos) per pixel in y; a quarter pixel is a quarter of that.
  for (let y = y0; y <= y1; y++)
    for (let x = x0; x <= x1; x++) {
      const dx = x + 0.25 - spec.cx;
      const dy = y + 0.25 - spec.cy;
      const u = dx * cos + dy * sin;
      const v = -dx * sin + dy * cos;
      const hu = 0.5 * cos;
      const hv = -0.5 * sin;
      const vu = 0.5 * sin;
      const vv = 0.5 * cos;
      hits[0] = 0;
      hits[1] = 0;
      let k = sh(u, v);
      if (k >= 0) hits[k]++;
      k = sh(u + hu, v + hv);
      if (k >= 0) hits[k]++;
      k = sh(u + vu, v + vv);
      if (k >= 0) hits[k]++;
      k = sh(u + hu + vu, v + hv + vv);
      if (k >= 0) hits[k]++;
      const n = hits[0] + hits[1];
      if (n === 0) continue;
      const a = n / 4;
      const p = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) img[p + c] = img[p + c] * (1 - a) + (hits[0] * c0[c] + hits[1] * c1[c]) / 4;
      if (n >= 2) covered.push(y * w + x);
    }
  return covered;
}

export function randomColor(rng: Rng): RGB {
  return [rng.next(), rng.next(), rng.next()];
}

function dist(a: RGB, b: RGB): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1], a[2] - b[2]);
}

/** A random colour at least `minDist` (RGB Euclidean) from each of `others`, best effort. */
export function contrastingColor(rng: Rng, others: RGB[], minDist = 0.4): RGB {
  let best = randomColor(rng);
  let bestD = Math.min(...others.map((o) => dist(o, best)));
  for (let t = 0; t < 30 && bestD < minDist; t++) {
    const c = randomColor(rng);
    const d = Math.min(...others.map((o) => dist(o, c)));
    if (d > bestD) {
      best = c;
      bestD = d;
    }
  }
  return best;
}

/** A linear gradient between two nearby random colours; returns the mean colour. */
export function fillBackground(img: Float32Array, h: number, w: number, rng: Rng): RGB {
  const c0 = randomColor(rng);
  const c1 = c0.map((v) => Math.min(1, Math.max(0, v + rng.uniform(-0.3, 0.3)))) as RGB;
  const a = rng.uniform(0, 2 * Math.PI);
  const ca = Math.cos(a) / Math.max(h, w);
  const sa = Math.sin(a) / Math.max(h, w);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const t = Math.min(1, Math.max(0, 0.5 + (x - w / 2) * ca + (y - h / 2) * sa));
      const p = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) img[p + c] = c0[c] * (1 - t) + c1[c] * t;
    }
  return [(c0[0] + c1[0]) / 2, (c0[1] + c1[1]) / 2, (c0[2] + c1[2]) / 2];
}

// Noise draws from a fixed table of normal quantiles: ~10× faster than Box–Muller and indistinguishable here.
const NORMALS = (() => {
  const n = 4096;
  const t = new Float32Array(n);
  for (let i = 0; i < n; i++) t[i] = probit((i + 0.5) / n);
  return t;
})();

/** Inverse normal CDF (Acklam's rational approximation). */
function probit(p: number): number {
  const a = [-39.69683028665376, 220.9460984245205, -275.9285104469687, 138.357751867269, -30.66479806614716, 2.506628277459239];
  const b = [-54.47609879822406, 161.5858368580409, -155.6989798598866, 66.80131188771972, -13.28068155288572];
  const c = [-0.007784894002430293, -0.3223964580411365, -2.400758277161838, -2.549732539343734, 4.374664141464968, 2.938163982698783];
  const d = [0.007784695709041462, 0.3224671290700398, 2.445134137142996, 3.754408661907416];
  const lo = 0.02425;
  if (p < lo) {
    const q = Math.sqrt(-2 * Math.log(p));
    return (((((c[0] * q + c[1]) * q + c[2]) * q + c[3]) * q + c[4]) * q + c[5]) / ((((d[0] * q + d[1]) * q + d[2]) * q + d[3]) * q + 1);
  }
  if (p > 1 - lo) return -probit(1 - p);
  const q = p - 0.5;
  const r = q * q;
  return ((((((a[0] * r + a[1]) * r + a[2]) * r + a[3]) * r + a[4]) * r + a[5]) * q) / (((((b[0] * r + b[1]) * r + b[2]) * r + b[3]) * r + b[4]) * r + 1);
}

export function addNoise(img: Float32Array, sigma: number, rng: Rng): void {
  for (let i = 0; i < img.length; i++) img[i] += sigma * NORMALS[rng.int(4096)];
}

/** Clamps a 0..1 float image into a uint8 store at `offset`. */
export function quantizeInto(img: Float32Array, out: Uint8Array, offset: number): void {
  for (let i = 0; i < img.length; i++) out[offset + i] = Math.round(Math.min(1, Math.max(0, img[i])) * 255);
}
