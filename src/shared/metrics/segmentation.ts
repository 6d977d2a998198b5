import { confusionMatrix, type ConfusionMatrix, type Labels } from './classification';

// Semantic-segmentation metrics from per-pixel class maps (flattened; any number of images).
// A class with no ground-truth pixel gets NaN for IoU, Dice and accuracy and is left out of the means,
// as in classification.ts. (mmsegmentation differs: it scores such a class 0 when it is predicted.)

export interface SegmentationMetrics {
  confusion: ConfusionMatrix;
  /** Correct pixels / labelled pixels. */
  pixelAccuracy: number;
  /** Per-class recall TP/(TP+FN) and its mean over classes present (mPA). */
  classAccuracy: number[];
  meanClassAccuracy: number;
  /** Jaccard TP/(TP+FP+FN) per class and the mean over classes present (mIoU). */
  iou: number[];
  meanIoU: number;
  /** 2TP/(2TP+FP+FN) per class and its mean over classes present (mDice). */
  dice: number[];
  meanDice: number;
  /** Ground-truth pixels per class. */
  support: number[];
}

function nanMean(values: number[]): number {
  const v = values.filter((x) => !Number.isNaN(x));
  return v.length === 0 ? Number.NaN : v.reduce((a, b) => a + b, 0) / v.length;
}

export function segmentationMetricsFromConfusion(confusion: ConfusionMatrix): SegmentationMetrics {
  const k = confusion.length;
  const support = confusion.map((row) => row.reduce((a, b) => a + b, 0));
  const predicted = confusion.map((_, c) => confusion.reduce((a, row) => a + row[c], 0));
  const total = support.reduce((a, b) => a + b, 0);
  const tp = confusion.map((row, c) => row[c]);
  const classAccuracy: number[] = [];
  const iou: number[] = [];
  const dice: number[] = [];
  for (let c = 0; c < k; c++) {
    if (support[c] === 0) {
      classAccuracy.push(Number.NaN);
      iou.push(Number.NaN);
      dice.push(Number.NaN);
      continue;
    }
    const fp = predicted[c] - tp[c];
    const fn = support[c] - tp[c];
    classAccuracy.push(tp[c] / support[c]);
    iou.push(tp[c] / (tp[c] + fp + fn));
    dice.push((2 * tp[c]) / (2 * tp[c] + fp + fn));
  }
  return {
    confusion,
    pixelAccuracy: total === 0 ? Number.NaN : tp.reduce((a, b) => a + b, 0) / total,
    classAccuracy,
    meanClassAccuracy: nanMean(classAccuracy),
    iou,
    meanIoU: nanMean(iou),
    dice,
    meanDice: nanMean(dice),
    support,
  };
}

/** Pixels labelled `ignoreIndex` (e.g. 255 for VOC's void border) are skipped. */
export function segmentationMetrics(
  labels: Labels,
  predictions: Labels,
  numClasses: number,
  options: { ignoreIndex?: number } = {},
): SegmentationMetrics {
  return segmentationMetricsFromConfusion(confusionMatrix(labels, predictions, numClasses, options));
}

/** Adds b into a (in place) so that metrics can be accumulated batch by batch; returns a. */
export function accumulateConfusion(a: ConfusionMatrix, b: ConfusionMatrix): ConfusionMatrix {
  if (a.length !== b.length) throw new RangeError(`confusion matrices of size ${a.length} and ${b.length}`);
  for (let t = 0; t < a.length; t++) for (let p = 0; p < a.length; p++) a[t][p] += b[t][p];
  return a;
}
