import type { ConfidenceSample, EpochPoint, LayerSummary, MetricSpec, ProbeSummary, VariantResult } from './types';

/** Measurements the verdicts share. Pure functions of VariantResult; null where the run has no data for it. */

export const lastEpoch = (r: VariantResult): EpochPoint | undefined => r.epochs[r.epochs.length - 1];
export const finalValAccuracy = (r: VariantResult): number | null => lastEpoch(r)?.valAccuracy ?? null;
export const finalValLoss = (r: VariantResult): number | null => finite(lastEpoch(r)?.valLoss);
export const finalTrainLoss = (r: VariantResult): number | null => finite(lastEpoch(r)?.trainLoss);
export const finalTrainAccuracy = (r: VariantResult): number | null => lastEpoch(r)?.trainAccuracy ?? null;
export const bestValAccuracy = (r: VariantResult): number | null => (r.epochs.length ? Math.max(...r.epochs.map((e) => e.valAccuracy)) : null);

const finite = (x: number | undefined): number | null => (x !== undefined && Number.isFinite(x) ? x : null);

export function median(xs: readonly number[]): number | null {
  const v = xs.filter(Number.isFinite).sort((a, b) => a - b);
  if (!v.length) return null;
  const m = v.length >> 1;
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

export function mean(xs: readonly number[]): number | null {
  const v = xs.filter(Number.isFinite);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : null;
}

/** Layers with weights that report a gradient, in network order. */
export const weightLayers = (p: ProbeSummary): LayerSummary[] => p.layers.filter((l) => l.kind === 'weights' && l.gradNorm !== undefined);

/** ‖∂L/∂W‖ of the first layer with weights over that of the last (the head), in one probe. */
export function gradRatio(p: ProbeSummary): number | null {
  const w = weightLayers(p);
  if (w.length < 2) return null;
  const last = w[w.length - 1].gradNorm!;
  return last > 0 ? w[0].gradNorm! / last : null;
}

/** Gradient ratio in the first probe (step 0: at initialisation). */
export const gradRatioAtInit = (r: VariantResult): number | null => (r.probes.length ? gradRatio(r.probes[0]) : null);

/** Median gradient ratio over every probe of the run. */
export const gradRatioMedian = (r: VariantResult): number | null => median(r.probes.map(gradRatio).filter((x): x is number => x !== null));

/** Per-layer gradient norms (first probe), in network order. */
export const gradNormsAtInit = (r: VariantResult): { node: string; gradNorm: number }[] =>
  r.probes.length ? weightLayers(r.probes[0]).map((l) => ({ node: l.node, gradNorm: l.gradNorm! })) : [];

/** Activation layers of a probe, in network order. */
export const activationLayers = (p: ProbeSummary): LayerSummary[] => p.layers.filter((l) => l.kind === 'activation' && l.activation !== undefined);

/** Per-layer activation std in the first probe (at initialisation). */
export const activationStdsAtInit = (r: VariantResult): { node: string; std: number; mean: number; dead?: number }[] =>
  r.probes.length
    ? activationLayers(r.probes[0]).map((l) => ({ node: l.node, std: l.activation!.std, mean: l.activation!.mean, ...(l.activation!.deadFraction !== undefined ? { dead: l.activation!.deadFraction } : {}) }))
    : [];

/** std of the last activation layer over that of the first, at initialisation. */
export function activationStdRatio(r: VariantResult): number | null {
  const s = activationStdsAtInit(r);
  if (s.length < 2 || !(s[0].std > 0)) return null;
  return s[s.length - 1].std / s[0].std;
}

/** Train accuracy − validation accuracy in the last epoch (train accuracy is measured in training mode). */
export function accuracyGap(r: VariantResult): number | null {
  const e = lastEpoch(r);
  return e && e.trainAccuracy !== undefined ? e.trainAccuracy - e.valAccuracy : null;
}

/**
 * Two standard errors of the difference between two runs' final validation accuracies, √(p(1−p)/n) each:
 * differences below it are within what the validation sample size can resolve.
 */
export function accuracyNoise(a: VariantResult, b: VariantResult): number | null {
  const pa = finalValAccuracy(a);
  const pb = finalValAccuracy(b);
  const n = a.valSamples ?? b.valSamples;
  if (pa === null || pb === null || !n) return null;
  return 2 * Math.sqrt((pa * (1 - pa) + pb * (1 - pb)) / n);
}

/** Validation loss − train loss in the last epoch. */
export function lossGap(r: VariantResult): number | null {
  const e = lastEpoch(r);
  return e && Number.isFinite(e.valLoss) && Number.isFinite(e.trainLoss) ? e.valLoss - e.trainLoss : null;
}

/** How far the validation loss rose from its lowest epoch by the end (0: it never rose). */
export function valLossRise(r: VariantResult): number | null {
  const v = r.epochs.map((e) => e.valLoss).filter(Number.isFinite);
  return v.length ? v[v.length - 1] - Math.min(...v) : null;
}

/** Mean train loss over the first epoch's streamed steps (how fast it starts). */
export function firstEpochTrainLoss(r: VariantResult): number | null {
  return r.epochs.length ? finite(r.epochs[0].trainLoss) : null;
}

/** The largest streamed step loss (spikes at a too-high learning rate). */
export const maxStepLoss = (r: VariantResult): number | null => (r.steps.length ? Math.max(...r.steps.map((s) => s.loss)) : null);

export interface ConfidenceStats {
  n: number;
  mean: number;
  /** Share of samples predicted with ≥ 0.99 probability. */
  over99: number;
  /** 10 equal bins over [0, 1]. */
  histogram: number[];
  /** Expected calibration error over the same 10 bins: Σ |B|/n · |acc(B) − conf(B)|. */
  ece: number;
  accuracy: number;
}

export function confidenceStats(samples: readonly ConfidenceSample[] | undefined): ConfidenceStats | null {
  if (!samples || samples.length === 0) return null;
  const bins = 10;
  const count = new Array<number>(bins).fill(0);
  const conf = new Array<number>(bins).fill(0);
  const right = new Array<number>(bins).fill(0);
  let sum = 0;
  let over = 0;
  let correct = 0;
  for (const s of samples) {
    const b = Math.min(bins - 1, Math.floor(s.confidence * bins));
    count[b]++;
    conf[b] += s.confidence;
    right[b] += s.correct ? 1 : 0;
    sum += s.confidence;
    if (s.confidence >= 0.99) over++;
    if (s.correct) correct++;
  }
  const n = samples.length;
  let ece = 0;
  for (let b = 0; b < bins; b++) if (count[b]) ece += (count[b] / n) * Math.abs(right[b] / count[b] - conf[b] / count[b]);
  return { n, mean: sum / n, over99: over / n, histogram: count, ece, accuracy: correct / n };
}

// ---- Formatting for verdict text ----

export function fmtRatio(x: number | null | undefined): string {
  if (x === null || x === undefined || !Number.isFinite(x)) return 'n/a';
  if (x === 0) return '0';
  const a = Math.abs(x);
  if (a >= 0.01 && a < 1000) return Number(x.toPrecision(2)).toString();
  const [m, e] = x.toExponential(1).split('e');
  return `${m.replace(/\.0$/, '')}e${Number(e)}`;
}

export const fmtPct = (x: number | null | undefined, digits = 1): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${(x * 100).toFixed(digits)}%`);
export const fmtPts = (x: number | null | undefined): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : `${x >= 0 ? '+' : '−'}${Math.abs(x * 100).toFixed(1)} pts`);
export const fmtNum = (x: number | null | undefined, digits = 3): string => (x === null || x === undefined || !Number.isFinite(x) ? 'n/a' : Number(x.toPrecision(digits)).toString());
export const fmtCount = (x: number): string => Math.round(x).toLocaleString('en-US');

export function formatMetric(spec: Pick<MetricSpec, 'format'>, x: number | null | undefined): string {
  switch (spec.format) {
    case 'percent':
      return fmtPct(x);
    case 'ratio':
      return fmtRatio(x);
    case 'count':
      return x === null || x === undefined ? 'n/a' : fmtCount(x);
    default:
      return fmtNum(x);
  }
}

/** How a run ended, for verdict text: "diverged (NaN at step 12)" / "failed: …" / "". */
export function failureNote(r: VariantResult): string {
  if (r.state === 'completed') return '';
  if (r.divergedAtStep !== undefined) return `diverged (NaN/Inf at step ${r.divergedAtStep})`;
  if (r.state === 'failed') return `failed (${r.error ?? 'unknown error'})`;
  return r.state;
}

// ---- Metrics any set of runs can be compared on (user experiments, the gallery's headline) ----

export interface RunMetric extends MetricSpec {
  of(r: VariantResult): number | null;
}

export const RUN_METRICS: readonly RunMetric[] = [
  { key: 'val_accuracy', label: 'final validation accuracy', better: 'higher', format: 'percent', of: finalValAccuracy },
  { key: 'best_val_accuracy', label: 'best validation accuracy', better: 'higher', format: 'percent', of: bestValAccuracy },
  { key: 'val_loss', label: 'final validation loss', better: 'lower', format: 'number', of: finalValLoss },
  { key: 'train_loss', label: 'final training loss', better: 'lower', format: 'number', of: finalTrainLoss },
  { key: 'train_accuracy', label: 'final training accuracy', better: 'higher', format: 'percent', of: finalTrainAccuracy },
  { key: 'accuracy_gap', label: 'train − validation accuracy gap', better: 'lower', format: 'percent', of: accuracyGap },
  { key: 'loss_gap', label: 'validation − training loss gap', better: 'lower', format: 'number', of: lossGap },
  { key: 'val_loss_rise', label: 'validation-loss rise from its minimum', better: 'lower', format: 'number', of: valLossRise },
  { key: 'grad_ratio', label: 'first/last layer gradient-norm ratio (median)', better: 'higher', format: 'ratio', of: gradRatioMedian },
  { key: 'activation_std_ratio', label: 'last/first activation std at init', better: 'higher', format: 'ratio', of: activationStdRatio },
  { key: 'mean_confidence', label: 'mean top-1 confidence', better: 'lower', format: 'percent', of: (r) => confidenceStats(r.confidence)?.mean ?? null },
  { key: 'ece', label: 'expected calibration error', better: 'lower', format: 'percent', of: (r) => confidenceStats(r.confidence)?.ece ?? null },
  { key: 'params', label: 'parameters', better: 'lower', format: 'count', of: (r) => r.params },
  { key: 'flops', label: 'FLOPs per sample', better: 'lower', format: 'count', of: (r) => r.flops },
  { key: 'seconds', label: 'wall time (s)', better: 'lower', format: 'number', of: (r) => r.seconds },
];

export const RUN_METRIC_KEYS = RUN_METRICS.map((m) => m.key) as [string, ...string[]];
export const runMetric = (key: string): RunMetric | undefined => RUN_METRICS.find((m) => m.key === key);
