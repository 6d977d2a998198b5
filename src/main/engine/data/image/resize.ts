/**
 * Separable bilinear (triangle-filter) resampling of HWC uint8 or float images. When shrinking, the filter
 * widens with the scale (as PIL's BILINEAR does), so large photos shrink without aliasing.
 */

interface Taps {
  start: Int32Array;
  count: Int32Array;
  weights: Float32Array;
  maxTaps: number;
}

function taps(inSize: number, outSize: number): Taps {
  const scale = inSize / outSize;
  const fscale = Math.max(1, scale);
  const support = fscale; // triangle filter radius 1, stretched
  const maxTaps = Math.ceil(support) * 2 + 1;
  const start = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Float32Array(outSize * maxTaps);
  for (let i = 0; i < outSize; i++) {
    const centre = (i + 0.5) * scale;
    const lo = Math.max(0, Math.floor(centre - support));
    const hi = Math.min(inSize, Math.ceil(centre + support));
    let sum = 0;
    let n = 0;
    for (let j = lo; j < hi && n < maxTaps; j++, n++) {
      const wgt = Math.max(0, 1 - Math.abs((j + 0.5 - centre) / fscale));
      weights[i * maxTaps + n] = wgt;
      sum += wgt;
    }
    if (sum === 0) {
      // Degenerate (tiny input): nearest sample.
      weights[i * maxTaps] = 1;
      n = 1;
      start[i] = Math.min(inSize - 1, Math.max(0, Math.floor(centre)));
    } else {
      for (let k = 0; k < n; k++) weights[i * maxTaps + k] /= sum;
      start[i] = lo;
    }
    count[i] = n;
  }
  return { start, count, weights, maxTaps };
}

/** Resizes an HWC image to outH×outW; returns float values in the input's units. */
export function resizeBilinear(src: ArrayLike<number>, h: number, w: number, c: number, outH: number, outW: number): Float32Array {
  const tx = taps(w, outW);
  const ty = taps(h, outH);
  // Horizontal pass: h × outW × c
  const mid = new Float32Array(h * outW * c);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < outW; x++) {
      const s = tx.start[x];
      const base = x * tx.maxTaps;
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < tx.count[x]; k++) acc += tx.weights[base + k] * src[(y * w + s + k) * c + ch];
        mid[(y * outW + x) * c + ch] = acc;
      }
    }
  const out = new Float32Array(outH * outW * c);
  for (let y = 0; y < outH; y++) {
    const s = ty.start[y];
    const base = y * ty.maxTaps;
    for (let x = 0; x < outW; x++)
      for (let ch = 0; ch < c; ch++) {
        let acc = 0;
        for (let k = 0; k < ty.count[y]; k++) acc += ty.weights[base + k] * mid[((s + k) * outW + x) * c + ch];
        out[(y * outW + x) * c + ch] = acc;
      }
  }
  return out;
}

/** Resizes a uint8 HWC image, rounding and clamping back to 0..255. */
export function resizeUint8(src: Uint8Array, h: number, w: number, c: number, outH: number, outW: number): Uint8Array {
  if (h === outH && w === outW) return src.slice();
  const f = resizeBilinear(src, h, w, c, outH, outW);
  const out = new Uint8Array(f.length);
  for (let i = 0; i < f.length; i++) out[i] = Math.min(255, Math.max(0, Math.round(f[i])));
  return out;
}

/** Nearest-neighbour resize of a single-channel label map (masks must not blend class ids). */
export function resizeNearest(src: Uint8Array, h: number, w: number, outH: number, outW: number): Uint8Array {
  const out = new Uint8Array(outH * outW);
  for (let y = 0; y < outH; y++) {
    const sy = Math.min(h - 1, Math.floor(((y + 0.5) * h) / outH));
    for (let x = 0; x < outW; x++) out[y * outW + x] = src[sy * w + Math.min(w - 1, Math.floor(((x + 0.5) * w) / outW))];
  }
  return out;
}
