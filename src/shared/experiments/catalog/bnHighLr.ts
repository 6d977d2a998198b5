import { cnn } from '../graphs';
import { failureNote, finalValAccuracy, finalValLoss, fmtPct, fmtPts } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';

const input: [number, number, number] = [28, 28, 1];
const FILTERS = [16, 32, 32];
const LOW_LR = 0.01;
const HIGH_LR = 0.3;

export const bnHighLr: ExperimentDoc = {
  id: 'bn-high-lr',
  title: 'BatchNorm at a high learning rate',
  concept: 'Batch Normalization',
  notes: { files: ['000', '001', '002', '003', '004'], section: 'domain §1 Normalization (BN); §5 BN behaviour' },
  claim: 'BatchNorm lets a network train at a learning rate at which the same network without it diverges or stalls.',
  explanation:
    `The same 3-conv network on MNIST with SGD + momentum: without BN at a safe learning rate (${LOW_LR}), without BN at a high one (${HIGH_LR}), and with BN at the high one. ` +
    'BN normalises every channel over the batch and re-scales it with learned γ, β, so a layer\'s output scale no longer depends on the scale of its weights: a large step cannot blow activations up layer after layer, and the effective step on the weights shrinks as they grow.',
  formula: 'y = γ·(x − μ_B)/√(σ²_B + ε) + β,  μ_B, σ²_B per channel over B·H·W;  BN(a·Wx) = BN(Wx) for any a > 0',
  dataset: 'mnist',
  kind: 'trained',
  config: {
    epochs: 2,
    batchSize: 64,
    trainLimit: 2048,
    valLimit: 500,
    probeEvery: 8,
    optimizer: { name: 'momentum', lr: HIGH_LR, momentum: 0.9 },
    schedule: { name: 'constant' },
  },
  variants: [
    {
      id: 'plain_low_lr',
      name: `No BN, lr ${LOW_LR}`,
      description: 'conv → ReLU ×3 (no BatchNorm) at a conventional learning rate: the reference.',
      graph: () => cnn({ name: 'CNN without BN', input, filters: FILTERS, pool: 'flatten' }),
      config: { optimizer: { lr: LOW_LR } },
    },
    {
      id: 'plain_high_lr',
      name: `No BN, lr ${HIGH_LR}`,
      description: 'The same network at the high learning rate.',
      graph: () => cnn({ name: 'CNN without BN', input, filters: FILTERS, pool: 'flatten' }),
    },
    {
      id: 'bn_high_lr',
      name: `BN, lr ${HIGH_LR}`,
      description: 'conv → BN → ReLU ×3 at the high learning rate.',
      graph: () => cnn({ name: 'CNN with BN', input, filters: FILTERS, batchnorm: true, pool: 'flatten' }),
    },
  ],
  metric: { key: 'val_accuracy', label: 'final validation accuracy', better: 'higher', format: 'percent' },
  charts: ['train_loss', 'val_accuracy', 'grad_norm_per_layer'],
  estimatedSeconds: 50,
  verdict(results) {
    const by = (id: string): VariantResult | undefined => results.find((r) => r.variant === id);
    const perVariant = Object.fromEntries(results.map((r) => [r.variant, { val_accuracy: finalValAccuracy(r), val_loss: finalValLoss(r), diverged_at_step: r.divergedAtStep ?? null }]));
    const acc = (id: string): number | null => {
      const r = by(id);
      return r ? (r.divergedAtStep !== undefined ? 0.1 : finalValAccuracy(r)) : null;
    };
    const describe = (r: VariantResult): string => `${r.name}: ${failureNote(r) || `${fmtPct(finalValAccuracy(r))} validation accuracy`}`;
    const plainHigh = by('plain_high_lr');
    const bnHigh = by('bn_high_lr');
    const a = acc('plain_high_lr');
    const b = acc('bn_high_lr');
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (a !== null && b !== null) {
      if (b - a >= 0.2 && b >= 0.5) direction = 'supports';
      else if (a >= b) direction = 'contradicts';
    }
    const text =
      `${results.map(describe).join('; ')}. ` +
      (a !== null && b !== null && plainHigh && bnHigh
        ? `At lr ${HIGH_LR}, BN is ${fmtPts(b - a)} against the same network without it${plainHigh.divergedAtStep !== undefined ? ', which diverged' : ''}.`
        : '');
    return {
      text,
      effect: { claim: `with BN at lr ${HIGH_LR}: ≥ 50% accuracy and ≥ 20 points above no-BN at the same lr`, direction, detail: `no BN ${fmtPct(a)}, BN ${fmtPct(b)}` },
      perVariant,
      measurements: {},
    };
  },
};
