import { GraphBuilder } from '../../graph/builder';
import { failureNote, fmtPct } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';

export type OutputKind = 'softmax' | 'sigmoid';
export type OutputTask = 'single' | 'multi';

export const HIDDEN_UNITS = 256;
/** A class is predicted when its probability reaches this (the usual multi-label rule). */
export const DECISION = 0.5;
/** Bins of the Σp histogram over [SUM_MIN, SUM_MAX], 0.1 wide and centred on 0, 0.1 … 1 … (the last bin takes everything above). */
export const SUM_BINS = 24;
export const SUM_MIN = -0.05;
export const SUM_MAX = 2.35;
/** Bins of the reliability diagram and of the OOD max-probability histogram over [0, 1]. */
export const PROB_BINS = 10;

/** Confidence bin of a reliability diagram: mean top-1 probability, accuracy, and how many images fell in it. */
export interface ReliabilityBin {
  confidence: number;
  accuracy: number;
  count: number;
}

/** What the output study measures per variant on three fixed test sets. */
export interface OutputStudy {
  output: OutputKind;
  task: OutputTask;
  /** Single-digit MNIST validation images. */
  single: {
    images: number;
    accuracy: number;
    /** Mean of Σ_k p_k per image (softmax: 1 by construction). */
    meanSum: number;
    /** Mean |Σ_k p_k − 1|. */
    meanSumError: number;
    /** Share of images per Σp bin (SUM_BINS over [SUM_MIN, SUM_MAX]). */
    sumHistogram: number[];
    /** Mean top-1 probability, and expected calibration error (ECE, PROB_BINS equal-width bins). */
    meanConfidence: number;
    ece: number;
    reliability: ReliabilityBin[];
    /** Share of images where no class reaches DECISION (the model says "none of these"). */
    noneShare: number;
  };
  /** Two different validation digits overlaid (pixel maximum): the answer is a set of two classes. */
  pairs: {
    images: number;
    /** The predicted set {k : p_k ≥ DECISION} equals the two true digits. */
    exactSet: number;
    /** Mean number of classes at or above DECISION. */
    meanLabels: number;
    /** Share of the true digits among the two highest-scoring classes (the ranking, given the count). */
    top2Recall: number;
    /** Share of images with 0, 1, 2 and 3+ classes at or above DECISION. */
    labelCounts: number[];
  };
  /** Fashion-MNIST images (clothes, not digits): there is no right class. */
  ood: {
    images: number;
    meanMax: number;
    /** Share of images where some digit class still reaches DECISION. */
    confidentShare: number;
    /** Share of images per max-probability bin (PROB_BINS over [0, 1]). */
    maxHistogram: number[];
    /** ROC AUC of the max probability separating digits (positive) from clothes. */
    auroc: number;
  };
}

export const outputOf = (r: VariantResult): OutputStudy | undefined => (r.study && 'pairs' in r.study && 'ood' in r.study ? (r.study as unknown as OutputStudy) : undefined);

const TITLES: Record<OutputKind, string> = { softmax: 'Softmax + cross-entropy', sigmoid: 'Sigmoids + BCE' };

function graph(output: OutputKind, task: OutputTask) {
  return () => {
    const b = new GraphBuilder({ name: `MLP ${HIDDEN_UNITS} · ${TITLES[output]} · ${task === 'single' ? 'one digit' : 'one or two digits'}`, input: [28, 28, 1] });
    let x = b.add('reshape/flatten', {}, b.input());
    x = b.add('core/dense', { units: HIDDEN_UNITS }, x, { label: 'dense1' });
    x = b.add('act/relu', {}, x, { label: 'relu1' });
    b.add('head/classify', { classes: 10 }, x, { label: 'head' });
    return b.build();
  };
}

const variant = (output: OutputKind, task: OutputTask, description: string) => ({
  id: task === 'single' ? output : `${output}_multi`,
  name: `${TITLES[output]}${task === 'multi' ? ' · trained on 1–2 digits' : ''}`,
  description,
  graph: graph(output, task),
  config: { loss: { name: output === 'softmax' ? ('cross_entropy' as const) : ('bce' as const) } },
  study: { output, task },
});

