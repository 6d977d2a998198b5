import { bool } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock, type DocCard } from '../../shared/blocks/types';

function globalPool(kind: 'avg' | 'max', doc: DocCard) {
  const title = kind === 'avg' ? 'Global Average Pool' : 'Global Max Pool';
  return defineBlock({
    type: `pool/global_${kind}pool`,
    title,
    family: 'pool',
    params: {
      keepDims: bool(false, 'Keep the spatial axes: output 1×1×C instead of a flat C vector (for gating with Multiply).'),
    },
    inferShape([x], p) {
      expectRank(x, 3, title);
      const c = x[3] as number;
      return p.keepDims ? [null, 1, 1, c] : [null, c];
    },
    cost: ([x]) => {
      const [, h, w, c] = x as number[];
      return { params: 0, macs: 0, ops: h * w * c };
    },
    doc,
  });
}

export const globalAvgPool = globalPool('avg', {
  summary: 'Averages each channel over the whole H×W map: one number per channel.',
  formula: 'y_c = (1/(H·W))·Σ_{h,w} x[h,w,c];  [H, W, C] → [C] (or [1, 1, C] with keepDims)',
  paramsFormula: '0',
  flopsFormula: '0 MACs; H·W·C adds',
  use: 'Replaces Flatten + big FC layers before the classifier (NiN, GoogLeNet, ResNet): no parameters, any input size, less overfitting. Also the "squeeze" of SE blocks.',
  notes: '001, 004',
});

export const globalMaxPool = globalPool('max', {
  summary: 'Takes the maximum of each channel over the whole H×W map.',
  formula: 'y_c = max_{h,w} x[h,w,c];  [H, W, C] → [C] (or [1, 1, C] with keepDims)',
  paramsFormula: '0',
  flopsFormula: '0 MACs; H·W·C compares',
  use: 'Detects whether a feature occurs anywhere; used with average pooling in CBAM. Only the arg-max position receives gradient.',
  notes: '000, 001',
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [globalAvgPool, globalMaxPool] as const;
