import type { LayerProbe, ProbeEvent } from '../../shared/training/telemetry';
import { bnGap } from '../../shared/training/diagnostics';

/**
 * Probe history in bounded memory. Each probe is stored as a compact frame of typed arrays laid out by the
 * run's layer layout (the same layers every probe): scalars per layer, histograms as counts, BatchNorm
 * statistics for at most BN_CHANNELS channels. When the history is full every other frame is dropped and
 * only every `stride`-th probe is kept from then on; the newest probe always sits in the last slot, so the
 * history covers the run from start to now.
 */

export const BN_CHANNELS = 16;
export const DEFAULT_PROBE_BUDGET = 8 * 1024 * 1024;
export const MAX_FRAMES = 256;
export const MIN_FRAMES = 16;

export interface LayerMeta {
  /** The layer name (unique; a node repeated in a group has one layer per copy). */
  key: string;
  node: string;
  layer: string;
  kind: LayerProbe['kind'];
  /** Activation layers: what the engine checks (dead units for ReLU, saturation for sigmoid/tanh). */
  watch?: 'dead' | 'saturated' | 'none';
  /** BatchNorm: channel count. */
  channels?: number;
}

export interface ProbeLayout {
  weights: LayerMeta[];
  activations: LayerMeta[];
  batchnorms: LayerMeta[];
  bins: number;
  signature: string;
}

export interface ProbeFrame {
  step: number;
  epoch: number;
  /** Per weight layer (W). NaN: not reported. */
  gradNorm: Float32Array;
  gradMax: Float32Array;
  weightNorm: Float32Array;
  updateRatio: Float32Array;
  /** W × bins counts, W × 2 [min, max]. */
  weightHist: Float32Array;
  weightRange: Float32Array;
  gradHist: Float32Array;
  gradRange: Float32Array;
  /** Per activation layer (A): mean, std, dead fraction, saturated fraction. */
  actStats: Float32Array;
  actHist: Float32Array;
  actRange: Float32Array;
  /** Per BN layer (B): mean shift, variance shift (bnGap). */
  bnGap: Float32Array;
  /** Per BN layer: running mean, running var, batch mean, batch var for its first min(C, BN_CHANNELS) channels (4 × BN_CHANNELS each). */
  bnStats: Float32Array;
}

export function layoutOf(layers: readonly LayerProbe[]): ProbeLayout {
  const weights: LayerMeta[] = [];
  const activations: LayerMeta[] = [];
  const batchnorms: LayerMeta[] = [];
  let bins = 32;
  for (const l of layers) {
    const meta: LayerMeta = { key: l.layer, node: l.node, layer: l.layer, kind: l.kind };
    if (l.kind === 'weights') {
      weights.push(meta);
      bins = l.weightHist?.counts.length ?? bins;
    } else if (l.kind === 'activation') {
      meta.watch = l.activation?.deadFraction !== undefined ? 'dead' : l.activation?.saturatedFraction !== undefined ? 'saturated' : 'none';
      activations.push(meta);
    } else {
      meta.channels = l.batchnorm?.runningMean.length ?? 0;
      batchnorms.push(meta);
    }
  }
  const signature = [...weights, ...activations, ...batchnorms].map((m) => `${m.kind[0]}:${m.key}`).join('|');
  return { weights, activations, batchnorms, bins, signature };
}

export function frameBytes(layout: ProbeLayout): number {
  const W = layout.weights.length;
  const A = layout.activations.length;
  const B = layout.batchnorms.length;
  const floats = W * (4 + 2 * layout.bins + 4) + A * (4 + layout.bins + 2) + B * (2 + 4 * BN_CHANNELS);
  return floats * 4 + 200;
}

function fillHist(dst: Float32Array, range: Float32Array, row: number, bins: number, h: { min: number; max: number; counts: number[] } | undefined): void {
  if (!h) {
    range[row * 2] = NaN;
    range[row * 2 + 1] = NaN;
    return;
  }
  range[row * 2] = h.min;
  range[row * 2 + 1] = h.max;
  const n = Math.min(bins, h.counts.length);
  for (let i = 0; i < n; i++) dst[row * bins + i] = h.counts[i];
}

