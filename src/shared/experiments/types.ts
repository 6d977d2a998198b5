import type { GraphDoc } from '../graph/types';
import type { z } from 'zod';
import type { TrainConfig, trainConfigSchema } from '../training/config';
import type { Histogram } from '../training/telemetry';

/**
 * Guided experiments: a claim from the study notes as a runnable side-by-side study. A document names graph
 * variants, one dataset, a shared training config (with per-variant overrides), the metric to compare and a
 * verdict function that turns the measured results into a sentence with numbers. Nothing in a verdict is
 * pre-written: it reads the runs.
 */

/** TrainConfig input (every field optional, nested objects too): the experiment's settings and a variant's patch. */
export type ConfigPatch = z.input<typeof trainConfigSchema>;

export interface VariantSpec {
  /** Stable key (`sigmoid`, `relu_bn`): results and measurements are keyed by it. */
  id: string;
  name: string;
  description: string;
  /** Builds the variant's graph (a fresh document on every call). */
  graph: () => GraphDoc;
  /** Deep-merged over the experiment's config. */
  config?: ConfigPatch;
  /** Study experiments: the variant's own settings for the study's training loop (sampling, activation, BN mode …). */
  study?: Record<string, string | number | boolean>;
}

/** The metric the gallery charts first. `better` says which way is good. */
export interface MetricSpec {
  key: string;
  label: string;
  better: 'higher' | 'lower';
  /** How to print it: a percentage, a ratio in scientific notation, a plain number, a count. */
  format: 'percent' | 'ratio' | 'number' | 'count';
}

/** Curves and panels the UI overlays for the variants (hints; the data is in VariantResult). */
export type ChartKind =
  | 'train_loss'
  | 'val_loss'
  | 'train_accuracy'
  | 'val_accuracy'
  | 'lr'
  | 'grad_norm_per_layer'
  | 'activation_std_per_layer'
  | 'confidence_histogram'
  | 'params_flops'
  | 'receptive_field'
  // Study charts (data in VariantResult.study; see src/shared/experiments/studyCharts.ts)
  | 'class_recall'
  | 'pr_roc'
  | 'dead_units'
  | 'weight_histogram'
  | 'bn_modes'
  | 'nms_sweep'
  | 'detection_heads'
  | 'detection_negatives'
  | 'task_accuracy'
  | 'output_probs';

export interface ExperimentDoc {
  id: string;
  title: string;
  /** The concept it demonstrates, as the domain reference names it (e.g. "Vanishing/exploding gradients"). */
  concept: string;
  /** Note files that make the claim (000 … 004) and where the digest discusses it. */
  notes: { files: string[]; section: string };
  /** The claim under test, one sentence. */
  claim: string;
  /** A short explanation for the card. */
  explanation: string;
  /** The formula from the notes (plain text with Unicode maths). */
  formula: string;
  dataset: string;
  /** 'trained': every variant is trained; 'computed': measured from the graphs alone (no training). */
  kind: 'trained' | 'computed';
  /**
   * Set for studies whose variants need more than a lab run measures (an imbalanced split, per-sample scores, a
   * proximal L1 step, BN in train mode at inference): each variant is trained in-process by the study's own small
   * TF.js loop (src/main/experiments/studies/<id>), not as a lab run, and its measurements land in
   * VariantResult.study. The variants' graphs still describe the networks (and open as projects).
   */
  study?: true;
  /** The shared training settings (TrainConfig input); variants patch it. */
  config: ConfigPatch;
  variants: VariantSpec[];
  metric: MetricSpec;
  charts: ChartKind[];
  /** Rough wall time on a 2-core CPU, for the gallery card. */
  estimatedSeconds: number;
  /** The verdict from the measured results (every variant in `variants` order; failed runs included). */
  verdict(results: readonly VariantResult[], ctx: VerdictContext): Verdict;
  /** Computed experiments: what to draw on an input image. */
  drawing?(ctx: VerdictContext): ReceptiveFieldDrawing;
}

export interface VerdictContext {
  /** The experiment's graphs by variant id (computed experiments measure these). */
  graphs: Record<string, GraphDoc>;
  seed: number;
}

// ---- What a run contributes ----

export interface EpochPoint {
  epoch: number;
  lr: number;
  seconds: number;
  trainLoss: number;
  trainAccuracy?: number;
  valLoss: number;
  valAccuracy: number;
}

export interface StepPoint {
  step: number;
  epoch: number;
  loss: number;
  accuracy?: number;
  lr: number;
}

export interface LayerSummary {
  node: string;
  layer: string;
  kind: 'weights' | 'batchnorm' | 'activation';
  gradNorm?: number;
  weightNorm?: number;
  updateRatio?: number;
  activation?: { mean: number; std: number; deadFraction?: number; saturatedFraction?: number; hist?: Histogram };
}

