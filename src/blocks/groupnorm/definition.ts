import { float, int } from '../../shared/blocks/params';
import { elements, lastDim } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const groupNorm = defineBlock({
  type: 'norm/groupnorm',
  title: 'GroupNorm',
  family: 'norm',
  trainable: true,
  params: {
    groups: int(32, 'Channel groups G; each group is normalised on its own. G = 1 is LayerNorm over H·W·C, G = C is InstanceNorm.', { min: 1, max: 1024 }),
    epsilon: float(1e-5, 'ε added to the variance.', { min: 0, max: 1 }),
  },
  inferShape([x], p) {
    if (x.length < 2) throw new ShapeError('GroupNorm needs at least one feature dimension');
    const c = lastDim(x);
    if (c % p.groups !== 0) throw new ShapeError(`groups ${p.groups} must divide the channels ${c}`, 'groups');
    return x;
  },
  cost([x], out) {
    return { params: 2 * lastDim(x), macs: 0, ops: 5 * elements(out) };
  },
  doc: {
    summary: 'Splits the channels into G groups and normalises each group of each sample over (H, W, C/G); per-channel γ and β. Independent of the batch size.',
    formula: 'y = γ_c·(x − μ_g)/√(σ_g² + ε) + β_c, with μ_g, σ_g² over H·W·(C/G) of one sample',
    paramsFormula: '2·C (γ, β); no running statistics',
    flopsFormula: '0 MACs; ≈ 5·elements ops',
    use: 'Replaces BN when batches are tiny (detection, segmentation, high resolution), where BN statistics are noisy. G = 32 is the usual choice.',
    notes: '004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [groupNorm] as const;
