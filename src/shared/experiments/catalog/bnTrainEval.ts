import { GraphBuilder } from '../../graph/builder';
import { failureNote, fmtPct } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';

export const CONV_FILTERS: readonly number[] = [8, 16];
export const DENSE_UNITS = 32;
export const BN_MOMENTUM = 0.1;
export const BN_EPS = 1e-5;

/** What the BN study measures per variant, on the validation split after training. */
export interface BnModesStudy {
  trainBatch: number;
  steps: number;
  /**
   * Accuracy with running statistics (eval); left in train mode (batch statistics) on shuffled batches of 64, on
   * batches of 64 in class order, and one image at a time; and with BN folded into the convs.
   */
  accuracy: { eval: number; train64: number; trainSorted: number; train1: number; folded: number };
  /** Largest |logit| difference between the folded model and the eval-mode model. */
  foldedMaxLogitDiff: number;
  foldedParams: number;
  bnParams: number;
}

export const bnModesOf = (r: VariantResult): BnModesStudy | undefined => (r.study && 'foldedMaxLogitDiff' in r.study ? (r.study as unknown as BnModesStudy) : undefined);

function graph() {
  const b = new GraphBuilder({ name: 'CNN conv-BN-ReLU ×2, Dense-BN-ReLU', input: [28, 28, 1] });
  let x = b.input();
  CONV_FILTERS.forEach((f, i) => {
    x = b.add('core/conv2d', { filters: f, kernel: 3, stride: 2, padding: 'same', bias: false }, x, { label: `conv${i + 1}` });
    x = b.add('norm/batchnorm', {}, x, { label: `bn${i + 1}` });
    x = b.add('act/relu', {}, x, { label: `relu${i + 1}` });
  });
  x = b.add('reshape/flatten', {}, x);
  x = b.add('core/dense', { units: DENSE_UNITS, bias: false }, x, { label: 'dense' });
  x = b.add('norm/batchnorm', {}, x, { label: 'bn3' });
  x = b.add('act/relu', {}, x, { label: 'relu3' });
  b.add('head/classify', { classes: 10 }, x, { label: 'head' });
  return b.build();
}

const BATCHES = [64, 8, 2];

