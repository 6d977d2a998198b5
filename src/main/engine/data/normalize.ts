import type { Normalization } from './types';

/** Per-channel mean/std (0..1 units) of the given images of a HWC uint8 store. */
export function channelStats(images: Uint8Array, pixelsPerImage: number, channels: number, indices: ArrayLike<number>): Normalization {
  const sum = new Float64Array(channels);
  const sq = new Float64Array(channels);
  const stride = pixelsPerImage * channels;
  // Histogram per channel: exact and much faster than summing squares of floats.
  const hist = new Float64Array(channels * 256);
  for (let k = 0; k < indices.length; k++) {
    const base = indices[k] * stride;
    for (let p = 0; p < stride; p += channels)
      for (let c = 0; c < channels; c++) hist[c * 256 + images[base + p + c]]++;
  }
  const n = indices.length * pixelsPerImage;
  for (let c = 0; c < channels; c++)
    for (let v = 0; v < 256; v++) {
      const cnt = hist[c * 256 + v];
      sum[c] += cnt * (v / 255);
      sq[c] += cnt * (v / 255) ** 2;
    }
  const mean: number[] = [];
  const std: number[] = [];
  for (let c = 0; c < channels; c++) {
    const m = n > 0 ? sum[c] / n : 0;
    const s = n > 0 ? Math.sqrt(Math.max(0, sq[c] / n - m * m)) : 1;
    mean.push(round6(m));
    std.push(s > 1e-4 ? round6(s) : 1);
  }
  return { mean, std };
}

function round6(v: number): number {
  return Math.round(v * 1e6) / 1e6;
}

/** Lookup table uint8 → normalised float, indexed by `c * 256 + value`. */
export function normLut(norm: Normalization): Float32Array {
  const c = norm.mean.length;
  const lut = new Float32Array(c * 256);
  for (let ch = 0; ch < c; ch++)
    for (let v = 0; v < 256; v++) lut[ch * 256 + v] = (v / 255 - norm.mean[ch]) / norm.std[ch];
  return lut;
}

/** Normalises a 0..1 HWC float image into `out` at `offset`. */
export function normalizeInto(src: Float32Array, norm: Normalization, out: Float32Array, offset = 0): void {
  const c = norm.mean.length;
  for (let i = 0; i < src.length; i++) {
    const ch = i % c;
    out[offset + i] = (src[i] - norm.mean[ch]) / norm.std[ch];
  }
}
