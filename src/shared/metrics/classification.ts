// Classification metrics on plain arrays (pure TS: runs in the renderer, the worker and tests).
//
// Convention for classes without ground truth (support 0), shared by every metric module here and
// taken from COCO: their recall-based values are undefined (NaN) and they are left out of macro means.
// A class that is predicted but never present still shows precision 0, and its false positives still
// count in micro averages and in the recall of the classes they were taken from.

export type Labels = ArrayLike<number>;

/** counts[t][p] = number of samples whose true class is t and predicted class is p (rows = truth). */
export type ConfusionMatrix = number[][];

export interface ConfusionOptions {
  /** Samples whose true label equals this value are skipped (e.g. 255 for "void" pixels). */
  ignoreIndex?: number;
}

function checkClass(value: number, numClasses: number, what: string, i: number): void {
  if (!Number.isInteger(value) || value < 0 || value >= numClasses) {
    throw new RangeError(`${what}[${i}] = ${value} is not a class index in [0, ${numClasses})`);
  }
}

export function confusionMatrix(
  labels: Labels,
  predictions: Labels,
  numClasses: number,
  options: ConfusionOptions = {},
): ConfusionMatrix {
  if (labels.length !== predictions.length) {
    throw new RangeError(`labels (${labels.length}) and predictions (${predictions.length}) differ in length`);
  }
  if (!Number.isInteger(numClasses) || numClasses < 1) throw new RangeError(`numClasses must be a positive integer`);
  const counts = Array.from({ length: numClasses }, () => new Array<number>(numClasses).fill(0));
  for (let i = 0; i < labels.length; i++) {
    const t = labels[i];
    if (options.ignoreIndex !== undefined && t === options.ignoreIndex) continue;
    const p = predictions[i];
    checkClass(t, numClasses, 'labels', i);
    checkClass(p, numClasses, 'predictions', i);
    counts[t][p] += 1;
  }
  return counts;
}

export interface ClassStats {
  tp: number;
  fp: number;
  fn: number;
  tn: number;
  /** Number of samples whose true class is this one. */
  support: number;
  /** TP/(TP+FP); 0 when the class is never predicted. */
  precision: number;
  /** TP/(TP+FN); NaN when support is 0. */
  recall: number;
  /** 2PR/(P+R); 0 when P+R = 0, NaN when support is 0. */
  f1: number;
  /** TN/(TN+FP); NaN when every sample belongs to this class. */
  specificity: number;
}

export interface Averages {
  precision: number;
  recall: number;
  f1: number;
}

export interface ClassificationReport {
  perClass: ClassStats[];
  accuracy: number;
  /** Unweighted mean over classes with support > 0. */
  macro: Averages;
  /** From summed TP/FP/FN; for single-label data all three equal the accuracy. */
  micro: Averages;
  /** Mean weighted by support. */
  weighted: Averages;
  total: number;
}

/** Precision, recall and F1 of one class from its counts (the worked example: 50, 5, 10 → .909, .833, .870). */
export function precisionRecallF1(tp: number, fp: number, fn: number): Averages {
  const precision = tp + fp > 0 ? tp / (tp + fp) : 0;
  const recall = tp + fn > 0 ? tp / (tp + fn) : Number.NaN;
  const f1 = Number.isNaN(recall) ? Number.NaN : precision + recall > 0 ? (2 * precision * recall) / (precision + recall) : 0;
  return { precision, recall, f1 };
}

export function classStats(cm: ConfusionMatrix): ClassStats[] {
  const k = cm.length;
  let total = 0;
  for (const row of cm) for (const c of row) total += c;
  return cm.map((row, c) => {
    const tp = row[c];
    let predicted = 0;
    for (let t = 0; t < k; t++) predicted += cm[t][c];
    const support = row.reduce((a, b) => a + b, 0);
    const fp = predicted - tp;
    const fn = support - tp;
    const tn = total - tp - fp - fn;
    const { precision, recall, f1 } = precisionRecallF1(tp, fp, fn);
    const specificity = tn + fp > 0 ? tn / (tn + fp) : Number.NaN;
    return { tp, fp, fn, tn, support, precision, recall, f1, specificity };
  });
}

export function classificationReport(cm: ConfusionMatrix): ClassificationReport {
  const perClass = classStats(cm);
  const present = perClass.filter((s) => s.support > 0);
  const total = present.reduce((a, s) => a + s.support, 0);
  const correct = perClass.reduce((a, s) => a + s.tp, 0);
  const mean = (f: (s: ClassStats) => number): number =>
    present.length === 0 ? Number.NaN : present.reduce((a, s) => a + f(s), 0) / present.length;
  const weightedMean = (f: (s: ClassStats) => number): number =>
    total === 0 ? Number.NaN : present.reduce((a, s) => a + f(s) * s.support, 0) / total;
  const sum = (f: (s: ClassStats) => number): number => perClass.reduce((a, s) => a + f(s), 0);
  return {
    perClass,
    accuracy: total === 0 ? Number.NaN : correct / total,
    macro: { precision: mean((s) => s.precision), recall: mean((s) => s.recall), f1: mean((s) => s.f1) },
    micro: precisionRecallF1(sum((s) => s.tp), sum((s) => s.fp), sum((s) => s.fn)),
    weighted: {
      precision: weightedMean((s) => s.precision),
      recall: weightedMean((s) => s.recall),
      f1: weightedMean((s) => s.f1),
    },
    total,
  };
}

/** Index of the largest value in each row of a row-major (n × numClasses) matrix; ties go to the lower index. */
export function argmaxRows(probs: ArrayLike<number>, numClasses: number): Int32Array {
  if (probs.length % numClasses !== 0) throw new RangeError(`matrix length ${probs.length} is not a multiple of ${numClasses}`);
  const n = probs.length / numClasses;
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let c = 1; c < numClasses; c++) if (probs[i * numClasses + c] > probs[i * numClasses + best]) best = c;
    out[i] = best;
  }
  return out;
}

/**
 * Fraction of rows whose true class is among the k highest scores of a row-major (n × numClasses) matrix
 * (probabilities or logits: only the order matters). Ties are broken towards the lower class index, as a
 * stable sort would, so a tie never counts in the label's favour unless its index is lower.
 */
export function topKAccuracy(probs: ArrayLike<number>, numClasses: number, labels: Labels, k = 1): number {
  if (!Number.isInteger(k) || k < 1) throw new RangeError(`k must be a positive integer, got ${k}`);
  if (probs.length !== labels.length * numClasses) {
    throw new RangeError(`expected ${labels.length} × ${numClasses} scores, got ${probs.length}`);
  }
  if (labels.length === 0) return Number.NaN;
  let hits = 0;
  for (let i = 0; i < labels.length; i++) {
    const y = labels[i];
    checkClass(y, numClasses, 'labels', i);
    const row = i * numClasses;
    const py = probs[row + y];
    let rank = 0;
    for (let c = 0; c < numClasses; c++) {
      const p = probs[row + c];
      if (p > py || (p === py && c < y)) rank++;
    }
    if (rank < k) hits++;
  }
  return hits / labels.length;
}
