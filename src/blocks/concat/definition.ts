import { axisName, resolveAxis } from '../../shared/blocks/common';
import { int } from '../../shared/blocks/params';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const concat = defineBlock({
  type: 'merge/concat',
  title: 'Concatenate',
  family: 'merge',
  params: {
    axis: int(-1, 'Axis to join along (−1 = channels); every other dimension must match. The batch axis 0 is not allowed.', { min: -4, max: 4 }),
  },
  inputs: [{ name: 'in', variadic: true, min: 2 }],
  inferShape(inputs, p, ctx) {
    const first = inputs[0];
    const axis = resolveAxis(p.axis, first);
    const out = [...first];
    for (let i = 1; i < inputs.length; i++) {
      const s = inputs[i];
      if (s.length !== first.length) {
        throw new ShapeError(`cannot concatenate ${ctx.describeInput(0)} and ${ctx.describeInput(i)}: the ranks differ`);
      }
      for (let d = 1; d < first.length; d++) {
        if (d !== axis && s[d] !== first[d]) {
          throw new ShapeError(
            `cannot concatenate ${ctx.describeInput(0)} and ${ctx.describeInput(i)} along axis ${p.axis}: ${axisName(first.length - 1, d)} ${first[d]} ≠ ${s[d]} (all other dimensions must match)`,
          );
        }
      }
      out[axis] = (out[axis] as number) + (s[axis] as number);
    }
    return out;
  },
  cost: () => ({ params: 0, macs: 0, ops: 0 }),
  doc: {
    summary: 'Joins its inputs along one axis (channels by default); all other dimensions must be equal.',
    formula: 'C_out = Σ Cᵢ  (for axis −1)',
    paramsFormula: '0',
    flopsFormula: '0 (a copy)',
    use: 'Inception branches, DenseNet dense connections, UNet/FPN skips (upsample, then concat with the encoder features). Unlike Add, it keeps both inputs separate and grows the channel count.',
    notes: '000, 001, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [concat] as const;
