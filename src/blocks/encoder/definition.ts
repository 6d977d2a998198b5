import { ACTIVATION_OPS, attentionCost } from '../../shared/blocks/common';
import { float, int } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const encoder = defineBlock({
  type: 'tfm/encoder',
  title: 'Transformer Encoder',
  family: 'transformer',
  trainable: true,
  attention: true,
  params: {
    heads: int(4, 'Attention heads h; must divide D (ViT-Ti 3, ViT-S 6, ViT-B 12).', { min: 1, max: 64 }),
    mlpDim: int(0, 'Hidden width M of the MLP; 0 = 4·D.', { min: 0, max: 16384 }),
    dropout: float(0, 'Dropout after the attention output and in the MLP, during training.', { min: 0, max: 0.9, step: 0.05 }),
    attnDropout: float(0, 'Dropout on the attention weights, during training.', { min: 0, max: 0.9, step: 0.05 }),
    epsilon: float(1e-6, 'LayerNorm ε (1e-6 in ViT).', { min: 0, max: 1 }),
  },
  inferShape([x], p) {
    expectRank(x, 2, 'Transformer Encoder');
    const d = x[2] as number;
    if (d % p.heads !== 0) throw new ShapeError(`heads ${p.heads} must divide the embedding dim ${d}`, 'heads');
    return x;
  },
  cost([x], _out, p) {
    const [, n, d] = x as number[];
    const h = p.heads;
    const m = p.mlpDim || 4 * d;
    const attn = attentionCost(n, d, h, true);
    return {
      params: 2 * (2 * d) + attn.params + (d * m + m) + (m * d + d),
      macs: attn.macs + 2 * n * d * m,
      // 2 LayerNorms (5/elem), attention, MLP biases, GELU, 2 residual adds
      ops: 2 * 5 * n * d + attn.ops + (n * m + n * d) + ACTIVATION_OPS.gelu * n * m + 2 * n * d,
    };
  },
  doc: {
    summary: 'One pre-norm ViT encoder block: LayerNorm → multi-head self-attention → residual add, then LayerNorm → MLP (D → M → D, GELU) → residual add.',
    formula: "x' = x + MHSA(LN(x));  y = x' + W₂·GELU(W₁·LN(x') + b₁) + b₂",
    paramsFormula: "2·(2D) (two LNs) + 4D² + 4D (attention) + D·M + M + M·D + D (MLP); equals torchvision's EncoderBlock. e.g. ViT-B (D = 768, M = 3072): 7,087,872",
    flopsFormula: '2·(4·N·D² + 2·N²·D + 2·N·D·M)',
    use: 'Stack it L times after Patch Embed + Class Token + Pos Embed (ViT-B: 12 blocks, 12 heads), then a final LayerNorm and Cls Pool. Pre-norm keeps an identity path through the residuals, so deep stacks train without warmup tricks.',
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [encoder] as const;
