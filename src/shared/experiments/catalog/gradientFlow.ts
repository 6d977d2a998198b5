import { mlp } from '../graphs';
import { failureNote, finalValAccuracy, fmtPct, fmtRatio, gradNormsAtInit, gradRatioAtInit, gradRatioMedian } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';
import { plural } from '../../plural';

const DEPTH = 20;
const WIDTH = 32;
const input: [number, number, number] = [28, 28, 1];

/** Per-layer factor: the ratio spread evenly over the layers between the first and the head. */
const perLayer = (ratio: number | null, layers: number): number | null => (ratio !== null && ratio > 0 && layers > 1 ? ratio ** (1 / (layers - 1)) : null);

export const gradientFlow: ExperimentDoc = {
  id: 'gradient-flow',
  title: 'Gradient flow: deep sigmoid vs ReLU vs ReLU+BN vs residual',
  concept: 'Vanishing/exploding gradients',
  notes: { files: ['000', '001', '002', '004'], section: 'domain §5 Diagnostics: vanishing/exploding gradients; §1 ResNet' },
  claim: 'In a plain deep sigmoid network the first layer receives a vanishing share of the gradient; ReLU, BatchNorm and residual connections keep it flowing.',
  explanation:
    `Four ${DEPTH}-layer MLPs (width ${WIDTH}) on MNIST, trained identically. The probes record ‖∂L/∂W‖ of every layer; the measure is the first layer's gradient norm over the last (the head's), median over the run. ` +
    'By the chain rule the gradient reaching layer 1 is a product of one factor per layer above it. Sigmoid\'s derivative is at most ¼, so with Xavier-scaled weights each factor is well below 1 and the product vanishes geometrically. ' +
    'ReLU\'s derivative is 1 where active (with He init the factors stay ≈ 1), BN re-normalises every layer, and a skip connection adds an identity path whose Jacobian is I.',
  formula: '∂L/∂W₁ = ∂L/∂a_L · Π_{l=2..L} diag(σ′(z_l))·W_l · ∂a₁/∂W₁,  σ′(z) = σ(z)(1−σ(z)) ≤ ¼;  residual: x_{l+1} = x_l + F(x_l) ⇒ ∂x_{l+1}/∂x_l = I + ∂F/∂x_l',
  dataset: 'mnist',
  kind: 'trained',
  config: {
    epochs: 3,
    batchSize: 64,
    trainLimit: 4096,
    valLimit: 500,
    probeEvery: 8,
    optimizer: { name: 'momentum', lr: 0.05, momentum: 0.9 },
    schedule: { name: 'constant' },
  },
  variants: [
    {
      id: 'sigmoid',
      name: `Plain ${DEPTH}-layer sigmoid`,
      description: 'Dense → sigmoid ×20, Xavier (Glorot) normal init.',
      graph: () => mlp({ name: 'Plain deep sigmoid MLP', input, depth: DEPTH - 1, width: WIDTH, activation: 'sigmoid', init: 'glorot_normal' }),
    },
    {
      id: 'relu',
      name: `Plain ${DEPTH}-layer ReLU`,
      description: 'Dense → ReLU ×20, He normal init.',
      graph: () => mlp({ name: 'Plain deep ReLU MLP', input, depth: DEPTH - 1, width: WIDTH, activation: 'relu', init: 'he_normal' }),
    },
    {
      id: 'relu_bn',
      name: `${DEPTH}-layer ReLU + BatchNorm`,
      description: 'Dense → BN → ReLU ×20, He normal init.',
      graph: () => mlp({ name: 'Deep ReLU MLP with BatchNorm', input, depth: DEPTH - 1, width: WIDTH, activation: 'relu', batchnorm: true, init: 'he_normal' }),
    },
    {
      id: 'residual',
      name: `${DEPTH}-layer sigmoid + residual connections`,
      description: 'The sigmoid network with a skip around every hidden layer: x + σ(Wx + b).',
      graph: () => mlp({ name: 'Deep sigmoid MLP with residual connections', input, depth: DEPTH - 1, width: WIDTH, activation: 'sigmoid', residual: true, init: 'glorot_normal' }),
    },
  ],
  metric: { key: 'grad_ratio', label: 'first/last layer gradient-norm ratio', better: 'higher', format: 'ratio' },
  charts: ['grad_norm_per_layer', 'train_loss', 'val_accuracy'],
  estimatedSeconds: 60,
  verdict(results) {
    const by = (id: string): VariantResult | undefined => results.find((r) => r.variant === id);
    const ratio = (id: string): number | null => {
      const r = by(id);
      return r ? gradRatioMedian(r) : null;
    };
    const perVariant: Record<string, Record<string, number | null>> = {};
    for (const r of results) {
      const layers = gradNormsAtInit(r).length;
      perVariant[r.variant] = {
        grad_ratio: gradRatioMedian(r),
        grad_ratio_at_init: gradRatioAtInit(r),
        per_layer_factor: perLayer(gradRatioMedian(r), layers),
        val_accuracy: finalValAccuracy(r),
      };
    }
    const sig = ratio('sigmoid');
    const others = ['relu', 'relu_bn', 'residual'].map(ratio);
    const res = ratio('residual');
    const line = results
      .map((r) => `${r.name}: ${fmtRatio(perVariant[r.variant].grad_ratio)}${failureNote(r) ? ` (${failureNote(r)})` : ''}`)
      .join('; ');
    const sigFactor = perVariant.sigmoid?.per_layer_factor ?? null;
    const acc = results.map((r) => `${r.variant} ${fmtPct(perVariant[r.variant].val_accuracy)}`).join(', ');
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (sig !== null && res !== null && others.every((o) => o !== null)) {
      if (sig < 1e-3 && res > 1e-2 && others.every((o) => o! > 100 * sig)) direction = 'supports';
      else if (others.some((o) => o! <= sig)) direction = 'contradicts';
    }
    const text =
      `First-layer gradient norm as a fraction of the last layer's (median over the run): ${line}. ` +
      (sigFactor !== null ? `In the plain sigmoid network the gradient shrinks by ×${fmtRatio(sigFactor)} per layer on the way down. ` : '') +
      `Validation accuracy after ${plural(results[0]?.epochs.length ?? 0, 'epoch')}: ${acc}.`;
    return {
      text,
      effect: {
        claim: 'plain sigmoid ratio ≪ 1e-3; ReLU, ReLU+BN and residual ≥ 100× larger, residual > 1e-2',
        direction,
        detail: `sigmoid ${fmtRatio(sig)}, residual ${fmtRatio(res)}, ReLU ${fmtRatio(others[0])}, ReLU+BN ${fmtRatio(others[1])}`,
      },
      perVariant,
      measurements: { gradNormsAtInit: Object.fromEntries(results.map((r) => [r.variant, gradNormsAtInit(r)])) },
    };
  },
};
