import { bool, float } from '../../shared/blocks/params';
import { elements, lastDim } from '../../shared/blocks/shapeMath';
import { defineBlock } from '../../shared/blocks/types';

export const batchNorm = defineBlock({
  type: 'norm/batchnorm',
  title: 'BatchNorm',
  family: 'norm',
  trainable: true,
  fold: 'batchnorm',
  probe: { kind: 'batchnorm' },
  params: {
    momentum: float(0.1, 'EMA momentum for the running statistics (PyTorch convention: running = (1−m)·running + m·batch).', { min: 0, max: 1 }),
    epsilon: float(1e-5, 'ε added to the variance for numerical stability.', { min: 0 }),
    affine: bool(true, 'Learn the scale γ and shift β.'),
  },
  inferShape: ([x]) => x,
  cost([x], out, p) {
    const c = lastDim(x);
    return { params: p.affine ? 2 * c : 0, buffers: 2 * c, macs: 0, ops: 4 * elements(out) };
  },
  doc: {
    summary: 'Normalises each channel with the batch mean and variance (over B·H·W) during training and with running statistics at inference, then scales and shifts.',
    formula: 'y = γ·(x − μ)/√(σ² + ε) + β',
    paramsFormula: '2·C learnable (γ, β) + 2·C running statistics (not trained)',
    flopsFormula: '≈ 4·H·W·C',
    use: 'Conv → BN → ReLU. Lets you raise the learning rate and acts as a mild regulariser; unstable with batches under ~4. Can be fused into the preceding conv for inference.',
    notes: '000, 001, 002, 003, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [batchNorm] as const;
