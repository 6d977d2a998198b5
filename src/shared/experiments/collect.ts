import type { EpochEvent, LabEvent } from '../api';
import type { LayerProbe } from '../training/telemetry';
import type { ConfidenceSample, EpochPoint, LayerSummary, ProbeSummary, StepPoint, VariantResult } from './types';

/** Most step points kept per run (the worker already throttles them to a few per second). */
const MAX_STEPS = 2000;
/** Most probes kept per run; beyond it every other one is dropped (the first is always kept). */
const MAX_PROBES = 400;

function summarizeLayer(l: LayerProbe): LayerSummary {
  const out: LayerSummary = { node: l.node, layer: l.layer, kind: l.kind };
  if (l.gradNorm !== undefined) out.gradNorm = l.gradNorm;
  if (l.weightNorm !== undefined) out.weightNorm = l.weightNorm;
  if (l.updateRatio !== undefined) out.updateRatio = l.updateRatio;
  if (l.activation) {
    const a = l.activation;
    out.activation = { mean: a.mean, std: a.std, hist: a.hist };
    if (a.deadFraction !== undefined) out.activation.deadFraction = a.deadFraction;
    if (a.saturatedFraction !== undefined) out.activation.saturatedFraction = a.saturatedFraction;
  }
  return out;
}

/** Per-sample top-1 confidence and correctness from an evaluation's confusion cells and their top-3 lists. */
export function confidenceOf(val: EpochEvent['val']): ConfidenceSample[] {
  const out: ConfidenceSample[] = [];
  const top = val.sampleTop ?? {};
  for (const [cell, indices] of Object.entries(val.cellSamples ?? {})) {
    const [truth, predicted] = cell.split(',').map(Number);
    for (const i of indices) {
      const t = top[i];
      if (t && t.length) out.push({ confidence: t[0][1], correct: truth === predicted });
    }
  }
  return out;
}

/**
 * Folds one run's telemetry (live events or a run's stored log) into what verdicts read. Feed it every event;
 * it keeps those of its run.
 */
export class VariantCollector {
  private readonly epochs: EpochPoint[] = [];
  private readonly steps: StepPoint[] = [];
  private probes: ProbeSummary[] = [];
  private lastVal: EpochEvent['val'] | undefined;

  constructor(readonly runId: string) {}

  get epochCount(): number {
    return this.epochs.length;
  }

  add(e: LabEvent): void {
    if (!('runId' in e) || e.runId !== this.runId) return;
    if (e.type === 'epoch') {
      this.epochs.push({
        epoch: e.epoch,
        lr: e.lr,
        seconds: e.seconds,
        trainLoss: e.train.loss,
        ...(e.train.accuracy !== undefined ? { trainAccuracy: e.train.accuracy } : {}),
        valLoss: e.val.loss,
        valAccuracy: e.val.accuracy,
      });
      this.lastVal = e.val;
    } else if (e.type === 'step') {
      if (this.steps.length < MAX_STEPS) this.steps.push({ step: e.step, epoch: e.epoch, loss: e.loss, ...(e.accuracy !== undefined ? { accuracy: e.accuracy } : {}), lr: e.lr });
    } else if (e.type === 'probe') {
      this.probes.push({ step: e.step, epoch: e.epoch, layers: e.layers.map(summarizeLayer) });
      if (this.probes.length > MAX_PROBES) this.probes = this.probes.filter((_, i) => i === 0 || i % 2 === 1);
    }
  }

  result(base: Pick<VariantResult, 'variant' | 'name' | 'state' | 'seconds' | 'params' | 'flops'> & { error?: string }): VariantResult {
    const diverged = base.error?.match(/NaN\/Inf at step (\d+)/);
    const confidence = this.lastVal ? confidenceOf(this.lastVal) : undefined;
    const valSamples = this.lastVal?.confusion?.flat().reduce((a, b) => a + b, 0);
    return {
      ...base,
      runId: this.runId,
      ...(diverged ? { divergedAtStep: Number(diverged[1]) } : {}),
      epochs: [...this.epochs],
      steps: [...this.steps],
      probes: [...this.probes],
      ...(confidence && confidence.length ? { confidence } : {}),
      ...(valSamples !== undefined ? { valSamples } : {}),
    };
  }
}
