import { ints } from '../../shared/blocks/params';
import { elements, formatShape } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const reshape = defineBlock({
  type: 'reshape/reshape',
  title: 'Reshape',
  family: 'reshape',
  params: {
    shape: ints([-1], 'Per-sample target shape (batch excluded), e.g. [64, 49] or [-1, 64]; one −1 is inferred.', { min: -1 }),
  },
  inferShape([x], p) {
    const target = p.shape;
    if (target.length === 0) throw new ShapeError('shape needs at least one dimension', 'shape');
    if (target.some((d) => d === 0 || d < -1)) throw new ShapeError(`shape entries must be positive or −1, got [${target.join(', ')}]`, 'shape');
    const unknown = target.filter((d) => d === -1).length;
    if (unknown > 1) throw new ShapeError(`only one −1 is allowed in shape, got [${target.join(', ')}]`, 'shape');
    const total = elements(x);
    const known = target.reduce((a, d) => (d === -1 ? a : a * d), 1);
    if (unknown === 1) {
      if (total % known !== 0) throw new ShapeError(`cannot infer −1: ${formatShape(x)} has ${total} elements, not divisible by ${known}`, 'shape');
      return [null, ...target.map((d) => (d === -1 ? total / known : d))];
    }
    if (known !== total) {
      throw new ShapeError(`cannot reshape ${formatShape(x)} (${total} elements) to ${target.join('×')} (${known} elements)`, 'shape');
    }
    return [null, ...target];
  },
  cost: () => ({ params: 0, macs: 0, ops: 0 }),
  doc: {
    summary: 'Reinterprets each sample with a new shape and the same elements (row-major order); the batch stays.',
    formula: '∏ shape = H·W·C (one −1 is inferred)',
    paramsFormula: '0',
    flopsFormula: '0 (a view)',
    use: 'Turning a feature map into tokens ([H, W, C] → [H·W, C]) or back, or a flat vector into a small map before a decoder.',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [reshape] as const;
