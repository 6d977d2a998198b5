/**
 * Measures the study experiments compute from per-sample scores, confusion matrices and weights. Pure functions
 * (no tfjs), shared by the studies' training loops, their verdicts and the charts (the threshold slider).
 */

/** Counts at one decision threshold: a sample is predicted positive when its score ≥ threshold. */
export interface ThresholdCounts {
  threshold: number;
  tp: number;
  fp: number;
  fn: number;
  tn: number;
}

export interface ThresholdRates {
  precision: number;
  recall: number;
  f1: number;
  accuracy: number;
  /** False-positive rate FP / (FP + TN). */
  fpr: number;
}

/** P = TP/(TP+FP) (1 when nothing is predicted positive), R = TP/(TP+FN), F1 = 2PR/(P+R), FPR = FP/(FP+TN). */
export function rates(c: ThresholdCounts): ThresholdRates {
  const precision = c.tp + c.fp > 0 ? c.tp / (c.tp + c.fp) : 1;
  const recall = c.tp + c.fn > 0 ? c.tp / (c.tp + c.fn) : 0;
  const f1 = precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  const n = c.tp + c.fp + c.fn + c.tn;
  return { precision, recall, f1, accuracy: n ? (c.tp + c.tn) / n : 0, fpr: c.fp + c.tn > 0 ? c.fp / (c.fp + c.tn) : 0 };
}

export function countsAt(scores: ArrayLike<number>, labels: ArrayLike<number>, threshold: number): ThresholdCounts {
  const c: ThresholdCounts = { threshold, tp: 0, fp: 0, fn: 0, tn: 0 };
  for (let i = 0; i < scores.length; i++) {
    const pos = scores[i] >= threshold;
    if (labels[i] === 1) {
      if (pos) c.tp++;
      else c.fn++;
    } else if (pos) c.fp++;
    else c.tn++;
  }
  return c;
}

/** Counts at every threshold of a grid (default 0, 0.01, …, 1): what the threshold slider and the curves read. */
export function thresholdTable(scores: ArrayLike<number>, labels: ArrayLike<number>, grid: readonly number[] = Array.from({ length: 101 }, (_, i) => i / 100)): ThresholdCounts[] {
  return grid.map((t) => countsAt(scores, labels, t));
}

/** Indices sorted by score, highest first. */
const byScore = (scores: ArrayLike<number>): number[] => Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[b] - scores[a]);

/**
 * Average precision as scikit-learn computes it: AP = Σ_n (R_n − R_{n−1})·P_n over the distinct score
 * thresholds, highest first (no interpolation). A constant score gives AP = the positive rate.
 */
export function averagePrecision(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = byScore(scores);
  let positives = 0;
  for (let i = 0; i < labels.length; i++) if (labels[i] === 1) positives++;
  if (!positives) return 0;
  let tp = 0;
  let fp = 0;
  let prevRecall = 0;
  let ap = 0;
  for (let k = 0; k < order.length; k++) {
    const i = order[k];
    if (labels[i] === 1) tp++;
    else fp++;
    // Close a threshold only after the last sample with this score (ties form one step).
    if (k + 1 < order.length && scores[order[k + 1]] === scores[i]) continue;
    const recall = tp / positives;
    ap += (recall - prevRecall) * (tp / (tp + fp));
    prevRecall = recall;
  }
  return ap;
}

/** ROC AUC as the probability that a random positive scores above a random negative (ties count ½). */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const order = Array.from({ length: scores.length }, (_, i) => i).sort((a, b) => scores[a] - scores[b]);
  // Mann–Whitney U with mid-ranks for ties.
  const rank = new Float64Array(scores.length);
  for (let k = 0; k < order.length; ) {
    let j = k;
    while (j + 1 < order.length && scores[order[j + 1]] === scores[order[k]]) j++;
    const mid = (k + j) / 2 + 1;
    for (let m = k; m <= j; m++) rank[order[m]] = mid;
    k = j + 1;
  }
  let pos = 0;
  let sum = 0;
  for (let i = 0; i < labels.length; i++)
    if (labels[i] === 1) {
      pos++;
      sum += rank[i];
    }
  const neg = labels.length - pos;
  if (!pos || !neg) return 0.5;
  return (sum - (pos * (pos + 1)) / 2) / (pos * neg);
}

/** The threshold of a table with the highest F1 (the first on ties). */
export function bestF1(table: readonly ThresholdCounts[]): { threshold: number; f1: number } {
  let best = { threshold: 0.5, f1: -1 };
  for (const c of table) {
    const f1 = rates(c).f1;
    if (f1 > best.f1) best = { threshold: c.threshold, f1 };
  }
  return best;
}

/** Per-class recall from a confusion matrix (rows = truth, columns = prediction, as metrics/classification's confusionMatrix); null for a class with no samples. */
export function perClassRecall(confusion: readonly (readonly number[])[]): (number | null)[] {
  return confusion.map((row, k) => {
    const n = row.reduce((a, b) => a + b, 0);
    return n ? row[k] / n : null;
  });
}

/** A histogram with `bins` equal bins over [lo, hi] (values outside go to the end bins). */
export function histogramOf(values: ArrayLike<number>, lo: number, hi: number, bins: number): { edges: number[]; counts: number[] } {
  const counts = new Array<number>(bins).fill(0);
  const w = (hi - lo) / bins;
  for (let i = 0; i < values.length; i++) {
    const b = Math.floor((values[i] - lo) / w);
    counts[Math.min(bins - 1, Math.max(0, b))]++;
  }
  return { edges: Array.from({ length: bins + 1 }, (_, i) => lo + i * w), counts };
}

/** The share of values exactly 0, and the share with |w| below `eps`. */
export function zeroShares(values: ArrayLike<number>, eps = 1e-3): { exact: number; small: number } {
  let exact = 0;
  let small = 0;
  for (let i = 0; i < values.length; i++) {
    if (values[i] === 0) exact++;
    if (Math.abs(values[i]) < eps) small++;
  }
  return values.length ? { exact: exact / values.length, small: small / values.length } : { exact: 0, small: 0 };
}
