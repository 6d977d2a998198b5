import { paddingParams } from '../../shared/blocks/common';
import { int } from '../../shared/blocks/params';
import { checkWindow, expectRank, spatialOut } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError, type DocCard } from '../../shared/blocks/types';

function pool(kind: 'max' | 'avg', doc: DocCard) {
  const title = kind === 'max' ? 'Max Pool' : 'Average Pool';
  return defineBlock({
    type: `pool/${kind}pool`,
    title,
    family: 'pool',
    window: (p) => ({ kernel: p.size, stride: p.stride || p.size, dilation: 1 }),
    params: {
      size: int(2, 'Window size K (square K×K).', { min: 1, max: 31 }),
      stride: int(0, 'Step S between windows; 0 means S = K (non-overlapping windows).', { min: 0, max: 31, effective: (p) => (p.stride ? undefined : { text: `${Number(p.size ?? 2)} (= size)` }) }),
      ...paddingParams(),
    },
    inferShape([x], p) {
      expectRank(x, 3, title);
      const [, h, w, c] = x as number[];
      const s = p.stride || p.size;
      if (p.padding === 'explicit' && 2 * p.pad > p.size) {
        throw new ShapeError(`pad ${p.pad} must be at most half the window size ${p.size} (PyTorch's rule: no window may hold only padding)`, 'pad');
      }
      checkWindow(h, p.size, p.padding, p.pad, 1, 'height', 'size');
      checkWindow(w, p.size, p.padding, p.pad, 1, 'width', 'size');
      return [null, spatialOut(h, p.size, s, p.padding, p.pad), spatialOut(w, p.size, s, p.padding, p.pad), c];
    },
    // Each output reads a K×K window: K² compares (max) or adds (average) per output element.
    cost: (_in, out, p) => {
      const [, ho, wo, c] = out as number[];
      return { params: 0, macs: 0, ops: p.size * p.size * ho * wo * c };
    },
    doc,
  });
}

export const maxPool = pool('max', {
  summary: 'Keeps the largest value of each K×K window, per channel: downsampling with a little translation invariance.',
  formula: "valid/explicit: H' = ⌊(H + 2P − K)/S⌋ + 1 (PyTorch, floor mode);  same: H' = ⌈H/S⌉",
  paramsFormula: '0',
  flopsFormula: '0 MACs; K²·H_out·W_out·C compares (the notes\' table counts H_out·W_out·C)',
  use: "2×2 stride 2 halves H and W (VGG); 3×3 stride 2 pad 1 in the ResNet stem. Explicit padding pads with −∞, and P ≤ K/2. The gradient flows only to each window's maximum. Stride-2 conv vs max pool is an open question in the notes.",
  notes: '000, 001, 004',
});

export const avgPool = pool('avg', {
  summary: 'Averages each K×K window, per channel: smooth downsampling.',
  formula: "valid/explicit: H' = ⌊(H + 2P − K)/S⌋ + 1 (PyTorch, floor mode);  same: H' = ⌈H/S⌉",
  paramsFormula: '0',
  flopsFormula: '0 MACs; K²·H_out·W_out·C adds',
  use: "Downsampling in DenseNet transitions and some shortcut paths. Explicit padding adds zeros that count in the mean (PyTorch's count_include_pad=True), and P ≤ K/2.",
  notes: '004',
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [maxPool, avgPool] as const;
