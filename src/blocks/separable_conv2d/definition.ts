import { paddingParams } from '../../shared/blocks/common';
import { bool, int } from '../../shared/blocks/params';
import { checkWindow, expectRank, spatialOut } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const separableConv2d = defineBlock({
  type: 'core/separable_conv2d',
  title: 'Separable Conv2D',
  family: 'conv',
  trainable: true,
  window: (p) => ({ kernel: p.kernel, stride: p.stride, dilation: p.dilation }),
  fold: 'linear',
  params: {
    filters: int(32, 'Output channels of the pointwise (1×1) step.', { min: 1, max: 8192 }),
    kernel: int(3, 'Depthwise kernel size K (square K×K).', { min: 1, max: 31 }),
    stride: int(1, 'Stride of the depthwise step.', { min: 1, max: 16 }),
    ...paddingParams(),
    dilation: int(1, 'Dilation of the depthwise step.', { min: 1, max: 16 }),
    multiplier: int(1, 'Depth multiplier M of the depthwise step (Keras depth_multiplier).', { min: 1, max: 16 }),
    bias: bool(true, 'Add a learned bias per output channel, after the pointwise step (the depthwise step has none).'),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'Separable Conv2D');
    const [, h, w] = x as number[];
    if (p.dilation > 1 && p.stride > 1) throw new ShapeError('stride > 1 and dilation > 1 cannot be combined', 'dilation');
    checkWindow(h, p.kernel, p.padding, p.pad, p.dilation, 'height');
    checkWindow(w, p.kernel, p.padding, p.pad, p.dilation, 'width');
    return [null, spatialOut(h, p.kernel, p.stride, p.padding, p.pad, p.dilation), spatialOut(w, p.kernel, p.stride, p.padding, p.pad, p.dilation), p.filters];
  },
  cost([x], out, p) {
    const [, , , c] = x as number[];
    const [, ho, wo] = out as number[];
    const depthwise = p.kernel * p.kernel * c * p.multiplier;
    const pointwise = c * p.multiplier * p.filters;
    return {
      params: depthwise + pointwise + (p.bias ? p.filters : 0),
      macs: (depthwise + pointwise) * ho * wo,
      ops: p.bias ? ho * wo * p.filters : 0,
    };
  },
  doc: {
    summary: 'Depthwise-separable convolution in one block: a K×K depthwise conv (space) followed by a 1×1 pointwise conv (channels).',
    formula: 'y = PW₁ₓ₁(DW_K×K(x));  H_out as for Conv2D',
    paramsFormula: 'K·K·C_in·M + C_in·M·C_out + C_out (bias); e.g. 3×3, 3→16: 27 + 48 + 16 = 91 vs 448 for a full conv',
    flopsFormula: '2·(K·K·C_in + C_in·C_out)·H_out·W_out. Ratio to a full conv: 1/C_out + 1/K² (not "1/K²" as note 001 says)',
    use: 'MobileNet v1 and Xception replace full convs with it for ~8–9× fewer MACs at 3×3. Usually followed by BN and an activation.',
    notes: '000, 001, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [separableConv2d] as const;
