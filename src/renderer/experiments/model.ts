import { formatNumber } from '../core/format';
import type { ExperimentEvent, ExperimentResult, ExperimentResultEntry, RunningExperiment } from '../../shared/api';
import { activationStdsAtInit, confidenceStats, gradNormsAtInit } from '../../shared/experiments/measures';
import type { EpochPoint, StepPoint, VariantResult } from '../../shared/experiments/types';

/**
 * The Experiments workspace's pure logic: following an experiment session from its events, turning variant
 * results into chart rows, and formatting the verdict's measured numbers. No React, no transport.
 */

export type VariantState = 'pending' | 'training' | 'completed' | 'failed' | 'stopped' | 'skipped';

export interface VariantProgress {
  id: string;
  name: string;
  runId?: string;
  state: VariantState;
  result?: VariantResult;
  error?: string;
}

/** What the UI knows about one experiment run, from its `experiment` events. */
export interface SessionView {
  session: string;
  experiment: string;
  running: boolean;
  /** Variants in the experiment's order. */
  variants: VariantProgress[];
  result?: ExperimentResult;
  error?: string;
}

/**
 * Applies one event. An event of another session (or the first one seen) starts a new view, so a view can
 * also be picked up mid-way (the 'started' event may race the startExperiment reply).
 */
export function applyExperimentEvent(prev: SessionView | undefined, e: ExperimentEvent, variants: readonly { id: string; name: string }[]): SessionView {
  let s: SessionView =
    prev && prev.session === e.session
      ? prev
      : { session: e.session, experiment: e.experiment, running: true, variants: variants.map((v) => ({ id: v.id, name: v.name, state: 'pending' })) };
  const patch = (id: string | undefined, change: Partial<VariantProgress>): void => {
    if (id === undefined) return;
    const known = s.variants.some((v) => v.id === id);
    const list = known ? s.variants : [...s.variants, { id, name: id, state: 'pending' as const }];
    s = { ...s, variants: list.map((v) => (v.id === id ? { ...v, ...change } : v)) };
  };
  switch (e.phase) {
    case 'started':
      s = { ...s, running: true };
      break;
    case 'variant-started':
      patch(e.variant, { state: 'training', ...(e.runId ? { runId: e.runId } : {}) });
      break;
    case 'variant-finished': {
      const r = e.variantResult;
      patch(e.variant, { state: r?.state ?? 'failed', ...(r ? { result: r } : {}), ...(e.runId ? { runId: e.runId } : {}), ...(r?.error || e.message ? { error: r?.error ?? e.message } : {}) });
      break;
    }
    case 'finished': {
      const result = e.result;
      if (result) for (const r of result.variants) patch(r.variant, { state: r.state, result: r, ...(r.runId ? { runId: r.runId } : {}) });
      s = { ...s, running: false, ...(result ? { result } : {}) };
      break;
    }
    case 'failed':
      s = { ...s, running: false, error: e.message ?? 'the experiment failed' };
      break;
  }
  return s;
}

const RANK: Record<VariantState, number> = { pending: 0, training: 1, completed: 2, failed: 2, stopped: 2, skipped: 2 };

/**
 * A session in flight as the host reports it (runningExperiments, on load) merged with what the events
 * already told: per variant the further-along state wins (an event may have overtaken the snapshot).
 */
export function mergeRunning(prev: SessionView | undefined, r: RunningExperiment, variants: readonly { id: string; name: string }[]): SessionView {
  const known = prev && prev.session === r.session ? prev : undefined;
  const order = variants.length ? variants.filter((v) => r.variants.some((x) => x.id === v.id)) : r.variants;
  return {
    session: r.session,
    experiment: r.experiment,
    running: known ? known.running : true,
    ...(known?.result ? { result: known.result } : {}),
    ...(known?.error ? { error: known.error } : {}),
    variants: order.map((v) => {
      const snap = r.variants.find((x) => x.id === v.id)!;
      const ev = known?.variants.find((x) => x.id === v.id);
      const fromSnap: VariantProgress = { id: v.id, name: v.name, state: snap.state, ...(snap.runId ? { runId: snap.runId } : {}), ...(snap.error ? { error: snap.error } : {}) };
      return ev && RANK[ev.state] >= RANK[snap.state] ? { ...fromSnap, ...ev } : fromSnap;
    }),
  };
}

