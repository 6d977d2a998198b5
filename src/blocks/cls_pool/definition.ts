import { oneOf } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock } from '../../shared/blocks/types';

export const clsPool = defineBlock({
  type: 'tfm/cls_pool',
  title: 'Cls Pool',
  family: 'transformer',
  params: {
    mode: oneOf(['token', 'mean'], 'token', "'token' takes the [cls] token (position 0); 'mean' averages all tokens (global average pooling)."),
  },
  inferShape([x]) {
    expectRank(x, 2, 'Cls Pool');
    return [null, x[2]];
  },
  cost([x], _out, p) {
    const [, n, d] = x as number[];
    return { params: 0, macs: 0, ops: p.mode === 'mean' ? n * d : 0 };
  },
  doc: {
    summary: 'Reduces a token sequence to one vector for the head: the [cls] token, or the mean of all tokens.',
    formula: "token: y = x[0];  mean: y = (1/N)·Σₙ x[n];  [N, D] → [D]",
    paramsFormula: '0',
    flopsFormula: "0 MACs; N·D adds for 'mean'",
    use: "After the last encoder (and a final LayerNorm), before Classify. 'token' needs a Class Token at the start; 'mean' works without one (DeiT-style GAP).",
    notes: '001',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [clsPool] as const;