export function toFrame(layout: ProbeLayout, e: ProbeEvent): ProbeFrame {
  const W = layout.weights.length;
  const A = layout.activations.length;
  const B = layout.batchnorms.length;
  const bins = layout.bins;
  const f: ProbeFrame = {
    step: e.step,
    epoch: e.epoch,
    gradNorm: new Float32Array(W).fill(NaN),
    gradMax: new Float32Array(W).fill(NaN),
    weightNorm: new Float32Array(W).fill(NaN),
    updateRatio: new Float32Array(W).fill(NaN),
    weightHist: new Float32Array(W * bins),
    weightRange: new Float32Array(W * 2),
    gradHist: new Float32Array(W * bins),
    gradRange: new Float32Array(W * 2),
    actStats: new Float32Array(A * 4).fill(NaN),
    actHist: new Float32Array(A * bins),
    actRange: new Float32Array(A * 2),
    bnGap: new Float32Array(B * 2).fill(NaN),
    bnStats: new Float32Array(B * 4 * BN_CHANNELS).fill(NaN),
  };
  let w = 0;
  let a = 0;
  let b = 0;
  for (const l of e.layers) {
    if (l.kind === 'weights' && w < W) {
      f.gradNorm[w] = l.gradNorm ?? NaN;
      f.gradMax[w] = l.gradMax ?? NaN;
      f.weightNorm[w] = l.weightNorm ?? NaN;
      f.updateRatio[w] = l.updateRatio ?? NaN;
      fillHist(f.weightHist, f.weightRange, w, bins, l.weightHist);
      fillHist(f.gradHist, f.gradRange, w, bins, l.gradHist);
      w++;
    } else if (l.kind === 'activation' && a < A) {
      const s = l.activation;
      if (s) {
        f.actStats[a * 4] = s.mean;
        f.actStats[a * 4 + 1] = s.std;
        f.actStats[a * 4 + 2] = s.deadFraction ?? NaN;
        f.actStats[a * 4 + 3] = s.saturatedFraction ?? NaN;
      }
      fillHist(f.actHist, f.actRange, a, bins, s?.hist);
      a++;
    } else if (l.kind === 'batchnorm' && b < B) {
      const bn = l.batchnorm;
      if (bn) {
        const g = bnGap(bn);
        f.bnGap[b * 2] = g.meanShift;
        f.bnGap[b * 2 + 1] = g.varShift;
        const base = b * 4 * BN_CHANNELS;
        const arrays = [bn.runningMean, bn.runningVar, bn.batchMean, bn.batchVar];
        arrays.forEach((arr, k) => {
          for (let c = 0; c < Math.min(BN_CHANNELS, arr.length); c++) f.bnStats[base + k * BN_CHANNELS + c] = arr[c];
        });
      }
      b++;
    }
  }
  return f;
}

export class ProbeHistory {
  layout: ProbeLayout | null = null;
  private frames: ProbeFrame[] = [];
  /** Probes merged into one slot now (1, 2, 4, …). */
  private stride = 1;
  /** Probes seen since the last slot was committed (the newest overwrites the tail until then). */
  private pending = 0;
  capacity = MAX_FRAMES;
  version = 0;

  constructor(readonly budgetBytes = DEFAULT_PROBE_BUDGET) {}

  get length(): number {
    return this.frames.length;
  }

  get resolution(): number {
    return this.stride;
  }

  list(): readonly ProbeFrame[] {
    return this.frames;
  }

  push(e: ProbeEvent): void {
    const layout = layoutOf(e.layers);
    if (!this.layout || this.layout.signature !== layout.signature) {
      this.layout = layout;
      this.frames = [];
      this.stride = 1;
      this.pending = 0;
      const per = frameBytes(layout);
      this.capacity = Math.max(MIN_FRAMES, Math.min(MAX_FRAMES, Math.floor(this.budgetBytes / per))) & ~1;
    }
    const frame = toFrame(this.layout, e);
    if (this.pending > 0) {
      // The tail slot holds the newest probe of a slot not yet complete: replace it.
      this.frames[this.frames.length - 1] = frame;
    } else {
      if (this.frames.length >= this.capacity) {
        const kept: ProbeFrame[] = [];
        for (let i = 1; i < this.frames.length; i += 2) kept.push(this.frames[i]);
        this.frames = kept;
        this.stride *= 2;
      }
      this.frames.push(frame);
    }
    this.pending = (this.pending + 1) % this.stride;
    this.version++;
  }

  bytes(): number {
    return this.layout ? this.frames.length * frameBytes(this.layout) : 0;
  }

  clear(): void {
    this.layout = null;
    this.frames = [];
    this.stride = 1;
    this.pending = 0;
    this.version++;
  }
}
