/**
 * Histograms from the probes have fixed bins over their own [min, max]; to draw them over time on one value
 * axis (TensorBoard's histogram/distribution views) they are re-binned onto a common range, spreading each
 * source bin's count uniformly over the output bins it overlaps.
 */

export interface HistLike {
  min: number;
  max: number;
  counts: ArrayLike<number>;
}

export function rebin(h: HistLike, lo: number, hi: number, bins: number, out = new Float64Array(bins)): Float64Array {
  out.fill(0);
  const n = h.counts.length;
  if (n === 0 || !(hi > lo)) return out;
  const outW = (hi - lo) / bins;
  if (!(h.max > h.min)) {
    // A point mass (all values equal): one output bin.
    let total = 0;
    for (let i = 0; i < n; i++) total += h.counts[i];
    const j = Math.min(bins - 1, Math.max(0, Math.floor((h.min - lo) / outW)));
    out[j] += total;
    return out;
  }
  const w = (h.max - h.min) / n;
  for (let i = 0; i < n; i++) {
    const c = h.counts[i];
    if (!c) continue;
    const a = h.min + i * w;
    const b = a + w;
    let j0 = Math.floor((a - lo) / outW);
    let j1 = Math.floor((b - lo) / outW);
    j0 = Math.max(0, Math.min(bins - 1, j0));
    j1 = Math.max(0, Math.min(bins - 1, j1));
    if (j0 === j1) {
      out[j0] += c;
      continue;
    }
    for (let j = j0; j <= j1; j++) {
      const s = Math.max(a, lo + j * outW);
      const e = Math.min(b, lo + (j + 1) * outW);
      if (e > s) out[j] += (c * (e - s)) / w;
    }
    // Mass outside [lo, hi] lands in the edge bins.
    if (a < lo) out[0] += (c * (Math.min(b, lo) - a)) / w;
    if (b > hi) out[bins - 1] += (c * (b - Math.max(a, hi))) / w;
  }
  return out;
}

/** The common range of several histograms (robust to empty ones). */
export function rangeOf(hs: readonly (HistLike | undefined)[]): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of hs) {
    if (!h) continue;
    let any = false;
    for (let i = 0; i < h.counts.length; i++) if (h.counts[i]) any = true;
    if (!any) continue;
    lo = Math.min(lo, h.min);
    hi = Math.max(hi, h.max);
  }
  if (!(hi > lo)) return Number.isFinite(lo) ? [lo - 0.5, lo + 0.5] : [-1, 1];
  return [lo, hi];
}

/** Approximate quantiles of a histogram (linear inside a bin), for TensorBoard-style distribution bands. */
export function quantiles(h: HistLike, qs: readonly number[]): number[] {
  const n = h.counts.length;
  let total = 0;
  for (let i = 0; i < n; i++) total += h.counts[i];
  if (total === 0) return qs.map(() => NaN);
  const w = (h.max - h.min) / n;
  return qs.map((q) => {
    const target = q * total;
    let acc = 0;
    for (let i = 0; i < n; i++) {
      const c = h.counts[i];
      if (acc + c >= target) return h.min + (i + (c > 0 ? (target - acc) / c : 0)) * w;
      acc += c;
    }
    return h.max;
  });
}

/**
 * A display range that ignores the far tails: the union over the histograms of their [q, 1 − q] quantile
 * ranges (so one early probe with a huge spread does not squash every later one into a few bins).
 */
export function robustRangeOf(hs: readonly (HistLike | undefined)[], q = 0.005): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (const h of hs) {
    if (!h) continue;
    const [a, b] = quantiles(h, [q, 1 - q]);
    if (!Number.isFinite(a) || !Number.isFinite(b)) continue;
    lo = Math.min(lo, a);
    hi = Math.max(hi, b);
  }
  if (!(hi > lo)) return rangeOf(hs);
  return [lo, hi];
}
