import { bool, int } from '../../shared/blocks/params';
import { elements, lastDim } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const dense = defineBlock({
  type: 'core/dense',
  title: 'Dense',
  family: 'dense',
  trainable: true,
  fold: 'linear',
  params: {
    units: int(10, 'Output features N_out.', { min: 1 }),
    bias: bool(true, 'Add a learned bias per output.'),
  },
  inferShape([x], p) {
    if (x.length < 2) throw new ShapeError('Dense needs at least one feature dimension');
    // Like Keras and nn.Linear: applied to the last axis (per token for sequences).
    return [...x.slice(0, -1), p.units];
  },
  cost([x], out, p) {
    const nin = lastDim(x);
    const positions = elements(out) / p.units;
    return { params: nin * p.units + (p.bias ? p.units : 0), macs: nin * p.units * positions, ops: p.bias ? elements(out) : 0 };
  },
  doc: {
    summary: 'Fully connected (Linear) layer: every output is a weighted sum of all inputs along the last axis.',
    formula: 'y = xW + b',
    paramsFormula: 'N_in·N_out + N_out',
    flopsFormula: '2·N_in·N_out (per position)',
    use: 'Classification heads after Flatten or global pooling; the MLP inside transformer blocks.',
    notes: '001, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [dense] as const;
