import type { EpochEvent, LabEvent, RunSummary } from '../../shared/api';
import type { Histogram, LayerProbe } from '../../shared/training/telemetry';

/**
 * A synthetic telemetry stream shaped like the engine's (steps, probes every N steps, epochs with a full
 * evaluation report): for the bounded-memory test and for looking at the dashboards without training.
 */

export interface SyntheticOptions {
  runId?: string;
  steps: number;
  stepsPerEpoch?: number;
  probeEvery?: number;
  /** Weight layers (each followed by an activation); every third has a BatchNorm. */
  layers?: number;
  classes?: number;
  valSize?: number;
  /** Gradient decay per layer towards the input (1: none; 0.25: a sigmoid-like vanishing gradient). */
  decay?: number;
  /** Validation loss turns up after this epoch (overfitting). */
  overfitAfter?: number;
  seed?: number;
}

function rng(seed: number): () => number {
  let s = seed >>> 0 || 1;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return (s >>> 0) / 4294967296;
  };
}

/** A normal distribution's histogram over mean ± 3σ (the bin counts do not depend on mean and σ). */
const GAUSS_COUNTS = Array.from({ length: 32 }, (_, i) => Math.round(400 * Math.exp(-0.5 * (-3 + ((i + 0.5) / 32) * 6) ** 2)));
function gaussHist(mean: number, std: number): Histogram {
  return { min: mean - 3 * std, max: mean + 3 * std, counts: GAUSS_COUNTS.slice() };
}

export function syntheticSummary(runId: string, state: RunSummary['state'], epochs: number, step = 0): RunSummary {
  return { id: runId, name: 'Synthetic run · mnist', state, createdAt: new Date(0).toISOString(), dataset: 'mnist', epoch: 0, epochs, step, backend: 'synthetic' };
}

export function* syntheticStream(o: SyntheticOptions): Generator<LabEvent> {
  const runId = o.runId ?? 'synthetic';
  const spe = o.stepsPerEpoch ?? 100;
  const probeEvery = o.probeEvery ?? 20;
  const L = o.layers ?? 8;
  const K = o.classes ?? 10;
  const valSize = o.valSize ?? 200;
  const decay = o.decay ?? 0.9;
  const rand = rng(o.seed ?? 7);
  const epochs = Math.ceil(o.steps / spe);
  yield { type: 'run-status', run: syntheticSummary(runId, 'running', epochs) };
  for (let step = 0; step < o.steps; step++) {
    const t = step / spe;
    if (step % probeEvery === 0) {
      const layers: LayerProbe[] = [];
      for (let l = 0; l < L; l++) {
        const g = 0.5 * decay ** (L - 1 - l) * (1 + 0.2 * rand()) * Math.exp(-t / 10);
        layers.push({
          node: `dense_${l + 1}`,
          layer: `dense_${l + 1}`,
          kind: 'weights',
          gradNorm: g,
          gradMax: g / 4,
          weightNorm: 4 + t * 0.05,
          updateRatio: 1e-3 * (1 + rand()),
          weightHist: gaussHist(0, 0.1 + 0.01 * t),
          gradHist: gaussHist(0, g / 20),
        });
      }
      for (let l = 0; l < L; l++) {
        layers.push({
          node: `relu_${l + 1}`,
          layer: `relu_${l + 1}`,
          kind: 'activation',
          activation: { mean: 0.4, std: 0.6, hist: gaussHist(0.4, 0.6), deadFraction: Math.min(1, 0.05 * l * (0.5 + t / 20)) },
        });
      }
      for (let l = 0; l < L; l += 3) {
        const C = 16;
        const run = Math.min(1, t / 2);
        layers.push({
          node: `batchnorm_${l + 1}`,
          layer: `batchnorm_${l + 1}`,
          kind: 'batchnorm',
          batchnorm: {
            runningMean: Array.from({ length: C }, (_, c) => run * Math.sin(c)),
            runningVar: Array.from({ length: C }, (_, c) => 1 + run * 0.5 * Math.cos(c)),
            batchMean: Array.from({ length: C }, (_, c) => Math.sin(c) + 0.1 * (rand() - 0.5)),
            batchVar: Array.from({ length: C }, (_, c) => 1 + 0.5 * Math.cos(c) + 0.1 * rand()),
            gamma: Array.from({ length: C }, () => 1 + 0.2 * (rand() - 0.5)),
            beta: Array.from({ length: C }, () => 0.2 * (rand() - 0.5)),
          },
        });
      }
      yield { type: 'probe', runId, step, epoch: Math.floor(t), layers };
    }
    const loss = 2.3 * Math.exp(-t / 2) + 0.1 + 0.15 * (rand() - 0.5);
    yield { type: 'step', runId, step: step + 1, epoch: Math.floor(t) + 1, loss, accuracy: Math.min(1, 1 - loss / 2.5), lr: 1e-3 * (0.5 + 0.5 * Math.cos((Math.PI * step) / o.steps)), samplesPerSec: 800 + 50 * rand() };
    if ((step + 1) % spe === 0) yield syntheticEpoch(runId, (step + 1) / spe, { K, valSize, overfitAfter: o.overfitAfter, rand });
  }
  yield { type: 'run-status', run: syntheticSummary(runId, 'completed', epochs, o.steps) };
}

export function syntheticEpoch(runId: string, epoch: number, o: { K: number; valSize: number; overfitAfter?: number; rand: () => number }): EpochEvent {
  const { K, valSize, rand } = o;
  const trainLoss = 2.3 * Math.exp(-epoch / 2) + 0.1;
  const over = o.overfitAfter !== undefined && epoch > o.overfitAfter ? 0.08 * (epoch - o.overfitAfter) : 0;
  const valLoss = 2.3 * Math.exp(-Math.min(epoch, o.overfitAfter ?? epoch) / 2) + 0.2 + over;
  const acc = Math.min(0.98, 1 - valLoss / 2.5);
  // A confusion matrix with exactly valSize samples.
  const confusion = Array.from({ length: K }, () => new Array<number>(K).fill(0));
  const cellSamples: Record<string, number[]> = {};
  const sampleTop: Record<number, [number, number][]> = {};
  for (let i = 0; i < valSize; i++) {
    const t = i % K;
    const p = rand() < acc ? t : Math.floor(rand() * K);
    confusion[t][p]++;
    const key = `${t},${p}`;
    const list = (cellSamples[key] ??= []);
    if (list.length < 64) {
      list.push(i);
      const conf = p === t ? 0.6 + 0.4 * rand() : 0.3 + 0.4 * rand();
      sampleTop[i] = [[p, conf], [(p + 1) % K, (1 - conf) * 0.7], [(p + 2) % K, (1 - conf) * 0.2]];
    }
  }
  const perClass = confusion.map((row, c) => {
    const tp = row[c];
    const support = row.reduce((a, b) => a + b, 0);
    const predicted = confusion.reduce((a, r) => a + r[c], 0);
    const precision = predicted ? tp / predicted : 0;
    const recall = support ? tp / support : 0;
    return { precision, recall, f1: precision + recall ? (2 * precision * recall) / (precision + recall) : 0, support };
  });
  const correct = confusion.reduce((a, r, i) => a + r[i], 0);
  return {
    type: 'epoch',
    runId,
    epoch,
    lr: 1e-3,
    seconds: 3 + rand(),
    train: { loss: trainLoss, accuracy: Math.min(0.99, 1 - trainLoss / 2.5) },
    val: { loss: valLoss, accuracy: correct / valSize, top5: Math.min(1, correct / valSize + 0.15), confusion, perClass, cellSamples, sampleTop },
  };
}
