import { padEffective } from '../../shared/blocks/common';
import { bool, int, oneOf } from '../../shared/blocks/params';
import { checkWindow, expectRank, lastDim, spatialOut } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const conv2d = defineBlock({
  type: 'core/conv2d',
  title: 'Conv2D',
  family: 'conv',
  trainable: true,
  window: (p) => ({ kernel: p.kernel, stride: p.stride, dilation: p.dilation }),
  fold: 'linear',
  params: {
    filters: int(32, 'Output channels (number of kernels).', { min: 1 }),
    kernel: int(3, 'Kernel size K (square K×K).', { min: 1 }),
    stride: int(1, 'Step S between windows; S=2 halves H and W.', { min: 1 }),
    padding: oneOf(['same', 'valid', 'explicit'], 'same', "'same' keeps ⌈H/S⌉; 'valid' adds none; 'explicit' pads P on each side."),
    pad: int(0, "P, the zeros added on each side when padding is 'explicit'.", { min: 0, effective: padEffective }),
    dilation: int(1, 'Dilation D: spaces the kernel taps, growing the receptive field to D·(K−1)+1 at no extra cost.', { min: 1 }),
    groups: int(1, 'Group convolution: split channels into G groups; parameters ÷ G. G = C_in is a depthwise conv.', { min: 1 }),
    bias: bool(true, 'Add a learned bias per output channel (turn off before BatchNorm, which has its own β).'),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'Conv2D');
    const [, h, w, c] = x as number[];
    if (c % p.groups !== 0) throw new ShapeError(`groups ${p.groups} must divide the input channels ${c}`, 'groups');
    if (p.filters % p.groups !== 0) throw new ShapeError(`groups ${p.groups} must divide the filters ${p.filters}`, 'groups');
    if (p.dilation > 1 && p.stride > 1) throw new ShapeError('stride > 1 and dilation > 1 cannot be combined', 'dilation');
    checkWindow(h, p.kernel, p.padding, p.pad, p.dilation, 'height');
    checkWindow(w, p.kernel, p.padding, p.pad, p.dilation, 'width');
    return [null, spatialOut(h, p.kernel, p.stride, p.padding, p.pad, p.dilation), spatialOut(w, p.kernel, p.stride, p.padding, p.pad, p.dilation), p.filters];
  },
  cost([x], out, p) {
    const cin = lastDim(x);
    const [, ho, wo] = out as number[];
    const weights = p.kernel * p.kernel * (cin / p.groups) * p.filters;
    return { params: weights + (p.bias ? p.filters : 0), macs: weights * ho * wo, ops: p.bias ? ho * wo * p.filters : 0 };
  },
  doc: {
    summary: 'Slides K×K learned kernels over the feature map: local connectivity and weight sharing.',
    formula: 'H_out = ⌊(H + 2P − D·(K−1) − 1)/S⌋ + 1',
    paramsFormula: 'K·K·(C_in/G)·C_out + C_out (bias)',
    flopsFormula: '2·K·K·(C_in/G)·C_out·H_out·W_out',
    use: 'Feature extraction. Two stacked 3×3 convs see as much as one 5×5 with fewer parameters; 1×1 convs mix channels.',
    notes: '000, 001, 003, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [conv2d] as const;