/** The newest stored result file of each experiment (the list comes newest first). */
export function latestResultFiles(entries: readonly ExperimentResultEntry[]): Map<string, string> {
  const out = new Map<string, string>();
  // Results within the same second are numbered `-2`, `-3`, … (a higher number is newer).
  const k = (file: string): number => Number(/-\d{8}-\d{6}-(\d+)\.json$/.exec(file)?.[1] ?? 1);
  const sorted = [...entries].sort((a, b) => b.startedAt.localeCompare(a.startedAt) || k(b.file) - k(a.file));
  for (const e of sorted) if (!out.has(e.experiment)) out.set(e.experiment, e.file);
  return out;
}

/** "instant", "~20 s", "~2 min". */
export function estimate(seconds: number, kind: 'trained' | 'computed' = 'trained'): string {
  if (kind === 'computed' || seconds <= 2) return 'instant';
  if (seconds < 60) return `~${Math.round(seconds / 5) * 5 || seconds} s`;
  return `~${Math.round(seconds / 60)} min`;
}

// ---- Numbers ----

const PERCENT = /(accuracy|confidence|exact|confident|^ece$|over_?99|zeros|below_1e3|recall|^ap$|dead_units|saturated)/;
const COUNT = /(params|flops|samples|layers|receptive_field|step|epochs|count)/;

/** How a measured quantity is printed, from its key: percentages for accuracies, counts, else compact numbers. */
export function formatMeasure(key: string, v: number | null | undefined): string {
  if (v === null || v === undefined || Number.isNaN(v)) return '—';
  if (!Number.isFinite(v)) return v > 0 ? '∞' : '−∞';
  if (PERCENT.test(key) && Math.abs(v) <= 1.5) return `${(v * 100).toFixed(1)}%`;
  if (COUNT.test(key) && Number.isInteger(v)) return compactCount(v);
  return compactNumber(v);
}

export function compactCount(v: number): string {
  const a = Math.abs(v);
  if (a >= 1e9) return `${+(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(3)}k`;
  return String(Math.round(v));
}

export function compactNumber(v: number): string {
  return formatNumber(v);
}

/** "val_accuracy" → "val accuracy". */
export const measureLabel = (key: string): string => key.replace(/_/g, ' ');

/** Every key of the verdict's per-variant table, the metric first. */
export function measureKeys(perVariant: Record<string, Record<string, number | null>>, metric?: string): string[] {
  const keys = [...new Set(Object.values(perVariant).flatMap((m) => Object.keys(m)))];
  if (metric && keys.includes(metric)) return [metric, ...keys.filter((k) => k !== metric)];
  return keys;
}

/**
 * Bars for one measured quantity across variants. Positive values spanning more than two decades are drawn on
 * a log scale; `fraction` is the bar length in [0, 1] (a small floor keeps tiny values visible).
 */
export function measureBars(values: readonly { id: string; name: string; value: number | null }[]): { log: boolean; bars: { id: string; name: string; value: number | null; fraction: number }[] } {
  const finite = values.map((v) => v.value).filter((x): x is number => x !== null && Number.isFinite(x));
  const positive = finite.length > 0 && finite.every((x) => x > 0);
  const max = finite.length ? Math.max(...finite.map(Math.abs)) : 0;
  const min = finite.length ? Math.min(...finite.map(Math.abs)) : 0;
  const log = positive && min > 0 && max / min > 100;
  const lo = log ? Math.log10(min) - 0.5 : 0;
  const hi = log ? Math.log10(max) : max;
  const frac = (x: number | null): number => {
    if (x === null || !Number.isFinite(x)) return 0;
    if (log) return Math.max(0.02, (Math.log10(x) - lo) / (hi - lo || 1));
    return max > 0 ? Math.max(0.02, Math.abs(x) / max) : 0;
  };
  return { log, bars: values.map((v) => ({ ...v, fraction: frac(v.value) })) };
}

// ---- Chart rows (one column per variant: `v0`, `v1`, …) ----

export interface VariantSeries {
  id: string;
  name: string;
  epochs: readonly EpochPoint[];
  steps: readonly StepPoint[];
  result?: VariantResult;
}

export type EpochKey = 'trainLoss' | 'valLoss' | 'trainAccuracy' | 'valAccuracy' | 'lr';

/** Rows `{ epoch, v0, v1, … }` for an epoch-level quantity. */
export function epochRows(series: readonly VariantSeries[], key: EpochKey): Record<string, number>[] {
  const byEpoch = new Map<number, Record<string, number>>();
  series.forEach((s, i) => {
    for (const e of s.epochs) {
      const v = e[key];
      if (v === undefined || !Number.isFinite(v)) continue;
      const row = byEpoch.get(e.epoch) ?? { epoch: e.epoch };
      row[`v${i}`] = v;
      byEpoch.set(e.epoch, row);
    }
  });
  return [...byEpoch.values()].sort((a, b) => a.epoch - b.epoch);
}

