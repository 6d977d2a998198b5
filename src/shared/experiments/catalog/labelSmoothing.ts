import { cnn } from '../graphs';
import { confidenceStats, failureNote, finalValAccuracy, fmtPct, fmtPts } from '../measures';
import type { ExperimentDoc } from '../types';

const input: [number, number, number] = [28, 28, 1];
const ALPHA = 0.1;
const K = 10;
const graph = () => cnn({ name: 'CNN', input, filters: [16, 32, 32], pool: 'flatten' });

export const labelSmoothing: ExperimentDoc = {
  id: 'label-smoothing',
  title: 'Label smoothing on / off: prediction confidence',
  concept: 'Label smoothing',
  notes: { files: ['001', '003'], section: 'domain §2 Losses: label smoothing' },
  claim: `Label smoothing (α = ${ALPHA}) makes the network less over-confident: its top-1 probabilities stop piling up at 1.`,
  explanation:
    `The same CNN trained with one-hot targets and with smoothed ones. With cross-entropy on one-hot targets the loss only reaches 0 as the logit gap goes to infinity, so confidence keeps climbing; the smoothed target asks for 1 − α + α/K = ${(1 - ALPHA + ALPHA / K).toFixed(2)} on the true class and α/K = ${(ALPHA / K).toFixed(2)} elsewhere, a finite logit gap. ` +
    'The histogram is the top-1 probability of every validation image in the last evaluation; ECE compares confidence with accuracy in 10 bins. (003 writes the target as 1 − α; the correct value adds α/K.)',
  formula: `ŷ = y_onehot·(1 − α) + α/K  (α = ${ALPHA}, K = ${K});  target on the true class 1 − α + α/K = ${(1 - ALPHA + ALPHA / K).toFixed(2)};  ECE = Σ_b |B_b|/n · |acc(B_b) − conf(B_b)|`,
  dataset: 'mnist',
  kind: 'trained',
  config: {
    epochs: 3,
    batchSize: 64,
    trainLimit: 3072,
    valLimit: 400,
    probeEvery: 0,
    optimizer: { name: 'adam', lr: 0.001 },
    schedule: { name: 'constant' },
  },
  variants: [
    { id: 'off', name: 'One-hot targets', description: 'Cross-entropy on one-hot labels.', graph },
    { id: 'on', name: `Label smoothing α = ${ALPHA}`, description: `Cross-entropy on targets smoothed with α = ${ALPHA}.`, graph, config: { loss: { labelSmoothing: ALPHA } } },
  ],
  metric: { key: 'mean_confidence', label: 'mean top-1 confidence', better: 'lower', format: 'percent' },
  charts: ['confidence_histogram', 'train_loss', 'val_accuracy'],
  estimatedSeconds: 35,
  verdict(results) {
    const stats = Object.fromEntries(results.map((r) => [r.variant, confidenceStats(r.confidence)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const s = stats[r.variant];
        return [r.variant, { mean_confidence: s?.mean ?? null, over_99: s?.over99 ?? null, ece: s?.ece ?? null, val_accuracy: finalValAccuracy(r), samples: s?.n ?? null }];
      }),
    );
    const off = stats.off;
    const on = stats.on;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (off && on) {
      if (on.mean < off.mean && on.over99 < off.over99) direction = 'supports';
      else if (on.mean >= off.mean) direction = 'contradicts';
    }
    const describe = (id: string): string => {
      const r = results.find((x) => x.variant === id);
      const s = stats[id];
      if (!r) return '';
      if (!s) return `${r.name}: ${failureNote(r) || 'no confidence data'}`;
      return `${r.name}: mean top-1 confidence ${fmtPct(s.mean)}, ${fmtPct(s.over99)} of predictions ≥ 99%, ECE ${fmtPct(s.ece)}, accuracy ${fmtPct(finalValAccuracy(r))}`;
    };
    const accOff = perVariant.off?.val_accuracy ?? null;
    const accOn = perVariant.on?.val_accuracy ?? null;
    const text =
      `${results.map((r) => describe(r.variant)).join('. ')}. ` +
      (off && on ? `Smoothing moves the mean confidence by ${fmtPts(on.mean - off.mean)} at ${fmtPts(accOn !== null && accOff !== null ? accOn - accOff : null)} accuracy; the smoothed loss is lowest at p = 1 − α + α/K = ${(1 - ALPHA + ALPHA / K).toFixed(2)} on the true class.` : '');
    return {
      text,
      effect: { claim: 'smoothed: lower mean top-1 confidence and fewer ≥ 99% predictions', direction, detail: off && on ? `mean ${fmtPct(off.mean)} → ${fmtPct(on.mean)}, ≥ 99%: ${fmtPct(off.over99)} → ${fmtPct(on.over99)}` : 'missing confidence data' },
      perVariant,
      measurements: { histograms: Object.fromEntries(results.map((r) => [r.variant, stats[r.variant]?.histogram ?? null])), bins: Array.from({ length: 11 }, (_, i) => i / 10) },
    };
  },
};
