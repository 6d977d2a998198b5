import { int } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock } from '../../shared/blocks/types';

const side = (help: string) => int(1, help, { min: 0, max: 512 });

export const zeroPad = defineBlock({
  type: 'reshape/zeropad',
  title: 'Zero Padding',
  family: 'reshape',
  params: {
    top: side('Rows of zeros added above.'),
    bottom: side('Rows of zeros added below.'),
    left: side('Columns of zeros added on the left.'),
    right: side('Columns of zeros added on the right.'),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'Zero Padding');
    const [, h, w, c] = x as number[];
    return [null, h + p.top + p.bottom, w + p.left + p.right, c];
  },
  cost: () => ({ params: 0, macs: 0, ops: 0 }),
  doc: {
    summary: 'Adds rows and columns of zeros around each feature map (possibly asymmetric).',
    formula: "H' = H + top + bottom,  W' = W + left + right",
    paramsFormula: '0',
    flopsFormula: '0',
    use: "Explicit or asymmetric padding before a 'valid' conv or pool, e.g. TensorFlow's 'same' for even kernels or stride 2 (pads more on the bottom/right), or ResNet's 3-pixel stem pad.",
    notes: '001, 002',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [zeroPad] as const;
