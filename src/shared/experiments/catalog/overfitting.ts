import { mlp } from '../graphs';
import { accuracyGap, bestValAccuracy, failureNote, finalTrainAccuracy, finalValAccuracy, fmtNum, fmtPct, lossGap, valLossRise } from '../measures';
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
    'The measure is the final train − validation accuracy gap; note that training accuracy is measured during training, i.e. with dropout and augmentation active, as the curves show it.',
  formula: 'gap = acc_train − acc_val;  L2: L = L_data + λ‖w‖²/2 ⇒ w ← w − η(∇L_data + λw);  dropout: y = x·m/(1−p), m ~ Bernoulli(1−p)',
  dataset: 'mnist',
  kind: 'trained',
  config: {
    epochs: 40,
    batchSize: 32,
    trainLimit: TRAIN,
    valLimit: 1000,
    probeEvery: 0,
    optimizer: { name: 'momentum', lr: 0.05, momentum: 0.9 },
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
  metric: { key: 'accuracy_gap', label: 'train − validation accuracy gap', better: 'lower', format: 'percent' },
  charts: ['train_accuracy', 'val_accuracy', 'train_loss', 'val_loss'],
  estimatedSeconds: 150,
  verdict(results) {
    const perVariant = Object.fromEntries(
      results.map((r) => [
        r.variant,
        { accuracy_gap: accuracyGap(r), train_accuracy: finalTrainAccuracy(r), val_accuracy: finalValAccuracy(r), best_val_accuracy: bestValAccuracy(r), loss_gap: lossGap(r), val_loss_rise: valLossRise(r) },
      ]),
    );
    const gap = (id: string): number | null => perVariant[id]?.accuracy_gap ?? null;
    const baseGap = gap('none');
    const regs = results.filter((r) => r.variant !== 'none');
    const narrower = regs.filter((r) => baseGap !== null && gap(r.variant) !== null && gap(r.variant)! < baseGap);
    const direction = baseGap === null ? 'inconclusive' : narrower.length === regs.length ? 'supports' : narrower.length === 0 ? 'contradicts' : 'inconclusive';
    const none = results.find((r) => r.variant === 'none');
    const text =
      (none
        ? `Without regularization the MLP reaches ${fmtPct(finalTrainAccuracy(none))} training but ${fmtPct(finalValAccuracy(none))} validation accuracy (gap ${fmtPct(baseGap)}); its validation loss ends ${fmtNum(valLossRise(none))} above its minimum. `
        : '') +
      `Gap with ${regs.map((r) => `${r.name}: ${failureNote(r) || `${fmtPct(gap(r.variant))} (validation ${fmtPct(finalValAccuracy(r))})`}`).join('; ')}.`;
    return {
      text,
      effect: { claim: 'each regularizer gives a smaller train − validation gap than no regularization', direction, detail: `narrower: ${narrower.map((r) => r.variant).join(', ') || 'none'} of ${regs.map((r) => r.variant).join(', ')}` },
      perVariant,
      measurements: {},
    };
  },
};
