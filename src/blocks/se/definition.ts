import { ACTIVATION_OPS } from '../../shared/blocks/common';
import { bool, int, oneOf } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock } from '../../shared/blocks/types';

/** Squeeze width: explicit, or max(1, round(C / reduction)). */
export const seSqueeze = (c: number, reduction: number, squeeze: number): number => (squeeze > 0 ? squeeze : Math.max(1, Math.round(c / reduction)));

export const squeezeExcite = defineBlock({
  type: 'attn/se',
  title: 'Squeeze-and-Excitation',
  family: 'attention',
  trainable: true,
  params: {
    reduction: int(16, 'Reduction ratio r: the bottleneck has round(C/r) units (used when squeeze = 0).', { min: 1, max: 256 }),
    squeeze: int(0, 'Bottleneck width s; 0 = round(C/r). EfficientNet/MobileNetV3 set it from the block\'s input channels.', { min: 0, max: 4096 }),
    activation: oneOf(['relu', 'silu'], 'relu', 'Activation after the first FC: ReLU (SENet, MobileNetV3) or SiLU (EfficientNet).'),
    gate: oneOf(['sigmoid', 'hardsigmoid'], 'sigmoid', 'Gate producing the channel weights: sigmoid (SENet, EfficientNet) or hard sigmoid (MobileNetV3).'),
    bias: bool(true, 'Biases on both FCs (torchvision\'s 1×1 convs have them; the SELayer in note 001 uses bias=False).'),
  },
  inferShape([x]) {
    expectRank(x, 3, 'Squeeze-and-Excitation');
    return x;
  },
  cost([x], _out, p) {
    const [, h, w, c] = x as number[];
    const s = seSqueeze(c, p.reduction, p.squeeze);
    const fc = 2 * c * s;
    return {
      params: fc + (p.bias ? s + c : 0),
      macs: fc,
      // squeeze (GAP) + activation + gate + biases + the final channel scaling
      ops: 2 * h * w * c + ACTIVATION_OPS[p.activation] * s + ACTIVATION_OPS[p.gate] * c + (p.bias ? s + c : 0),
    };
  },
  doc: {
    summary: 'Channel attention: squeeze each channel to one number (global average pool), learn per-channel weights in (0, 1) with a small bottleneck MLP, and rescale the channels.',
    formula: 'z = GAP(x);  s = gate(W₂·act(W₁z + b₁) + b₂);  y = x ⊙ s  (W₁: C→s, W₂: s→C)',
    paramsFormula: '2·C·s + s + C (biases), s = round(C/r); e.g. C = 64, r = 16: 2·64·4 + 4 + 64 = 580',
    flopsFormula: '2·(2·C·s) — tiny next to the convs; the ops are the pooling and scaling (2·H·W·C)',
    use: 'Inside residual blocks (SE-ResNet, after the last conv, before the Add) and MBConv blocks (MobileNetV3, EfficientNet). r = 16 in SENet. torchvision implements the FCs as 1×1 convs with bias: same count.',
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [squeezeExcite] as const;