export const bnTrainEval: ExperimentDoc = {
  id: 'bn-train-eval',
  title: 'BatchNorm train vs eval: tiny batches, train mode at inference, folding',
  concept: 'Batch Normalization',
  notes: { files: ['004'], section: 'domain §5 BN behaviour (train/eval, batch < 4, Conv–BN fusion); §1 Normalization' },
  claim: 'BN normalises with batch statistics in training and running statistics in eval: a model left in train mode at inference depends on the batch it sees (badly for one image at a time), tiny training batches make the statistics noisy, and at inference BN folds exactly into the preceding conv.',
  explanation:
    `A small CNN (conv 3×3 stride 2 → BN → ReLU, twice, then Dense 32 → BatchNorm1d → ReLU and a linear head) on 1,000 MNIST images with Adam, trained at batch sizes ${BATCHES.join(', ')} for the same number of epochs. ` +
    `In training BN uses each batch’s mean and variance and keeps running averages (momentum ${BN_MOMENTUM}); model.eval() switches to those running statistics. After training every variant is evaluated five ways: eval mode; left in train mode on shuffled validation batches of 64; in train mode on batches of 64 taken in class order (a stream of mostly one digit, so the batch statistics follow the digit); in train mode one image at a time (the conv BNs then average over one image’s positions, and the BatchNorm1d over a single sample, whose variance is 0, so it outputs β whatever the image); and with BN folded into the conv weights, which is exact in eval mode.`,
  formula: `train: y = γ(x − μ_B)/√(σ²_B + ε) + β;  eval: μ_B, σ²_B → running μ, σ² (EMA, momentum ${BN_MOMENTUM});  fold: W′ = W·γ/√(σ² + ε),  b′ = β − γμ/√(σ² + ε)`,
  dataset: 'mnist',
  kind: 'trained',
  study: true,
  config: { epochs: 3, trainLimit: 1000, valLimit: 500, probeEvery: 0, optimizer: { name: 'adam', lr: 0.001 }, schedule: { name: 'constant' } },
  variants: BATCHES.map((b) => ({ id: `batch${b}`, name: `Batch ${b}`, description: `Trained with batches of ${b}${b < 4 ? ' (below 4: noisy batch statistics)' : ''}.`, graph, config: { batchSize: b } })),
  metric: { key: 'eval_accuracy', label: 'validation accuracy in eval mode', better: 'higher', format: 'percent' },
  charts: ['bn_modes', 'val_accuracy', 'train_loss'],
  estimatedSeconds: 40,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, bnModesOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        return [
          r.variant,
          { eval_accuracy: m?.accuracy.eval ?? null, train_mode_b64_accuracy: m?.accuracy.train64 ?? null, train_mode_sorted_accuracy: m?.accuracy.trainSorted ?? null, train_mode_b1_accuracy: m?.accuracy.train1 ?? null, folded_accuracy: m?.accuracy.folded ?? null, folded_max_logit_diff: m?.foldedMaxLogitDiff ?? null },
        ];
      }),
    );
    const measured = results.map((r) => s[r.variant]).filter((m): m is BnModesStudy => m !== undefined);
    const big = s.batch64;
    const tiny = s.batch2;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    const foldExact = measured.length > 0 && measured.every((m) => m.foldedMaxLogitDiff < 1e-3 && m.accuracy.folded === m.accuracy.eval);
    const trainModeHurts = big ? big.accuracy.trainSorted < big.accuracy.eval - 0.02 && big.accuracy.train1 < big.accuracy.eval - 0.2 : false;
    if (big && measured.length === results.length) direction = foldExact && trainModeHurts ? 'supports' : !foldExact || big.accuracy.trainSorted >= big.accuracy.eval ? 'contradicts' : 'inconclusive';
    const line = (r: VariantResult): string => {
      const m = s[r.variant];
      if (!m) return `${r.name}: ${failureNote(r) || 'not measured'}`;
      return `${r.name} (${m.steps} steps): eval ${fmtPct(m.accuracy.eval)}, train mode on shuffled batches of 64 ${fmtPct(m.accuracy.train64)}, on batches in class order ${fmtPct(m.accuracy.trainSorted)}, one image at a time ${fmtPct(m.accuracy.train1)}, folded ${fmtPct(m.accuracy.folded)} (max |Δlogit| ${m.foldedMaxLogitDiff.toExponential(1)})`;
    };
    const text =
      `${results.map(line).join('; ')}.` +
      (big && tiny ? ` Batch 2 against batch 64 in eval mode: ${fmtPct(tiny.accuracy.eval)} vs ${fmtPct(big.accuracy.eval)}; the gap between train-mode (batch 64) and eval-mode accuracy is ${((tiny.accuracy.train64 - tiny.accuracy.eval) * 100).toFixed(1)} points for batch 2 and ${((big.accuracy.train64 - big.accuracy.eval) * 100).toFixed(1)} for batch 64.` : '');
    return {
      text,
      effect: {
        claim: 'folding BN is exact (|Δlogit| < 10⁻³, same accuracy) and batch-64 BN left in train mode loses > 2 points on batches in class order and > 20 points one image at a time',
        direction,
        detail: big ? `batch 64: eval ${fmtPct(big.accuracy.eval)}, train mode on batches in class order ${fmtPct(big.accuracy.trainSorted)}, one image at a time ${fmtPct(big.accuracy.train1)}, folded ${fmtPct(big.accuracy.folded)} (max |Δlogit| ${big.foldedMaxLogitDiff.toExponential(1)})` : 'batch 64 not measured',
      },
      perVariant,
      measurements: {},
    };
  },
};
