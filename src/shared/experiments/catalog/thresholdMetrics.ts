import { GraphBuilder } from '../../graph/builder';
import { mlp } from '../graphs';
import { failureNote, fmtPct } from '../measures';
import type { ThresholdCounts } from '../studyMeasures';
import type { ExperimentDoc, VariantResult } from '../types';

export const POSITIVE_CLASS = 5;
/** Share of positives (digit 5) in the training and validation splits. */
export const POSITIVE_SHARE = 0.05;

/** What the threshold study measures per variant, from the validation scores. */
export interface ThresholdStudy {
  model: 'majority' | 'logistic' | 'mlp';
  prevalence: number;
  positives: number;
  samples: number;
  /** Average precision (area under the PR curve, no interpolation) and ROC AUC. */
  ap: number;
  auc: number;
  /** Precision, recall, F1 and accuracy at the default threshold 0.5. */
  at05: { precision: number; recall: number; f1: number; accuracy: number };
  bestF1: { threshold: number; f1: number };
  /** Counts at the thresholds 0, 0.01, …, 1 (curves and the threshold slider). */
  table: ThresholdCounts[];
}

export const thresholdOf = (r: VariantResult): ThresholdStudy | undefined => (r.study && 'table' in r.study ? (r.study as unknown as ThresholdStudy) : undefined);

const input: [number, number, number] = [28, 28, 1];

/** Logistic regression: flatten → one Dense unit (the study applies the sigmoid and BCE). */
function logistic() {
  const b = new GraphBuilder({ name: 'Logistic regression', input });
  const x = b.add('reshape/flatten', {}, b.input());
  b.add('head/classify', { classes: 2 }, x, { label: 'head' });
  return b.build();
}

export const thresholdMetrics: ExperimentDoc = {
  id: 'threshold-metrics',
  title: 'Metrics under a threshold: accuracy vs PR/ROC on imbalanced data',
  concept: 'Metrics: precision/recall/F1, PR and ROC curves, AP',
  notes: { files: ['001', '002', '003', '004'], section: 'domain §6 Metrics (classification); §4 Class imbalance: accuracy misleads' },
  claim: 'On imbalanced data accuracy barely separates a useless classifier from a good one, while average precision (the PR curve) does; precision and recall trade off through the decision threshold, and 0.5 is rarely the best one.',
  explanation:
    `A binary task from MNIST: “is it a ${POSITIVE_CLASS}?”, with ${POSITIVE_SHARE * 100}% positives in training and validation. Three models: the majority rule (always “no”), logistic regression and a one-hidden-layer MLP, both trained with binary cross-entropy. ` +
    'Every validation image gets a score; a threshold turns scores into decisions. Move the slider to see precision, recall and F1 change along the PR and ROC curves. AP summarises the PR curve (a constant score gets AP = the positive rate); ROC AUC is the chance that a random positive outscores a random negative.',
  formula: 'P = TP/(TP+FP), R = TP/(TP+FN), F1 = 2PR/(P+R);  TPR = R, FPR = FP/(FP+TN);  AP = Σ_n (R_n − R_{n−1})·P_n;  AUC = P(s⁺ > s⁻)',
  dataset: 'mnist',
  kind: 'trained',
  study: true,
  config: { epochs: 6, batchSize: 32, trainLimit: 2000, valLimit: 1000, probeEvery: 0, optimizer: { name: 'adam', lr: 0.001 }, schedule: { name: 'constant' } },
  variants: [
    { id: 'majority', name: 'Majority rule', description: `Always “not a ${POSITIVE_CLASS}” (score 0 for every image): no training.`, graph: logistic, study: { model: 'majority' } },
    { id: 'logistic', name: 'Logistic regression', description: 'One linear unit + sigmoid, BCE.', graph: logistic, study: { model: 'logistic' } },
    { id: 'mlp', name: 'MLP 784→64→1', description: 'One hidden ReLU layer of 64 + sigmoid, BCE.', graph: () => ({ ...mlp({ name: 'MLP 784→64→1', input, depth: 1, width: 64, activation: 'relu', classes: 2 }) }), study: { model: 'mlp' } },
  ],
  metric: { key: 'ap', label: 'average precision', better: 'higher', format: 'percent' },
  charts: ['pr_roc', 'val_loss', 'train_loss'],
  estimatedSeconds: 20,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, thresholdOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        return [r.variant, { ap: m?.ap ?? null, roc_auc: m?.auc ?? null, accuracy_at_05: m?.at05.accuracy ?? null, f1_at_05: m?.at05.f1 ?? null, best_f1: m?.bestF1.f1 ?? null, best_threshold: m?.bestF1.threshold ?? null }];
      }),
    );
    const maj = s.majority;
    const good = s.mlp ?? s.logistic;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    let detail = 'missing variants';
    if (maj && good) {
      const accGap = good.at05.accuracy - maj.at05.accuracy;
      const apGap = good.ap - maj.ap;
      detail = `accuracy ${fmtPct(maj.at05.accuracy)} → ${fmtPct(good.at05.accuracy)} (${(accGap * 100).toFixed(1)} pts), AP ${fmtPct(maj.ap)} → ${fmtPct(good.ap)} (${(apGap * 100).toFixed(1)} pts)`;
      direction = apGap > 5 * Math.max(accGap, 0.001) ? 'supports' : apGap <= accGap ? 'contradicts' : 'inconclusive';
    }
    const line = (r: VariantResult): string => {
      const m = s[r.variant];
      if (!m) return `${r.name}: ${failureNote(r) || 'no scores'}`;
      return `${r.name}: accuracy ${fmtPct(m.at05.accuracy)}, AP ${fmtPct(m.ap)}, ROC AUC ${m.auc.toFixed(3)}, F1 ${m.at05.f1.toFixed(3)} at 0.5${m.model !== 'majority' ? ` (best ${m.bestF1.f1.toFixed(3)} at ${m.bestF1.threshold.toFixed(2)})` : ''}`;
    };
    const text =
      `${results.map(line).join('; ')}.` +
      (maj ? ` With ${fmtPct(maj.prevalence)} positives, never saying “${POSITIVE_CLASS}” is already ${fmtPct(maj.at05.accuracy)} accurate, yet its AP is the positive rate and it finds none of them.` : '');
    return {
      text,
      effect: { claim: 'the trained model’s AP gain over the majority rule is at least 5× its accuracy gain', direction, detail },
      perVariant,
      measurements: { prevalence: maj?.prevalence ?? good?.prevalence ?? null },
    };
  },
};
