import { axisName } from '../../shared/blocks/common';
import { elements } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';
import type { Dim } from '../../shared/graph/types';

export const multiply = defineBlock({
  type: 'merge/multiply',
  title: 'Multiply',
  family: 'merge',
  params: {},
  inputs: [{ name: 'in', variadic: true, min: 2 }],
  inferShape(inputs, _p, ctx) {
    const out: Dim[] = [...inputs[0]];
    for (let i = 1; i < inputs.length; i++) {
      const s = inputs[i];
      if (s.length !== out.length) {
        throw new ShapeError(
          `cannot multiply ${ctx.describeInput(0)} and ${ctx.describeInput(i)}: the ranks differ; give the smaller one size-1 axes (e.g. global pooling with keepDims gives 1×1×C)`,
        );
      }
      for (let d = 1; d < out.length; d++) {
        const a = out[d] as number;
        const b = s[d] as number;
        if (a === b || b === 1) continue;
        if (a === 1) {
          out[d] = b;
          continue;
        }
        throw new ShapeError(
          `cannot multiply ${ctx.describeInput(0)} and ${ctx.describeInput(i)}: ${axisName(out.length - 1, d)} ${a} ≠ ${b} and neither is 1`,
        );
      }
    }
    return out;
  },
  cost: (inputs, out) => ({ params: 0, macs: 0, ops: (inputs.length - 1) * elements(out) }),
  doc: {
    summary: 'Element-wise product with NumPy broadcasting: a size-1 axis stretches to match, e.g. H×W×C × 1×1×C.',
    formula: 'y = Π xᵢ (broadcast)',
    paramsFormula: '0',
    flopsFormula: '0 MACs; (n − 1)·elements ops',
    use: 'Attention gating: scale a feature map by per-channel (SE) or per-position (CA, spatial attention) weights in (0, 1). Inputs must have the same rank.',
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [multiply] as const;
