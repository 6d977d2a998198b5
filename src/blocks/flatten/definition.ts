import { elements } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const flatten = defineBlock({
  type: 'reshape/flatten',
  title: 'Flatten',
  family: 'reshape',
  params: {},
  inferShape([x]) {
    if (x.length < 2) throw new ShapeError('Flatten needs an input with at least one feature dimension');
    return [null, elements(x)];
  },
  cost: () => ({ params: 0, macs: 0, ops: 0 }),
  doc: {
    summary: 'Unrolls each sample into one vector (row-major, NHWC order): H×W×C → H·W·C.',
    formula: '[B, H, W, C] → [B, H·W·C]',
    paramsFormula: '0',
    flopsFormula: '0 (a view)',
    use: 'Between a conv stack and Dense/Classify. Global average pooling is the lighter alternative (no H·W·C-wide Dense after it). Note: PyTorch flattens NCHW, so its weight order differs.',
    notes: '001, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [flatten] as const;
