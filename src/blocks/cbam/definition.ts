import { ACTIVATION_OPS } from '../../shared/blocks/common';
import { bool, int } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const cbamHidden = (c: number, reduction: number): number => Math.max(1, Math.floor(c / reduction));

export const cbam = defineBlock({
  type: 'attn/cbam',
  title: 'CBAM',
  family: 'attention',
  trainable: true,
  params: {
    reduction: int(16, 'Reduction ratio r of the shared channel MLP (hidden width ⌊C/r⌋, at least 1).', { min: 1, max: 256 }),
    spatialKernel: int(7, 'Odd kernel k of the spatial-attention conv (7 in the paper; 3 is also common).', { min: 1, max: 15 }),
    bias: bool(false, "Biases in the shared MLP. Off = the paper's equations; the authors' code uses nn.Linear with bias."),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'CBAM');
    if (p.spatialKernel % 2 === 0) throw new ShapeError(`spatialKernel must be odd (got ${p.spatialKernel}) so the padding is symmetric`, 'spatialKernel');
    return x;
  },
  cost([x], _out, p) {
    const [, h, w, c] = x as number[];
    const s = cbamHidden(c, p.reduction);
    const k2 = p.spatialKernel * p.spatialKernel;
    const hw = h * w;
    return {
      params: 2 * c * s + (p.bias ? s + c : 0) + 2 * k2,
      // The shared MLP runs twice (avg and max descriptors); the spatial conv maps 2 channels to 1 at every pixel.
      macs: 2 * (2 * c * s) + 2 * k2 * hw,
      ops:
        2 * hw * c + 2 * ACTIVATION_OPS.relu * s + (p.bias ? 2 * (s + c) : 0) + c + ACTIVATION_OPS.sigmoid * c + hw * c // channel branch
        + 2 * hw * c + ACTIVATION_OPS.sigmoid * hw + hw * c, // spatial branch
    };
  },
  doc: {
    summary: 'Convolutional Block Attention Module: channel attention (which features) followed by spatial attention (where).',
    formula:
      'M_c = σ(MLP(AvgPool(x)) + MLP(MaxPool(x)));  x′ = M_c ⊙ x;  M_s = σ(conv_k×k([mean_c(x′); max_c(x′)]));  y = M_s ⊙ x′',
    paramsFormula: "2·C·⌊C/r⌋ (shared MLP, no bias as in the paper's equations) + 2·k² (spatial conv 2→1, no bias); e.g. C = 64, r = 16, k = 7: 512 + 98 = 610",
    flopsFormula: '2·(2·2·C·⌊C/r⌋ + 2·k²·H·W)',
    use: "Drop-in after a conv block or inside a residual branch (Woo et al., 2018). The authors' code also puts a BatchNorm after the spatial conv; this block follows the paper's equations.",
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [cbam] as const;