export const softmaxSigmoid: ExperimentDoc = {
  id: 'softmax-vs-sigmoid',
  title: 'Softmax vs sigmoid outputs: one class, several, or none',
  concept: 'Activations',
  notes: { files: ['000', '001', '002', '004'], section: 'domain §1 Activations (softmax, sigmoid); §3 multi-class vs multi-label; 004 Ans22' },
  claim:
    'Softmax with cross-entropy turns the logits into one distribution (Σp = 1, classes exclude each other) and suits single-label classification; independent sigmoids with BCE give per-class probabilities that do not sum to one, so they can name several classes (multi-label) or none.',
  explanation:
    `A ${HIDDEN_UNITS}-unit MLP (the lab's compiled graph and its loss: cross_entropy or bce) on 2,000 MNIST digits, Adam, 5 epochs. ` +
    'Two variants learn single digits, two learn images of one or two overlaid digits (targets: both digits; softmax gets ½ each). ' +
    `All four are measured on the same three sets: single validation digits (accuracy, Σp, calibration), pairs of overlaid digits (is the set {k : p_k ≥ ${DECISION}} exactly the two digits?) and Fashion-MNIST clothes that are no digit at all (does any class still reach ${DECISION}?).`,
  formula: 'softmax: p_k = e^{z_k} / Σ_j e^{z_j}, Σp = 1, L = −Σ y_k log p_k;  sigmoid: p_k = 1 / (1 + e^{−z_k}) each, L = −Σ [y_k log p_k + (1 − y_k) log(1 − p_k)]',
  dataset: 'mnist',
  kind: 'trained',
  study: true,
  config: { epochs: 5, batchSize: 32, trainLimit: 2000, valLimit: 500, probeEvery: 0, optimizer: { name: 'adam', lr: 1e-3 }, schedule: { name: 'constant' } },
  variants: [
    variant('softmax', 'single', 'One digit per image; softmax over the 10 logits, cross-entropy.'),
    variant('sigmoid', 'single', 'One digit per image; a sigmoid per logit, binary cross-entropy per class.'),
    variant('softmax', 'multi', 'Half the images hold two overlaid digits; target ½ on each, cross-entropy.'),
    variant('sigmoid', 'multi', 'Half the images hold two overlaid digits; target 1 on each, BCE.'),
  ],
  metric: { key: 'pair_exact', label: 'two-digit images: exact set at p ≥ 0.5', better: 'higher', format: 'percent' },
  charts: ['output_probs', 'train_loss'],
  estimatedSeconds: 60,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, outputOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        return [
          r.variant,
          {
            pair_exact: m?.pairs.exactSet ?? null,
            accuracy: m?.single.accuracy ?? null,
            mean_sum: m?.single.meanSum ?? null,
            sum_error: m?.single.meanSumError ?? null,
            ece: m?.single.ece ?? null,
            pair_labels: m?.pairs.meanLabels ?? null,
            top2_recall: m?.pairs.top2Recall ?? null,
            ood_confident: m?.ood.confidentShare ?? null,
            ood_mean_max: m?.ood.meanMax ?? null,
          },
        ];
      }),
    );
    const { softmax, sigmoid, softmax_multi: softmaxMulti, sigmoid_multi: sigmoidMulti } = s;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    const checks: boolean[] = [];
    if (softmax && sigmoid) {
      // Σp: exactly one for softmax, off by more than a rounding for the sigmoids; single-label accuracy comparable.
      checks.push(softmax.single.meanSumError < 1e-3 && sigmoid.single.meanSumError > 0.02);
      // "None of these": on clothes the sigmoids leave every digit below 0.5 far more often than softmax can.
      checks.push(sigmoid.ood.confidentShare < softmax.ood.confidentShare - 0.2);
    }
    if (softmaxMulti && sigmoidMulti) checks.push(sigmoidMulti.pairs.exactSet > softmaxMulti.pairs.exactSet + 0.2);
    if (checks.length === 3) direction = checks.every(Boolean) ? 'supports' : 'contradicts';
    const line = (r: VariantResult): string => {
      const m = s[r.variant];
      if (!m) return `${r.name}: ${failureNote(r) || 'not measured'}`;
      return (
        `${r.name}: digits ${fmtPct(m.single.accuracy)} right, Σp ${m.single.meanSum.toFixed(3)} (off by ${m.single.meanSumError.toFixed(3)}), ECE ${fmtPct(m.single.ece)}; ` +
        `two-digit images ${fmtPct(m.pairs.exactSet)} exact (${m.pairs.meanLabels.toFixed(2)} classes ≥ ${DECISION}, top-2 recall ${fmtPct(m.pairs.top2Recall)}); ` +
        `clothes: a digit ≥ ${DECISION} on ${fmtPct(m.ood.confidentShare)} (mean max p ${m.ood.meanMax.toFixed(2)})`
      );
    };
    return {
      text: `${results.map(line).join('. ')}.`,
      effect: {
        claim: `Softmax's Σp is 1 and the sigmoids' is not (mean |Σp − 1| > 0.02); on clothes the sigmoids name no digit far more often (a digit ≥ ${DECISION} on 20+ points fewer images); trained on 1–2 digits only the sigmoids name both digits of a pair (exact set at p ≥ ${DECISION} 20+ points above softmax)`,
        direction,
        detail:
          softmax && sigmoid && softmaxMulti && sigmoidMulti
            ? `mean |Σp − 1|: softmax ${softmax.single.meanSumError.toFixed(4)}, sigmoids ${sigmoid.single.meanSumError.toFixed(3)}; exact two-digit sets: softmax ${fmtPct(softmaxMulti.pairs.exactSet)}, sigmoids ${fmtPct(sigmoidMulti.pairs.exactSet)}; single-digit accuracy: softmax ${fmtPct(softmax.single.accuracy)}, sigmoids ${fmtPct(sigmoid.single.accuracy)}; clothes with a digit ≥ ${DECISION}: softmax ${fmtPct(softmax.ood.confidentShare)}, sigmoids ${fmtPct(sigmoid.ood.confidentShare)}`
            : 'not every variant was measured',
      },
      perVariant,
      measurements: {},
    };
  },
};
