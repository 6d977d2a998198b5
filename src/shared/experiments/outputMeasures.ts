import type { ReliabilityBin } from './catalog/softmaxSigmoid';

/**
 * Measures of a classifier's output probabilities (rows of K per image): what the softmax-vs-sigmoid study reads.
 * Pure: arrays in, numbers out.
 */

/** Σ_k p_k of each row. */
export function rowSums(probs: ArrayLike<number>, k: number): Float64Array {
  const n = Math.floor(probs.length / k);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) for (let c = 0; c < k; c++) out[i] += probs[i * k + c];
  return out;
}

/** Share of values per equal-width bin over [lo, hi]; values outside go to the end bins. */
export function shareHistogram(values: ArrayLike<number>, lo: number, hi: number, bins: number): number[] {
  const counts = new Array<number>(bins).fill(0);
  for (let i = 0; i < values.length; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(((values[i] - lo) / (hi - lo)) * bins)));
    counts[b]++;
  }
  return counts.map((c) => c / Math.max(1, values.length));
}

/** Top-1 class and its probability per row. */
export function topOne(probs: ArrayLike<number>, k: number): { cls: Int32Array; p: Float64Array } {
  const n = Math.floor(probs.length / k);
  const cls = new Int32Array(n);
  const p = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < k; c++) if (probs[i * k + c] > probs[i * k + best]) best = c;
    cls[i] = best;
    p[i] = probs[i * k + best];
  }
  return { cls, p };
}

/**
 * Reliability diagram and expected calibration error (Guo et al. 2017): rows binned by their top-1 probability in
 * `bins` equal-width bins over [0, 1]; ECE = Σ_b (n_b / n) · |accuracy_b − confidence_b|. Empty bins are left out.
 */
export function calibration(confidence: ArrayLike<number>, correct: ArrayLike<boolean>, bins: number): { ece: number; reliability: ReliabilityBin[] } {
  const n = confidence.length;
  const sumConf = new Array<number>(bins).fill(0);
  const sumRight = new Array<number>(bins).fill(0);
  const count = new Array<number>(bins).fill(0);
  for (let i = 0; i < n; i++) {
    const b = Math.min(bins - 1, Math.max(0, Math.floor(confidence[i] * bins)));
    sumConf[b] += confidence[i];
    sumRight[b] += correct[i] ? 1 : 0;
    count[b]++;
  }
  const reliability: ReliabilityBin[] = [];
  let ece = 0;
  for (let b = 0; b < bins; b++) {
    if (!count[b]) continue;
    const conf = sumConf[b] / count[b];
    const acc = sumRight[b] / count[b];
    ece += (count[b] / Math.max(1, n)) * Math.abs(acc - conf);
    reliability.push({ confidence: conf, accuracy: acc, count: count[b] });
  }
  return { ece, reliability };
}

/** The classes at or above `threshold` in row i. */
export function predictedSet(probs: ArrayLike<number>, k: number, i: number, threshold: number): number[] {
  const out: number[] = [];
  for (let c = 0; c < k; c++) if (probs[i * k + c] >= threshold) out.push(c);
  return out;
}

/** The two highest-scoring classes of row i. */
export function topTwo(probs: ArrayLike<number>, k: number, i: number): [number, number] {
  let a = -1;
  let b = -1;
  for (let c = 0; c < k; c++) {
    const p = probs[i * k + c];
    if (a < 0 || p > probs[i * k + a]) {
      b = a;
      a = c;
    } else if (b < 0 || p > probs[i * k + b]) b = c;
  }
  return [a, b];
}
