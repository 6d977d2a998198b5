import { int, oneOf } from '../../shared/blocks/params';
import { elements, expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock } from '../../shared/blocks/types';

export const upsample = defineBlock({
  type: 'reshape/upsample',
  title: 'Upsample',
  family: 'reshape',
  params: {
    scale: int(2, 'Integer factor s for H and W.', { min: 1, max: 16 }),
    mode: oneOf(['nearest', 'bilinear'], 'nearest', "'nearest' repeats pixels; 'bilinear' interpolates the 4 nearest (half-pixel centres, align_corners=False)."),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'Upsample');
    const [, h, w, c] = x as number[];
    return [null, h * p.scale, w * p.scale, c];
  },
  // Nearest copies; bilinear weighs 4 neighbours (4 multiplies + 3 adds) per output element.
  cost: (_in, out, p) => ({ params: 0, macs: 0, ops: p.mode === 'bilinear' ? 7 * elements(out) : 0 }),
  doc: {
    summary: 'Fixed (non-learned) upsampling by an integer factor: nearest-neighbour or bilinear interpolation.',
    formula: "H' = s·H,  W' = s·W",
    paramsFormula: '0',
    flopsFormula: '0 MACs; bilinear ≈ 7 ops per output element',
    use: 'Decoders (UNet, FPN top-down path, YOLO necks): upsample then concat with the skip features. Upsample + Conv avoids the checkerboard artifacts of a transposed conv.',
    notes: '001, 002',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [upsample] as const;
