import { float } from '../../shared/blocks/params';
import { elements, lastDim } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const layerNorm = defineBlock({
  type: 'norm/layernorm',
  title: 'LayerNorm',
  family: 'norm',
  trainable: true,
  params: {
    epsilon: float(1e-5, 'ε added to the variance (torch 1e-5; ViT uses 1e-6, Keras 1e-3).', { min: 0, max: 1 }),
  },
  inferShape([x]) {
    if (x.length < 2) throw new ShapeError('LayerNorm needs at least one feature dimension');
    return x;
  },
  cost([x], out) {
    // Mean, variance, normalise, scale, shift: ≈ 5 ops per element. No running statistics.
    return { params: 2 * lastDim(x), macs: 0, ops: 5 * elements(out) };
  },
  doc: {
    summary: 'Normalises each sample over its last axis (the features of each token, or the channels of each pixel), then scales and shifts. Same computation at training and inference.',
    formula: 'y = γ·(x − μ)/√(σ² + ε) + β, with μ, σ² over the last axis of one sample',
    paramsFormula: '2·D (γ, β); no running statistics',
    flopsFormula: '0 MACs; ≈ 5·elements ops',
    use: 'Transformers (pre-norm ViT blocks), RNNs and small or variable batches. BN normalises one channel across the batch; LN normalises one sample across its features, so it does not depend on the batch size.',
    notes: '001, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [layerNorm] as const;
