import { elements, sameShape } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const add = defineBlock({
  type: 'merge/add',
  title: 'Add',
  family: 'merge',
  residual: true,
  params: {},
  inputs: [{ name: 'in', variadic: true, min: 2 }],
  inferShape(inputs, _p, ctx) {
    for (let i = 1; i < inputs.length; i++) {
      if (!sameShape(inputs[0], inputs[i])) {
        throw new ShapeError(`cannot add ${ctx.describeInput(0)} and ${ctx.describeInput(i)}: the shapes must be equal`);
      }
    }
    return inputs[0];
  },
  cost: (inputs, out) => ({ params: 0, macs: 0, ops: (inputs.length - 1) * elements(out) }),
  doc: {
    summary: 'Element-wise sum: the skip connection of a residual block, y = F(x) + x.',
    formula: 'y = Σ xᵢ',
    use: 'Residual connections let gradients flow straight through, curing vanishing gradients and the degradation problem in deep nets.',
    notes: '000, 001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [add] as const;
