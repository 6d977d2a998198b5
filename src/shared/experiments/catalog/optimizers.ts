import { cnn } from '../graphs';
import { accuracyNoise, failureNote, finalTrainLoss, finalValAccuracy, firstEpochTrainLoss, fmtNum, fmtPct, fmtPts } from '../measures';
import type { ExperimentDoc } from '../types';

const input: [number, number, number] = [28, 28, 1];
const graph = () => cnn({ name: 'Small CNN', input, filters: [16, 32, 32], pool: 'flatten' });

export const optimizers: ExperimentDoc = {
  id: 'optimizers',
  title: 'SGD vs SGD + momentum vs Adam vs AdamW',
  concept: 'Optimizers',
  notes: { files: ['001', '002', '003', '004'], section: 'domain §3 Optimizers' },
  claim: 'At the same budget, momentum and Adam(W) reach a lower training loss and a higher validation accuracy than plain SGD.',
  explanation:
    'One network, one data order, four update rules. Plain SGD steps along the current gradient only; momentum accumulates a velocity that speeds up consistent directions and damps oscillation; Adam divides each parameter\'s step by a running RMS of its gradients (with bias correction), so small-gradient parameters move too; AdamW decouples weight decay from that scaling. The curves show the first epochs, where the differences are largest.',
  formula: 'SGD: θ ← θ − η·g;  momentum: v ← γv + η·g, θ ← θ − v;  Adam: m ← β₁m + (1−β₁)g, v ← β₂v + (1−β₂)g², θ ← θ − η·m̂/(√v̂ + ε);  AdamW: θ ← θ − η(m̂/(√v̂ + ε) + λθ)',
  dataset: 'mnist',
  kind: 'trained',
  config: {
    epochs: 2,
    batchSize: 64,
    trainLimit: 3072,
    valLimit: 500,
    probeEvery: 0,
    schedule: { name: 'constant' },
  },
  variants: [
    { id: 'sgd', name: 'SGD (lr 0.01)', description: 'Plain mini-batch SGD.', graph, config: { optimizer: { name: 'sgd', lr: 0.01 } } },
    { id: 'momentum', name: 'SGD + momentum 0.9 (lr 0.01)', description: 'Heavy-ball momentum, same learning rate.', graph, config: { optimizer: { name: 'momentum', lr: 0.01, momentum: 0.9 } } },
    { id: 'adam', name: 'Adam (lr 0.001)', description: 'Adam with the usual defaults β₁ 0.9, β₂ 0.999.', graph, config: { optimizer: { name: 'adam', lr: 0.001 } } },
    { id: 'adamw', name: 'AdamW (lr 0.001, λ 0.01)', description: 'Adam with decoupled weight decay 0.01.', graph, config: { optimizer: { name: 'adamw', lr: 0.001, weightDecay: 0.01 } } },
  ],
  metric: { key: 'val_accuracy', label: 'final validation accuracy', better: 'higher', format: 'percent' },
  charts: ['train_loss', 'val_loss', 'val_accuracy'],
  estimatedSeconds: 75,
  verdict(results) {
    const perVariant = Object.fromEntries(
      results.map((r) => [r.variant, { val_accuracy: finalValAccuracy(r), train_loss: finalTrainLoss(r), first_epoch_train_loss: firstEpochTrainLoss(r) }]),
    );
    const get = (id: string, k: string): number | null => perVariant[id]?.[k as 'val_accuracy'] ?? null;
    const ranked = [...results].sort((a, b) => (finalValAccuracy(b) ?? -1) - (finalValAccuracy(a) ?? -1));
    const sgdAcc = get('sgd', 'val_accuracy');
    const sgdLoss = get('sgd', 'train_loss');
    const contenders = ['momentum', 'adam', 'adamw'].filter((id) => results.some((r) => r.variant === id));
    const faster = contenders.filter((id) => {
      const acc = get(id, 'val_accuracy');
      const loss = get(id, 'train_loss');
      return acc !== null && loss !== null && sgdAcc !== null && sgdLoss !== null && acc > sgdAcc && loss < sgdLoss;
    });
    const adamGap = get('adam', 'val_accuracy') !== null && get('adamw', 'val_accuracy') !== null ? get('adamw', 'val_accuracy')! - get('adam', 'val_accuracy')! : null;
    const adam = results.find((r) => r.variant === 'adam');
    const adamw = results.find((r) => r.variant === 'adamw');
    const noise = adam && adamw ? accuracyNoise(adam, adamw) : null;
    const direction = sgdAcc === null || contenders.length === 0 ? 'inconclusive' : faster.length === contenders.length ? 'supports' : faster.length === 0 ? 'contradicts' : 'inconclusive';
    const text =
      `Final validation accuracy: ${ranked.map((r) => `${r.name} ${failureNote(r) || fmtPct(finalValAccuracy(r))}`).join(', ')}. ` +
      `Training loss after the first epoch: ${results.map((r) => `${r.variant} ${fmtNum(firstEpochTrainLoss(r))}`).join(', ')}. ` +
      (adamGap !== null
        ? `AdamW vs Adam: ${fmtPts(adamGap)}${noise !== null ? `, ${Math.abs(adamGap) <= noise ? 'inside' : 'outside'} the ±${(noise * 100).toFixed(1)}-point band that ${adam!.valSamples} validation images can resolve (2 standard errors)` : ''}.`
        : '');
    return {
      text,
      effect: {
        claim: 'momentum, Adam and AdamW each beat plain SGD on final validation accuracy and training loss',
        direction,
        detail: `beat SGD: ${faster.length ? faster.join(', ') : 'none'}`,
      },
      perVariant,
      measurements: { ranking: ranked.map((r) => r.variant), adamwMinusAdam: adamGap, accuracyNoise: noise },
    };
  },
};
