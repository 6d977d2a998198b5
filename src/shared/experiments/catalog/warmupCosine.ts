import { cnn } from '../graphs';
import { failureNote, finalTrainLoss, finalValAccuracy, finalValLoss, firstEpochTrainLoss, fmtNum, fmtPct, fmtPts } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';

const input: [number, number, number] = [28, 28, 1];
const LR = 0.03;
const graph = () => cnn({ name: 'CNN', input, filters: [16, 32, 32], pool: 'flatten' });

export const warmupCosine: ExperimentDoc = {
  id: 'warmup-cosine',
  title: 'Learning-rate warmup + cosine decay vs a constant rate',
  concept: 'LR schedules',
  notes: { files: ['000', '002', '004'], section: 'domain §3 LR schedules (warmup, cosine annealing)' },
  claim: 'Warmup followed by cosine decay trains more stably at a high peak learning rate and ends at a lower loss than the same rate held constant.',
  explanation:
    `The same CNN with Adam at a high peak learning rate (${LR}). Held constant, the first steps (when Adam's second-moment estimate is still poor and the weights are random) are the most violent, and the last steps keep bouncing around the minimum. ` +
    'Warmup ramps the rate up linearly over the first epoch; cosine annealing then lowers it smoothly to 1% of the peak, so the final epochs settle. The notes recommend warmup + cosine with AdamW or SGD.',
  formula: 'warmup: η_t = η·t/W (t < W);  cosine: η_t = η_min + ½(η − η_min)(1 + cos(π(t − W)/(T − W)))',
  dataset: 'mnist',
  kind: 'trained',
  config: {
    epochs: 3,
    batchSize: 64,
    trainLimit: 2048,
    valLimit: 500,
    probeEvery: 0,
    optimizer: { name: 'adam', lr: LR },
  },
  variants: [
    { id: 'constant', name: `Constant lr ${LR}`, description: 'The peak rate from the first step to the last.', graph, config: { schedule: { name: 'constant' } } },
    { id: 'warmup_cosine', name: `Warmup 1 epoch + cosine (peak ${LR})`, description: 'Linear warmup over the first epoch, then cosine decay to 1% of the peak.', graph, config: { schedule: { name: 'cosine', warmupEpochs: 1, minLrFactor: 0.01 } } },
  ],
  metric: { key: 'val_loss', label: 'final validation loss', better: 'lower', format: 'number' },
  charts: ['lr', 'train_loss', 'val_loss', 'val_accuracy'],
  estimatedSeconds: 20,
  verdict(results) {
    const perVariant = Object.fromEntries(
      results.map((r) => [r.variant, { val_loss: finalValLoss(r), val_accuracy: finalValAccuracy(r), train_loss: finalTrainLoss(r), first_epoch_train_loss: firstEpochTrainLoss(r), first_epoch_val_accuracy: r.epochs[0]?.valAccuracy ?? null }]),
    );
    const by = (id: string): VariantResult | undefined => results.find((r) => r.variant === id);
    const c = by('constant');
    const w = by('warmup_cosine');
    const lossC = c ? (c.divergedAtStep !== undefined ? Infinity : finalValLoss(c)) : null;
    const lossW = w ? (w.divergedAtStep !== undefined ? Infinity : finalValLoss(w)) : null;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (lossC !== null && lossW !== null) {
      if (lossW < lossC) direction = 'supports';
      else if (lossW > lossC) direction = 'contradicts';
    }
    const describe = (r: VariantResult): string =>
      `${r.name}: ${failureNote(r) || `validation loss ${fmtNum(finalValLoss(r))}, accuracy ${fmtPct(finalValAccuracy(r))}, training loss ${fmtNum(firstEpochTrainLoss(r))} in the first epoch and ${fmtNum(finalTrainLoss(r))} in the last`}`;
    const accC = perVariant.constant?.val_accuracy ?? null;
    const accW = perVariant.warmup_cosine?.val_accuracy ?? null;
    const text = `${results.map(describe).join('; ')}.${accC !== null && accW !== null ? ` Warmup + cosine: ${fmtPts(accW - accC)} accuracy.` : ''}`;
    return {
      text,
      effect: { claim: 'warmup + cosine ends at a lower validation loss than the constant rate', direction, detail: `constant ${fmtNum(lossC)}, warmup+cosine ${fmtNum(lossW)}` },
      perVariant,
      measurements: {},
    };
  },
};
