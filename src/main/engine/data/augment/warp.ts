/** Pixel resampling shared by the geometric augmentations. Pixel centres sit at integer + 0.5. */
import type { Fill, Img } from './types';

/** Maps index i into 0..n-1 by the fill rule; -1 means "outside, use zero". */
export function borderIndex(i: number, n: number, fill: Fill): number {
  if (i >= 0 && i < n) return i;
  if (fill === 'zero') return -1;
  if (fill === 'edge' || n === 1) return i < 0 ? 0 : n - 1;
  // reflect without repeating the edge pixel (numpy 'reflect', OpenCV BORDER_REFLECT_101)
  const period = 2 * n - 2;
  let j = ((i % period) + period) % period;
  if (j >= n) j = period - j;
  return j;
}

/**
 * Inverse-maps each output pixel (X, Y), given as pixel-centre coordinates, to a source position
 * (sx, sy) = (a·X + b·Y + c, d·X + e·Y + f) and samples it bilinearly.
 */
export type Affine = [a: number, b: number, c: number, d: number, e: number, f: number];

export function warpImage(src: Img, m: Affine, outH: number, outW: number, fill: Fill): Img {
  const { h, w, c, data } = src;
  const out = new Float32Array(outH * outW * c);
  const [a, b, cc, d, e, f] = m;
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      const X = x + 0.5;
      const Y = y + 0.5;
      const fx = a * X + b * Y + cc - 0.5;
      const fy = d * X + e * Y + f - 0.5;
      const x0 = Math.floor(fx);
      const y0 = Math.floor(fy);
      const ax = fx - x0;
      const ay = fy - y0;
      const xa = borderIndex(x0, w, fill);
      const xb = borderIndex(x0 + 1, w, fill);
      const ya = borderIndex(y0, h, fill);
      const yb = borderIndex(y0 + 1, h, fill);
      const at = (yy: number, xx: number) => (yy < 0 || xx < 0 ? -1 : (yy * w + xx) * c);
      const i00 = at(ya, xa);
      const i01 = at(ya, xb);
      const i10 = at(yb, xa);
      const i11 = at(yb, xb);
      const w00 = (1 - ay) * (1 - ax);
      const w01 = (1 - ay) * ax;
      const w10 = ay * (1 - ax);
      const w11 = ay * ax;
      const o = (y * outW + x) * c;
      for (let ch = 0; ch < c; ch++)
        out[o + ch] =
          (i00 < 0 ? 0 : w00 * data[i00 + ch]) +
          (i01 < 0 ? 0 : w01 * data[i01 + ch]) +
          (i10 < 0 ? 0 : w10 * data[i10 + ch]) +
          (i11 < 0 ? 0 : w11 * data[i11 + ch]);
    }
  return { h: outH, w: outW, c, data: out };
}

/** Nearest-neighbour version for masks; outside the source is background (0). */
export function warpMask(mask: Uint8Array, h: number, w: number, m: Affine, outH: number, outW: number): Uint8Array {
  const out = new Uint8Array(outH * outW);
  const [a, b, cc, d, e, f] = m;
  for (let y = 0; y < outH; y++)
    for (let x = 0; x < outW; x++) {
      const X = x + 0.5;
      const Y = y + 0.5;
      const sx = Math.floor(a * X + b * Y + cc);
      const sy = Math.floor(d * X + e * Y + f);
      if (sx >= 0 && sx < w && sy >= 0 && sy < h) out[y * outW + x] = mask[sy * w + sx];
    }
  return out;
}

/** Integer shift: out(x, y) = src(x + dx, y + dy). Exact (no resampling). */
export function shiftImage(src: Img, dx: number, dy: number, fill: Fill): Img {
  const { h, w, c, data } = src;
  const out = new Float32Array(data.length);
  for (let y = 0; y < h; y++) {
    const sy = borderIndex(y + dy, h, fill);
    if (sy < 0) continue;
    for (let x = 0; x < w; x++) {
      const sx = borderIndex(x + dx, w, fill);
      if (sx < 0) continue;
      for (let ch = 0; ch < c; ch++) out[(y * w + x) * c + ch] = data[(sy * w + sx) * c + ch];
    }
  }
  return { h, w, c, data: out };
}

export function shiftMask(mask: Uint8Array, h: number, w: number, dx: number, dy: number): Uint8Array {
  const out = new Uint8Array(mask.length);
  for (let y = 0; y < h; y++) {
    const sy = y + dy;
    if (sy < 0 || sy >= h) continue;
    for (let x = 0; x < w; x++) {
      const sx = x + dx;
      if (sx >= 0 && sx < w) out[y * w + x] = mask[sy * w + sx];
    }
  }
  return out;
}
