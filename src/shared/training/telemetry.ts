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

export interface EvaluationReport {
  loss: number;
  accuracy: number;
  top5?: number;
  confusion?: number[][];
  perClass?: ClassMetrics[];
  /** Validation-sample indices by [true][predicted] cell, capped per cell. */
  cellSamples?: Record<string, number[]>;
}
