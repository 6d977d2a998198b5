import { paddingParams } from '../../shared/blocks/common';
import { bool, int } from '../../shared/blocks/params';
import { checkWindow, expectRank, spatialOut } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

export const depthwiseConv2d = defineBlock({
  type: 'core/depthwise_conv2d',
  title: 'Depthwise Conv2D',
  family: 'conv',
  trainable: true,
  window: (p) => ({ kernel: p.kernel, stride: p.stride, dilation: p.dilation }),
  fold: 'linear',
  params: {
    kernel: int(3, 'Kernel size K (square K×K), one kernel per input channel.', { min: 1, max: 31 }),
    stride: int(1, 'Step S between windows; S=2 halves H and W.', { min: 1, max: 16 }),
    ...paddingParams(),
    dilation: int(1, 'Dilation D: spaces the kernel taps, receptive field D·(K−1)+1.', { min: 1, max: 16 }),
    multiplier: int(1, 'Depth multiplier M: kernels per input channel; the output has C·M channels.', { min: 1, max: 16 }),
    bias: bool(true, 'Add a learned bias per output channel (turn off before BatchNorm).'),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'Depthwise Conv2D');
    const [, h, w, c] = x as number[];
    if (p.dilation > 1 && p.stride > 1) throw new ShapeError('stride > 1 and dilation > 1 cannot be combined', 'dilation');
    checkWindow(h, p.kernel, p.padding, p.pad, p.dilation, 'height');
    checkWindow(w, p.kernel, p.padding, p.pad, p.dilation, 'width');
    return [null, spatialOut(h, p.kernel, p.stride, p.padding, p.pad, p.dilation), spatialOut(w, p.kernel, p.stride, p.padding, p.pad, p.dilation), c * p.multiplier];
  },
  cost([x], out, p) {
    const [, , , c] = x as number[];
    const [, ho, wo, co] = out as number[];
    const weights = p.kernel * p.kernel * c * p.multiplier;
    return { params: weights + (p.bias ? co : 0), macs: weights * ho * wo, ops: p.bias ? ho * wo * co : 0 };
  },
  doc: {
    summary: 'One K×K kernel per input channel (×M): filters space, keeps the channel count and does not mix channels.',
    formula: 'y[h,w,c·M+m] = Σ_{i,j} x[h·S+i, w·S+j, c]·k[i,j,c,m];  H_out as for Conv2D',
    paramsFormula: 'K·K·C·M + C·M (bias)',
    flopsFormula: '2·K·K·C·M·H_out·W_out — about C_out times fewer than a full conv',
    use: 'The spatial half of a depthwise-separable conv (MobileNet, Xception, EfficientNet MBConv); follow it with a 1×1 conv to mix channels. Example: 3×3 on 3 channels = 27 weights instead of 3·3·3·16 = 432.',
    notes: '000, 001, 004',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [depthwiseConv2d] as const;
