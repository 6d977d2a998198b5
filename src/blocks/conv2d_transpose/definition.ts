import { paddingParams } from '../../shared/blocks/common';
import { bool, int } from '../../shared/blocks/params';
import { expectRank } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError } from '../../shared/blocks/types';

/** PyTorch's ConvTranspose2d size rule; 'same' gives H·S (TensorFlow), 'valid' is explicit with P = 0. */
function transposeOut(size: number, k: number, s: number, padding: 'same' | 'valid' | 'explicit', pad: number, outPad: number): number {
  if (padding === 'same') return size * s;
  return (size - 1) * s - 2 * (padding === 'valid' ? 0 : pad) + k + outPad;
}

export const conv2dTranspose = defineBlock({
  type: 'core/conv2d_transpose',
  title: 'Conv2D Transpose',
  family: 'conv',
  trainable: true,
  params: {
    filters: int(32, 'Output channels.', { min: 1, max: 8192 }),
    kernel: int(2, 'Kernel size K (square K×K). K = S = 2 doubles H and W without overlap.', { min: 1, max: 31 }),
    stride: int(2, 'Upsampling factor S: zeros are inserted between input pixels.', { min: 1, max: 16 }),
    ...paddingParams(),
    outputPadding: int(0, "Extra rows/columns added on one side of the output ('explicit'/'valid' only); must be < stride.", { min: 0, max: 15 }),
    bias: bool(true, 'Add a learned bias per output channel.'),
  },
  inferShape([x], p) {
    expectRank(x, 3, 'Conv2D Transpose');
    const [, h, w] = x as number[];
    if (p.padding === 'same' && p.outputPadding > 0) {
      throw new ShapeError("outputPadding only applies to 'explicit' or 'valid' padding ('same' always gives H·S)", 'outputPadding');
    }
    if (p.outputPadding >= p.stride) throw new ShapeError(`outputPadding ${p.outputPadding} must be smaller than the stride ${p.stride}`, 'outputPadding');
    const ho = transposeOut(h, p.kernel, p.stride, p.padding, p.pad, p.outputPadding);
    const wo = transposeOut(w, p.kernel, p.stride, p.padding, p.pad, p.outputPadding);
    if (ho < 1 || wo < 1) {
      throw new ShapeError(`pad ${p.pad} is too large: the output would be ${ho}×${wo} ((H−1)·S − 2P + K + outputPadding)`, 'pad');
    }
    return [null, ho, wo, p.filters];
  },
  cost([x], out, p) {
    const [, h, w, c] = x as number[];
    const [, ho, wo] = out as number[];
    const weights = p.kernel * p.kernel * c * p.filters;
    // Every input pixel scatters a K×K×C_out patch (fvcore's count): MACs scale with the input size.
    return { params: weights + (p.bias ? p.filters : 0), macs: weights * h * w, ops: p.bias ? ho * wo * p.filters : 0 };
  },
  doc: {
    summary: 'Learned upsampling ("deconvolution"): each input pixel stamps a weighted K×K kernel onto a stride-S grid; overlapping stamps are summed.',
    formula: "explicit: H_out = (H−1)·S − 2P + K + output_padding;  valid: P = 0;  same: H_out = H·S",
    paramsFormula: 'K·K·C_in·C_out + C_out (bias)',
    flopsFormula: '2·K·K·C_in·C_out·H_in·W_in',
    use: 'Decoder upsampling in FCN/UNet and GAN generators. It restores the size, not the lost values; K not divisible by S gives checkerboard artifacts (Upsample + Conv avoids them).',
    notes: '000, 001, 002',
  },
});

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = [conv2dTranspose] as const;
