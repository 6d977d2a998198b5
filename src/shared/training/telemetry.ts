/** Telemetry the training worker emits; the dashboards draw it. Histograms use fixed bins. */

export interface Histogram {
  min: number;
  max: number;
  counts: number[];
}

export interface LayerProbe {
  /** Graph node id the layer belongs to (so the editor can colour the node). */
  node: string;
  layer: string;
  kind: 'weights' | 'batchnorm' | 'activation';
  gradNorm?: number;
  gradMax?: number;
  weightNorm?: number;
  /** ‖Δw‖ / ‖w‖ for this step's update. */
  updateRatio?: number;
  weightHist?: Histogram;
  gradHist?: Histogram;
  activation?: { mean: number; std: number; hist: Histogram; deadFraction?: number; saturatedFraction?: number };
  batchnorm?: { runningMean: number[]; runningVar: number[]; batchMean: number[]; batchVar: number[]; gamma?: number[]; beta?: number[] };
}

export interface ProbeEvent {
  type: 'probe';
  runId: string;
  step: number;
  epoch: number;
  layers: LayerProbe[];
}

export interface ClassMetrics {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

/** A box relative to the image (0..1), centre format as in YOLO labels; `score` on predictions. */
export interface SampleBox {
  cls: number;
  x: number;
  y: number;
  w: number;
  h: number;
  score?: number;
}

/** One validation image with what the model predicted, for the dashboards to draw over the image. */
export interface SamplePrediction {
  /** Position in the evaluated split. */
  index: number;
  truth?: SampleBox[];
  predicted?: SampleBox[];
  /** Segmentation: class-id maps, each base64 of width·height bytes (row-major). */
  mask?: { width: number; height: number; truth: string; predicted: string };
}

export interface DetectionClassReport {
  /** AP at IoU 0.5, and averaged over IoU 0.5:0.95; null when the class has no ground truth. */
  ap50: number | null;
  ap: number | null;
  /** Recall at IoU 0.5 with up to maxDetections per image. */
  recall: number | null;
  numGroundTruth: number;
  numDetections: number;
  /** Interpolated precision at recall 0, 0.01, …, 1 (IoU 0.5), as COCO stores it. */
  pr?: { recall: number[]; precision: number[] };
}

export interface DetectionReport {
  mAP50: number;
  mAP75: number;
  /** COCO mAP@[.5:.95], 101-point interpolation. */
  mAP: number;
  /** Mean recall over classes and IoU 0.5:0.95 (maxDetections per image). */
  mAR: number;
  /** AP@0.5 per class (null: no ground truth). */
  perClassAP: (number | null)[];
  perClass: DetectionClassReport[];
  /** Anchor sizes [w, h] in input pixels per head (empty for an anchor-free head). */
  anchors?: [number, number][][];
}

export interface SegmentationReport {
  pixelAccuracy: number;
  mIoU: number;
  meanDice: number;
  meanClassAccuracy: number;
  /** null: the class has no ground-truth pixel in the evaluated images. */
  perClassIoU: (number | null)[];
  perClassDice: (number | null)[];
}

export interface EvaluationReport {
  loss: number;
  /** Classification: top-1. Detection: mAP@0.5. Segmentation: pixel accuracy. */
  accuracy: number;
  top5?: number;
  confusion?: number[][];
  perClass?: ClassMetrics[];
  /** Validation-sample indices by [true][predicted] cell, capped per cell. */
  cellSamples?: Record<string, number[]>;
  /** For each sample listed in `cellSamples`: its top-3 predicted classes as [class, probability]. */
  sampleTop?: Record<number, [number, number][]>;
  detection?: DetectionReport;
  segmentation?: SegmentationReport;
  /** A few validation images with predicted boxes or masks. */
  samples?: SamplePrediction[];
}