export interface ProbeSummary {
  step: number;
  epoch: number;
  layers: LayerSummary[];
}

/** Top-1 confidence of validation samples (from the last evaluation) with whether the prediction was right. */
export interface ConfidenceSample {
  confidence: number;
  correct: boolean;
}

export interface VariantResult {
  variant: string;
  name: string;
  runId?: string;
  state: 'completed' | 'failed' | 'stopped' | 'skipped';
  error?: string;
  /** The step at which the loss or a gradient became NaN/Inf (a failed run that diverged). */
  divergedAtStep?: number;
  /** Wall time of the run, seconds (worker start to end). */
  seconds: number;
  params: number;
  flops: number;
  epochs: EpochPoint[];
  /** Step telemetry as the worker streams it (throttled to a few per second, so a sample of the steps). */
  steps: StepPoint[];
  probes: ProbeSummary[];
  /** Confidence of the validation samples in the last evaluation (classification). */
  confidence?: ConfidenceSample[];
  /** How many validation samples the last evaluation had (confidence may cover fewer: capped per confusion cell). */
  valSamples?: number;
  /** Study experiments: what the study's own loop measured (per-class recall, curves, histograms …). */
  study?: Record<string, unknown>;
}

// ---- Verdicts ----

export type EffectDirection = 'supports' | 'contradicts' | 'inconclusive';

export interface Verdict {
  /** One or two sentences with the measured numbers. */
  text: string;
  /** Whether the measured effect goes the way the claim says. */
  effect: { claim: string; direction: EffectDirection; detail: string };
  /** Headline numbers per variant (the metric first), for tables and tests. */
  perVariant: Record<string, Record<string, number | null>>;
  /** Other measured quantities (ratios between variants, computed tables). */
  measurements: Record<string, unknown>;
}

/** What the UI needs to draw a receptive field on an input image. */
export interface ReceptiveFieldDrawing {
  dataset: string;
  /** Validation-sample index of the image to draw on. */
  sampleIndex: number;
  image: { width: number; height: number };
  /** The output unit whose field is drawn, in input pixels (its centre). */
  center: { x: number; y: number };
  /** One square per layer, innermost first: input-pixel rectangle (may extend past the image), and clipped. */
  squares: { variant: string; layer: string; rf: number; x: number; y: number; size: number; clipped: { x: number; y: number; w: number; h: number } }[];
}

export interface ExperimentResult {
  format: 'netsmith.experiment-result';
  experiment: string;
  title: string;
  /** 'guided': a catalog experiment trained now; 'user': a saved comparison evaluated from existing runs. */
  source: 'guided' | 'user';
  /** The variants' seed (guided); 0 for user experiments (each run keeps its own). */
  seed: number;
  startedAt: string;
  seconds: number;
  variants: VariantResult[];
  verdict: Verdict;
  /** Set when the run was stopped before every variant finished (the verdict covers only what finished). */
  stopped?: boolean;
  /** Computed experiments: the drawing for the UI. */
  drawing?: ReceptiveFieldDrawing;
}

/** A serialisable description of an experiment for the gallery (graphs built, configs resolved). */
export interface ExperimentInfo {
  id: string;
  title: string;
  concept: string;
  notes: { files: string[]; section: string };
  claim: string;
  explanation: string;
  formula: string;
  dataset: string;
  kind: 'trained' | 'computed';
  /** Trained in-process by the study's own loop (not as lab runs): see ExperimentDoc.study. */
  study?: true;
  metric: MetricSpec;
  charts: ChartKind[];
  estimatedSeconds: number;
  variants: { id: string; name: string; description: string; graph: GraphDoc; config: TrainConfig; params: number; flops: number }[];
}

/** An experiment session in flight (runningExperiments): enough to show its progress after a page reload. */
export interface RunningExperiment {
  session: string;
  experiment: string;
  startedAt: string;
  /** Variants of this run, in the experiment's order, with their state so far and run ids once started. */
  variants: { id: string; name: string; state: 'pending' | 'training' | VariantResult['state']; runId?: string; error?: string }[];
}

/**
 * Progress of an experiment run, streamed next to the runs' own step/epoch/probe events (which carry the
 * run ids announced here). Proposed as a LabEvent member.
 */
export interface ExperimentEvent {
  type: 'experiment';
  /** Id of this experiment run (one per runExperiment call). */
  session: string;
  experiment: string;
  phase: 'started' | 'variant-started' | 'variant-finished' | 'finished' | 'failed';
  variant?: string;
  runId?: string;
  /** 0-based position of the variant, and how many there are. */
  index?: number;
  total?: number;
  /** variant-finished: what the variant measured. */
  variantResult?: VariantResult;
  /** finished: the whole result with its verdict. */
  result?: ExperimentResult;
  message?: string;
}
