import { mlp } from '../graphs';
import { failureNote, finalValAccuracy, fmtPct, fmtPts } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';

export const MAJORITY_CLASSES: readonly number[] = [0, 1, 2, 3, 4];
export const MINORITY_CLASSES: readonly number[] = [5, 6, 7, 8, 9];
export const MAJORITY_PER_CLASS = 400;
export const MINORITY_PER_CLASS = 12;
const GAMMA = 2;

/** What the class-imbalance study measures per variant (recall on the balanced validation split). */
export interface ImbalanceStudy {
  remedy: 'none' | 'oversample' | 'reweight' | 'focal';
  /** Training images per class (the imbalanced split). */
  trainCounts: number[];
  classWeights: number[] | null;
  /** Recall per class, last epoch. */
  recall: (number | null)[];
  minorityRecall: number;
  majorityRecall: number;
  recallOverTime: { epoch: number; minority: number; majority: number }[];
}

export const imbalanceOf = (r: VariantResult): ImbalanceStudy | undefined => (r.study && 'minorityRecall' in r.study ? (r.study as unknown as ImbalanceStudy) : undefined);

const graph = () => mlp({ name: 'MLP 784→64→10', input: [28, 28, 1], depth: 1, width: 64, activation: 'relu' });

export const classImbalance: ExperimentDoc = {
  id: 'class-imbalance',
  title: 'Class imbalance: resampling, reweighting, focal loss',
  concept: 'Class imbalance',
  notes: { files: ['000', '001', '003', '004'], section: 'domain §4 Class imbalance; §2 focal loss' },
  claim: 'Trained on a skewed split, a classifier neglects the rare classes; resampling, class reweighting and focal loss each raise the rare classes’ recall.',
  explanation:
    `An imbalanced split of MNIST: digits 0–4 keep ${MAJORITY_PER_CLASS} training images each, digits 5–9 only ${MINORITY_PER_CLASS} (${Math.round(MAJORITY_PER_CLASS / MINORITY_PER_CLASS)}:1); the validation split stays balanced, so recall per class shows who is neglected. ` +
    'The same MLP and Adam settings, four remedies: none; oversampling (every sample drawn from a uniformly chosen class, so rare images repeat); reweighting (each sample’s cross-entropy weighted by 1/its class count, normalised to mean 1); ' +
    `focal loss (γ = ${GAMMA}, no α: easy, confident samples — mostly the common classes — are down-weighted by (1 − p_t)^γ). Cross-entropy’s gradient is dominated by the frequent classes; each remedy rebalances it a different way.`,
  formula: `CE_w = −Σ w_{y}·log p_y / Σ w_y, w_k ∝ 1/n_k;  FL = −(1 − p_t)^γ·log p_t (γ = ${GAMMA});  resampling: P(class k) = 1/K`,
  dataset: 'mnist',
  kind: 'trained',
  study: true,
  config: { epochs: 8, batchSize: 32, valLimit: 600, probeEvery: 0, optimizer: { name: 'adam', lr: 0.001 }, schedule: { name: 'constant' }, loss: { focalGamma: GAMMA } },
  variants: [
    { id: 'none', name: 'No remedy', description: 'Cross-entropy on the imbalanced split.', graph, study: { remedy: 'none' } },
    { id: 'oversample', name: 'Oversampling', description: 'Class-balanced sampling: each sample of an epoch comes from a uniformly chosen class.', graph, study: { remedy: 'oversample' } },
    { id: 'reweight', name: 'Class weights', description: 'Cross-entropy with per-sample weight ∝ 1 / (its class’s training count).', graph, study: { remedy: 'reweight' } },
    { id: 'focal', name: `Focal loss γ = ${GAMMA}`, description: `−(1 − p_t)^${GAMMA}·log p_t instead of cross-entropy (no class weights).`, graph, study: { remedy: 'focal' } },
  ],
  metric: { key: 'minority_recall', label: 'mean recall of the rare digits 5–9', better: 'higher', format: 'percent' },
  charts: ['class_recall', 'val_accuracy', 'train_loss'],
  estimatedSeconds: 25,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, imbalanceOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        return [r.variant, { minority_recall: m?.minorityRecall ?? null, majority_recall: m?.majorityRecall ?? null, balanced_accuracy: finalValAccuracy(r) }];
      }),
    );
    const base = s.none;
    const baseRun = results.find((r) => r.variant === 'none');
    // Two standard errors of a difference of two recalls over the rare classes' validation images.
    const nRare = baseRun?.valSamples ? (baseRun.valSamples * MINORITY_CLASSES.length) / 10 : 0;
    const noise = base && nRare ? 2 * Math.sqrt((2 * base.minorityRecall * (1 - base.minorityRecall)) / nRare) : null;
    const remedies = ['oversample', 'reweight', 'focal'].filter((id) => s[id]);
    const gains = Object.fromEntries(remedies.map((id) => [id, base ? s[id]!.minorityRecall - base.minorityRecall : null]));
    const helped = remedies.filter((id) => gains[id] !== null && noise !== null && gains[id]! > noise);
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (base && remedies.length === 3 && noise !== null) direction = helped.length === 3 ? 'supports' : helped.length === 0 ? 'contradicts' : 'inconclusive';
    const line = (r: VariantResult): string => {
      const m = s[r.variant];
      if (!m) return `${r.name}: ${failureNote(r) || 'no recall measured'}`;
      return `${r.name}: rare digits ${fmtPct(m.minorityRecall)}, common digits ${fmtPct(m.majorityRecall)} recall${r.variant !== 'none' && gains[r.variant] !== null ? ` (${fmtPts(gains[r.variant])} on the rare ones)` : ''}`;
    };
    const text =
      `${results.map(line).join('; ')}.` +
      (base ? ` Without a remedy the rare digits are recalled ${(Math.abs(base.minorityRecall - base.majorityRecall) * 100).toFixed(1)} points ${base.minorityRecall < base.majorityRecall ? 'below' : 'above'} the common ones.` : '') +
      (noise !== null && remedies.length ? ` Measurably better on the rare digits: ${helped.length ? helped.map((id) => results.find((r) => r.variant === id)!.name).join(', ') : 'none of the remedies'}.` : '') +
      (noise !== null ? ` Differences under ${(noise * 100).toFixed(1)} points are within what ${Math.round(nRare)} rare validation images can resolve.` : '');
    return {
      text,
      effect: {
        claim: 'each remedy raises the rare digits’ recall by more than the validation noise',
        direction,
        detail: base ? `rare-digit recall: none ${fmtPct(base.minorityRecall)}; ${remedies.map((id) => `${id} ${fmtPct(s[id]!.minorityRecall)}`).join(', ')}` : 'missing the baseline',
      },
      perVariant,
      measurements: { recall: Object.fromEntries(results.map((r) => [r.variant, s[r.variant]?.recall ?? null])), trainCounts: base?.trainCounts ?? null, noise },
    };
  },
};