/**
 * Rows `{ step, vI }` for a step-level quantity (EMA-smoothed loss, or the learning rate), at most `max`
 * points per variant. Non-finite losses (a diverged run) are dropped.
 */
export function stepRows(series: readonly VariantSeries[], key: 'loss' | 'lr', max = 300, smooth = 0.8): Record<string, number>[] {
  const rows: Record<string, number>[] = [];
  series.forEach((s, i) => {
    const pts = s.steps.filter((p) => Number.isFinite(p[key]));
    const stride = Math.max(1, Math.ceil(pts.length / max));
    let m: number | undefined;
    pts.forEach((p, k) => {
      const x = p[key];
      m = key === 'loss' && m !== undefined ? smooth * m + (1 - smooth) * x : x;
      if (k % stride === 0 || k === pts.length - 1) rows.push({ step: p.step, [`v${i}`]: m });
    });
  });
  return rows.sort((a, b) => a.step - b.step);
}

/** Rows `{ layer, vI }` (1-based layer index) of a per-layer quantity at initialisation, as log10. */
export function layerRows(series: readonly VariantSeries[], kind: 'grad' | 'activation'): { rows: Record<string, number>[]; layers: number } {
  const byLayer = new Map<number, Record<string, number>>();
  let layers = 0;
  series.forEach((s, i) => {
    if (!s.result) return;
    const values = kind === 'grad' ? gradNormsAtInit(s.result).map((l) => l.gradNorm) : activationStdsAtInit(s.result).map((l) => l.std);
    layers = Math.max(layers, values.length);
    values.forEach((v, k) => {
      if (!(v > 0) || !Number.isFinite(v)) return;
      const row = byLayer.get(k + 1) ?? { layer: k + 1 };
      row[`v${i}`] = Math.log10(v);
      byLayer.set(k + 1, row);
    });
  });
  return { rows: [...byLayer.values()].sort((a, b) => a.layer - b.layer), layers };
}

/** Rows `{ bin, vI }`: the share of validation samples per top-1 confidence decile. */
export function confidenceRows(series: readonly VariantSeries[]): Record<string, number | string>[] {
  const stats = series.map((s) => confidenceStats(s.result?.confidence));
  return Array.from({ length: 10 }, (_, b) => {
    const row: Record<string, number | string> = { bin: `${b * 10}–${b * 10 + 10}%` };
    stats.forEach((st, i) => {
      if (st) row[`v${i}`] = st.histogram[b] / st.n;
    });
    return row;
  });
}

/** Receptive field per spatial layer (from the verdict's `layers` measurement), rows `{ layer, vI }`. */
export function receptiveFieldRows(layers: unknown, ids: readonly string[]): Record<string, number>[] {
  if (!layers || typeof layers !== 'object') return [];
  const rows = new Map<number, Record<string, number>>();
  ids.forEach((id, i) => {
    const list = (layers as Record<string, { rf: number; kernel: number; stride: number }[] | undefined>)[id];
    if (!Array.isArray(list)) return;
    list
      .filter((l) => l.kernel > 1 || l.stride > 1)
      .forEach((l, k) => {
        const row = rows.get(k + 1) ?? { layer: k + 1 };
        row[`v${i}`] = l.rf;
        rows.set(k + 1, row);
      });
  });
  return [...rows.values()].sort((a, b) => a.layer - b.layer);
}

/** A variant still training, from the telemetry store's rows (epoch rows and decimated step rows). */
export function seriesFromTelemetry(
  epochs: readonly { epoch: number; lr: number; seconds: number; trainLoss: number; trainAcc?: number; valLoss: number; valAcc: number }[],
  steps: readonly { x: number; loss: number; acc: number; lr: number }[],
): { epochs: EpochPoint[]; steps: StepPoint[] } {
  return {
    epochs: epochs.map((e) => ({ epoch: e.epoch, lr: e.lr, seconds: e.seconds, trainLoss: e.trainLoss, ...(e.trainAcc !== undefined ? { trainAccuracy: e.trainAcc } : {}), valLoss: e.valLoss, valAccuracy: e.valAcc })),
    steps: steps.map((s) => ({ step: s.x, epoch: 0, loss: s.loss, lr: s.lr, ...(Number.isFinite(s.acc) ? { accuracy: s.acc } : {}) })),
  };
}

/** Why the "save experiment" form cannot be saved yet (null: it can). */
export function saveProblem(title: string, runs: number): string | null {
  if (!title.trim()) return 'Give it a title.';
  if (runs < 2) return `Pick ${runs === 0 ? 'two or more runs' : 'one more run'}.`;
  if (runs > 16) return 'At most 16 runs.';
  return null;
}
