import { attentionCost } from '../../shared/blocks/common';
import { bool, float, int } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const mhsa = defineBlock({
  type: 'attn/mhsa',
  title: 'Multi-Head Self-Attention',
  family: 'attention',
  trainable: true,
  attention: true,
  params: {
    heads: int(4, 'Number of heads h; each attends in a D/h-dimensional subspace. Must divide D.', { min: 1, max: 64 }),
    dropout: float(0, 'Dropout on the attention weights during training.', { min: 0, max: 0.9, step: 0.05 }),
    qkvBias: bool(true, 'Biases on the Q, K, V projections (the output projection always has one).'),
  },
  inferShape([x], p) {
    expectRank(x, 2, 'Multi-Head Self-Attention');
    const d = x[2] as number;
    if (d % p.heads !== 0) throw new ShapeError(`heads ${p.heads} must divide the embedding dim ${d}`, 'heads');
    return x;
  },
  cost([x], _out, p) {
    const [, n, d] = x as number[];
    return attentionCost(n, d, p.heads, p.qkvBias);
  },
  doc: {
    summary: 'Every token attends to every token: h heads compare queries with keys, and mix the values by the softmax of the scores.',
    formula: 'head_i = softmax(Q_i K_iᵀ/√d_k)·V_i, d_k = D/h;  MHSA(x) = Concat(head_1…head_h)·W_O, with Q, K, V = x·W_Q, x·W_K, x·W_V',
    paramsFormula: '4·D² + 4·D (Q, K, V, O weights and biases, as torch.nn.MultiheadAttention); 4·D² + D without qkvBias',
    flopsFormula: '2·(4·N·D² + 2·N²·D): projections + QKᵀ and A·V — quadratic in the tokens N, the O(n²d) of note 001',
    use: 'The core of transformer encoders (ViT). Dividing by √d_k keeps the dot products at unit variance so the softmax does not saturate. Input is a token sequence [N, D]: use Patch Embed (or Reshape H×W×C → H·W×C) first.',
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [mhsa] as const;
