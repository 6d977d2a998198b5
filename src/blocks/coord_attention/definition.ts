import { ACTIVATION_OPS } from '../../shared/blocks/common';
import { bool, int, oneOf } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock } from '../../shared/blocks/types';

export const coordMid = (c: number, reduction: number, minMid: number): number => Math.max(minMid, Math.floor(c / reduction));

export const coordAttention = defineBlock({
  type: 'attn/coord_attention',
  title: 'Coordinate Attention',
  family: 'attention',
  trainable: true,
  params: {
    reduction: int(32, 'Reduction ratio r: the shared 1×1 conv has mid = max(minMid, ⌊C/r⌋) channels.', { min: 1, max: 256 }),
    minMid: int(8, 'Lower bound on the mid channels.', { min: 1, max: 1024 }),
    activation: oneOf(['hardswish', 'relu'], 'hardswish', "Activation after BN: h-swish (the paper's code) or ReLU (note 001's version)."),
    bias: bool(true, "Biases on the three 1×1 convs (the paper's code has them; note 001's CA_Block uses bias=False)."),
  },
  inferShape([x]) {
    expectRank(x, 3, 'Coordinate Attention');
    return x;
  },
  cost([x], _out, p) {
    const [, h, w, c] = x as number[];
    const mid = coordMid(c, p.reduction, p.minMid);
    const b = p.bias ? 1 : 0;
    return {
      params: c * mid + b * mid + 2 * mid + 2 * (mid * c + b * c),
      buffers: 2 * mid,
      // The shared conv runs on H + W positions; F_h on H, F_w on W.
      macs: 2 * c * mid * (h + w),
      ops: 4 * h * w * c + (h + w) * (mid * (4 + ACTIVATION_OPS[p.activation] + b) + c * (ACTIVATION_OPS.sigmoid + b)),
    };
  },
  doc: {
    summary: 'Channel attention that keeps position: pools along each axis separately, so the weights say which channels matter in which rows and which columns.',
    formula:
      'z_h = mean over W (C×H×1), z_w = mean over H (C×1×W);  f = act(BN(conv₁ₓ₁([z_h; z_w])));  split f → f_h, f_w;  s_h = σ(F_h(f_h)), s_w = σ(F_w(f_w));  y = x·s_h·s_w',
    paramsFormula: 'C·mid + mid (conv, bias) + 2·mid (BN γ, β; + 2·mid running stats) + 2·(mid·C + C) (F_h, F_w), mid = max(minMid, ⌊C/r⌋)',
    flopsFormula: '2·(2·C·mid·(H + W))',
    use: "Hou et al. (CVPR 2021), for mobile nets (MobileNetV2/V3 blocks) as a cheap alternative to SE/CBAM with positional information. Note 001's CA_Block declares the BN but never calls it in forward; this block applies it, as the paper does.",
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [coordAttention] as const;
