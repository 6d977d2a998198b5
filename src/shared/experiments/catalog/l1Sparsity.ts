import { mlp } from '../graphs';
import { failureNote, finalValAccuracy, fmtPct } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';

/** The weight histograms span ±WEIGHT_RANGE (41 bins; the middle one holds 0). */
export const WEIGHT_RANGE = 0.2;
const L1 = 3e-3;
const L2 = 5e-3;
const LR = 0.1;

/** What the sparsity study measures per variant (first Dense layer, 784×64 weights, after training). */
export interface SparsityStudy {
  penalty: 'none' | 'l1' | 'l2';
  proximal: boolean;
  lambda: number;
  weights: number;
  /** Share of weights exactly 0, and with |w| < 1e-3. */
  zeros: { exact: number; small: number };
  meanAbs: number;
  maxAbs: number;
  histogram: { edges: number[]; counts: number[] };
  zerosOverTime: { epoch: number; exact: number; small: number }[];
}

export const sparsityOf = (r: VariantResult): SparsityStudy | undefined => (r.study && 'zeros' in r.study ? (r.study as unknown as SparsityStudy) : undefined);

const graph = () => mlp({ name: 'MLP 784→64→10', input: [28, 28, 1], depth: 1, width: 64, activation: 'relu' });

export const l1Sparsity: ExperimentDoc = {
  id: 'l1-sparsity',
  title: 'L1 makes weights exactly zero, L2 only small',
  concept: 'L1/L2 regularization / weight decay',
  notes: { files: ['000', '002', '004'], section: 'domain §3 Regularization: L1 sparsity vs L2 / weight decay' },
  claim: 'An L1 penalty drives many weights to exactly zero (a sparse network); L2 shrinks every weight towards zero but leaves almost none at exactly zero.',
  explanation:
    `One MLP (784→64→10) on 2,000 MNIST images, plain SGD (lr ${LR}), four ways: no penalty, L2 (λ = ${L2}), and L1 (λ = ${L1}) applied two ways. ` +
    'L2’s gradient λ·w shrinks a weight in proportion to its size, so it approaches 0 but never lands there. L1’s gradient λ·sign(w) has the same size however small w is, so weights are pushed all the way — but with plain (sub)gradient steps they overshoot and jitter around 0 instead of sitting on it (004: “L1 needs custom code”). ' +
    'The proximal step (ISTA) applies the L1 penalty as a soft threshold after every SGD step, w ← sign(w)·max(|w| − η·λ, 0), which sets weights exactly to zero. The histogram is the first layer’s 50,176 weights; “exact zeros” counts w = 0 exactly, “small” |w| < 10⁻³.',
  formula: 'L1: J + λ·Σ|w|, ∂/∂w = λ·sgn(w);  L2: J + λ/2·Σw², ∂/∂w = λ·w;  proximal L1: w ← sgn(w)·max(|w| − ηλ, 0)',
  dataset: 'mnist',
  kind: 'trained',
  study: true,
  config: { epochs: 12, batchSize: 32, trainLimit: 2000, valLimit: 500, probeEvery: 0, optimizer: { name: 'sgd', lr: LR }, schedule: { name: 'constant' } },
  variants: [
    { id: 'none', name: 'No penalty', description: 'Plain SGD on the cross-entropy.', graph, study: { penalty: 'none' } },
    { id: 'l2', name: `L2 λ = ${L2}`, description: `Cross-entropy + ${L2}/2·‖W‖² (weight decay).`, graph, study: { penalty: 'l2', lambda: L2 } },
    { id: 'l1_subgradient', name: `L1 λ = ${L1} (subgradient)`, description: `Cross-entropy + ${L1}·Σ|w|, its subgradient λ·sign(w) in every SGD step (as a lab run’s regularization.l1 does).`, graph, study: { penalty: 'l1', lambda: L1, proximal: false } },
    { id: 'l1_proximal', name: `L1 λ = ${L1} (proximal)`, description: `The same L1 penalty as a soft threshold after every SGD step (ISTA): w ← sign(w)·max(|w| − η·${L1}, 0).`, graph, study: { penalty: 'l1', lambda: L1, proximal: true } },
  ],
  metric: { key: 'exact_zeros', label: 'first-layer weights exactly 0', better: 'higher', format: 'percent' },
  charts: ['weight_histogram', 'val_accuracy', 'train_loss'],
  estimatedSeconds: 20,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, sparsityOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        return [r.variant, { exact_zeros: m?.zeros.exact ?? null, below_1e3: m?.zeros.small ?? null, mean_abs_weight: m?.meanAbs ?? null, val_accuracy: finalValAccuracy(r) }];
      }),
    );
    const none = s.none;
    const l2 = s.l2;
    const prox = s.l1_proximal;
    const sub = s.l1_subgradient;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (none && l2 && prox) {
      const l1Sparse = prox.zeros.exact >= 0.2 && prox.zeros.exact > 10 * Math.max(l2.zeros.exact, 1e-4);
      const l2Small = l2.meanAbs < none.meanAbs && l2.zeros.exact < 0.01;
      direction = l1Sparse && l2Small ? 'supports' : !l1Sparse && prox.zeros.exact <= l2.zeros.exact ? 'contradicts' : 'inconclusive';
    }
    const line = (id: string): string => {
      const r = results.find((x) => x.variant === id);
      const m = s[id];
      if (!r) return '';
      if (!m) return `${r.name}: ${failureNote(r) || 'no weights measured'}`;
      return `${r.name}: ${fmtPct(m.zeros.exact)} exactly 0, ${fmtPct(m.zeros.small)} below 10⁻³, mean |w| ${m.meanAbs.toFixed(4)}, accuracy ${fmtPct(finalValAccuracy(r))}`;
    };
    const text =
      `${results.map((r) => line(r.variant)).join('. ')}.` +
      (sub && prox ? ` The same L1 penalty as a subgradient leaves ${fmtPct(sub.zeros.exact)} exactly zero (weights jitter around 0 by ±η·λ) against ${fmtPct(prox.zeros.exact)} with the proximal step.` : '');
    return {
      text,
      effect: {
        claim: 'proximal L1: ≥ 20% of weights exactly 0 (and 10× L2’s share); L2: smaller mean |w| than no penalty, < 1% exact zeros',
        direction,
        detail: none && l2 && prox ? `exact zeros: none ${fmtPct(none.zeros.exact)}, L2 ${fmtPct(l2.zeros.exact)}, L1 proximal ${fmtPct(prox.zeros.exact)}; mean |w| none ${none.meanAbs.toFixed(4)} → L2 ${l2.meanAbs.toFixed(4)}` : 'missing weights',
      },
      perVariant,
      measurements: { histograms: Object.fromEntries(results.map((r) => [r.variant, s[r.variant]?.histogram ?? null])), zerosOverTime: Object.fromEntries(results.map((r) => [r.variant, s[r.variant]?.zerosOverTime ?? []])) },
    };
  },
};
