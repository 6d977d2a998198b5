import { mlp } from '../graphs';
import { accuracyGap, accuracyNoise, bestValAccuracy, failureNote, finalTrainAccuracy, finalValAccuracy, fmtNum, fmtPct, lossGap, valLossRise } from '../measures';
import type { ExperimentDoc } from '../types';

const input: [number, number, number] = [28, 28, 1];
const TRAIN = 256;
const L2 = 0.01;
const base = (dropout?: number) => mlp({ name: dropout ? 'MLP with dropout' : 'MLP', input, depth: 2, width: 256, activation: 'relu', dropout });

export const overfitting: ExperimentDoc = {
  id: 'overfitting',
  title: 'A small training set with and without dropout / L2 / augmentation',
  concept: 'Overfitting vs underfitting; regularization',
  notes: { files: ['000', '001', '002', '004'], section: 'domain §5 Overfitting vs underfitting; §3 Regularization; §4 Augmentation' },
  claim: 'On a small training set the gap between training and validation accuracy widens; dropout, L2 and data augmentation each narrow it.',
  explanation:
    `A 2×256 ReLU MLP sees only ${TRAIN} MNIST digits for many epochs: it memorises them (training accuracy → 100%) while validation accuracy stalls and validation loss turns upward. ` +
    'Dropout trains an implicit ensemble of thinned networks, L2 pulls weights toward zero, augmentation (random shifts and rotations) shows a different image every epoch. ' +
    'Two measures of the gap, both from the last epoch: validation − training loss (the notes\' signal: training loss keeps falling while validation loss rises) and training − validation accuracy. Training loss and accuracy are measured during training, i.e. with dropout and augmentation active, as the curves show them.',
  formula: 'loss gap = L_val − L_train, accuracy gap = acc_train − acc_val;  L2: L = L_data + λ‖w‖²/2 ⇒ w ← w − η(∇L_data + λw);  dropout: y = x·m/(1−p), m ~ Bernoulli(1−p)',
  dataset: 'mnist',
  kind: 'trained',
  config: {
    epochs: 40,
    batchSize: 32,
    trainLimit: TRAIN,
    valLimit: 1000,
    probeEvery: 0,
    optimizer: { name: 'momentum', lr: 0.02, momentum: 0.9 },
    schedule: { name: 'constant' },
  },
  variants: [
    { id: 'none', name: 'No regularization', description: 'The bare MLP.', graph: () => base() },
    { id: 'dropout', name: 'Dropout 0.5', description: 'Dropout (p = 0.5) after each hidden ReLU.', graph: () => base(0.5) },
    { id: 'l2', name: `L2 (λ = ${L2})`, description: `L2 penalty λ = ${L2} on the kernels (weight decay under SGD).`, graph: () => base(), config: { regularization: { l2: L2 } } },
    {
      id: 'augment',
      name: 'Augmentation (shift ±3 px, rotate ±15°)',
      description: 'Random translation and rotation of every training image.',
      graph: () => base(),
      config: { augment: { translate: { enabled: true, p: 1, padding: 3 }, rotate: { enabled: true, p: 1, degrees: 15 } } },
    },
  ],
  metric: { key: 'loss_gap', label: 'validation − training loss gap', better: 'lower', format: 'number' },
  charts: ['train_accuracy', 'val_accuracy', 'train_loss', 'val_loss'],
  estimatedSeconds: 80,
  verdict(results) {
    const perVariant = Object.fromEntries(
      results.map((r) => [
        r.variant,
        { loss_gap: lossGap(r), accuracy_gap: accuracyGap(r), train_accuracy: finalTrainAccuracy(r), val_accuracy: finalValAccuracy(r), best_val_accuracy: bestValAccuracy(r), val_loss_rise: valLossRise(r) },
      ]),
    );
    const none = results.find((r) => r.variant === 'none');
    const regs = results.filter((r) => r.variant !== 'none');
    const b = perVariant.none;
    // A gap counts as narrower when the accuracy gap shrinks by more than two standard errors of the difference
    // of two validation accuracies, or the loss gap by more than 15%.
    const judged = regs.map((r) => {
      const v = perVariant[r.variant];
      const noise = none ? accuracyNoise(none, r) : null;
      const acc = b && v.accuracy_gap !== null && b.accuracy_gap !== null && noise !== null ? b.accuracy_gap - v.accuracy_gap : null;
      const accNarrower = acc !== null && noise !== null && acc > noise;
      const accWider = acc !== null && noise !== null && acc < -noise;
      const lossNarrower = b?.loss_gap != null && v.loss_gap !== null && v.loss_gap < 0.85 * b.loss_gap;
      const lossWider = b?.loss_gap != null && v.loss_gap !== null && v.loss_gap > 1.15 * b.loss_gap;
      return { r, accNarrower, lossNarrower, wider: accWider && lossWider && !accNarrower && !lossNarrower };
    });
    const narrowed = judged.filter((j) => j.accNarrower || j.lossNarrower);
    // Contradicts only when a regularizer measurably widened both gaps; no measurable change is inconclusive.
    const direction = !none || none.state !== 'completed' || regs.length === 0 ? 'inconclusive' : narrowed.length === regs.length ? 'supports' : judged.some((j) => j.wider) ? 'contradicts' : 'inconclusive';
    const which = (j: (typeof judged)[number]): string =>
      j.accNarrower && j.lossNarrower ? 'both gaps narrower' : j.accNarrower ? 'accuracy gap narrower, loss gap not' : j.lossNarrower ? 'loss gap narrower, accuracy gap not' : 'no measurable change';
    const text =
      (none && b
        ? `Without regularization the MLP reaches ${fmtPct(b.train_accuracy)} training but ${fmtPct(b.val_accuracy)} validation accuracy (gap ${fmtPct(b.accuracy_gap)}); validation loss ${fmtNum(b.loss_gap)} above training loss, and ${fmtNum(b.val_loss_rise)} above its own minimum. `
        : '') +
      judged
        .map(({ r }) => {
          const v = perVariant[r.variant];
          return `${r.name}: ${failureNote(r) || `accuracy gap ${fmtPct(v.accuracy_gap)}, loss gap ${fmtNum(v.loss_gap)}, validation ${fmtPct(v.val_accuracy)}`}`;
        })
        .join('; ') +
      `. ${judged.map((j) => `${j.r.variant}: ${which(j)}`).join(', ')}.`;
    return {
      text,
      effect: {
        claim: 'each regularizer narrows the accuracy gap (by > 2 standard errors) or the loss gap (by > 15%)',
        direction,
        detail: `narrower: ${narrowed.map((j) => j.r.variant).join(', ') || 'none'} of ${regs.map((r) => r.variant).join(', ')}`,
      },
      perVariant,
      measurements: { judged: Object.fromEntries(judged.map((j) => [j.r.variant, { accuracyGapNarrower: j.accNarrower, lossGapNarrower: j.lossNarrower }])) },
    };
  },
};
