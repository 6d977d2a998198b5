import { ACTIVATION_OPS } from '../../shared/blocks/common';
import { int, oneOf } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

/** Hidden width of the block's MLP. */
export const metaformerHidden = (c: number, ratio: number): number => c * ratio;

/**
 * A MetaFormer block on feature maps with a cheap token mixer instead of self-attention: PoolFormer's pooling
 * mixer (EfficientFormer's Meta4D block) or RiFormer's affine mixer, and EfficientFormer's Conv+BN MLP.
 */
export const metaformer = defineBlock({
  type: 'tfm/metaformer',
  title: 'MetaFormer Block (pool / affine mixer)',
  family: 'transformer',
  trainable: true,
  params: {
    mixer: oneOf(['pool', 'affine'], 'pool', "Token mixer: 'pool' = AvgPool(x) − x (PoolFormer, EfficientFormer's Meta4D), 'affine' = γ⊙x + β − x per channel (RiFormer: no token mixing at all)."),
    poolSize: int(3, "Pooling window K of the 'pool' mixer (odd; stride 1, padded so the size is kept; the average counts only real pixels).", { min: 1, max: 7 }),
    mlpRatio: int(4, 'MLP width M = ratio·C (EfficientFormer and PoolFormer use 4).', { min: 1, max: 8 }),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'MetaFormer Block');
    if (p.poolSize % 2 !== 1) throw new ShapeError(`the pooling window must be odd to keep the size, got ${p.poolSize}`, 'poolSize');
    return x;
  },
  cost([x], _out, p) {
    const [, h, w, c] = x as number[];
    const m = metaformerHidden(c, p.mlpRatio);
    const px = h * w;
    const mixerParams = p.mixer === 'affine' ? 2 * c : 0;
    return {
      // BN₁ (γ, β), the affine mixer, W₁ + b₁, BN₂, W₂ + b₂, BN₃
      params: 2 * c + mixerParams + (c * m + m) + 2 * m + (m * c + c) + 2 * c,
      macs: 2 * px * c * m,
      // 3 BNs (2/elem), the mixer (K² adds or a multiply-add, then − x), GELU, 2 biases, 2 residual adds
      ops: 2 * px * (2 * c + m) + px * c * ((p.mixer === 'pool' ? p.poolSize * p.poolSize : 2) + 1) + ACTIVATION_OPS.gelu * px * m + px * (m + c) + 2 * px * c,
      buffers: 2 * (2 * c + m),
    };
  },
  doc: {
    summary: 'A transformer-shaped block without attention: a cheap token mixer (pooling or a per-channel affine) in the first residual branch, a Conv+BN MLP in the second. Works on H×W×C feature maps, so it stays fast on small devices.',
    formula: "x' = x + Mixer(BN₁(x)),  Mixer(z) = AvgPool_K(z) − z  or  γ⊙z + β − z;  y = x' + BN₃(W₂·GELU(BN₂(W₁·x' + b₁)) + b₂)  (W₁, W₂: 1×1 convs C→M→C)",
    paramsFormula: "2C (BN₁) + 2C if affine + C·M + M + 2M (BN₂) + M·C + C + 2C (BN₃), M = ratio·C; e.g. C = 64, ratio 4, pool: 33,856 (+ 768 BN buffers)",
    flopsFormula: '2·(2·H·W·C·M) — the two 1×1 convs; the mixer costs K² adds per element and no MACs (attention would cost 2·(H·W)²·C)',
    use: "The lightweight-ViT options of note 001: EfficientFormer's finding that Conv+BN runs faster than Linear+LayerNorm (BN folds into the conv at inference) and its Meta4D block (pool mixer) for the early, high-resolution stages with MHSA only in the last stage; RiFormer's affine mixer, which removes token mixing and still trains to a useful accuracy. Put it after a conv stem (stride-2 convs), keep a few for each resolution, then flatten to tokens for encoders if wanted.",
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [metaformer] as const;
