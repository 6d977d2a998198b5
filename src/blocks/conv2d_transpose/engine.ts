import * as tf from '@tensorflow/tfjs';
import { conv2dTranspose as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { transpose4 } from '../../main/engine/export/onnx/ops';
import { twin, type WeightArray } from '../../main/engine/blocks/types';
import { Conv2DTransposeExplicit } from './layer';

export * from './layer';

export const conv2dTranspose = twin(def, (ctx, [x], p) => {
  const name = ctx.name();
  const kernelInitializer = ctx.kernelInit('convTranspose');
  // tfjs' 'valid' gives H·S + max(K − S, 0), which equals PyTorch's rule only when K ≥ S.
  if (p.padding === 'same' || (p.padding === 'valid' && p.kernel >= p.stride && p.outputPadding === 0)) {
    const layer = tf.layers.conv2dTranspose({ filters: p.filters, kernelSize: p.kernel, strides: p.stride, padding: p.padding, useBias: p.bias, kernelInitializer, name });
    return applyLayer(layer, x);
  }
  const crop = p.padding === 'explicit' ? p.pad : 0;
  const layer = new Conv2DTransposeExplicit({
    name,
    opts: { filters: p.filters, kernel: p.kernel, stride: p.stride, crop, outputPadding: p.outputPadding, useBias: p.bias },
    inits: { kernel: kernelInitializer },
  });
  return applyLayer(layer, x);
}, {
  // Kernel [K, K, C_out, C_in] → [C_in, C_out, K, K] (ONNX and PyTorch). 'same' (TensorFlow): the full output
  // (H−1)·S + K cropped by ⌊(K−S)/2⌋ before and the rest after, or extended by S − K zero rows when K < S.
  onnx: (ctx, [x], p) => {
    const { weight, bias } = transposeWeights(ctx.weights());
    const g = transposeGeometry(p);
    const inputs = [x, ctx.constant(weight.data, weight.shape, 'weight')];
    if (bias) inputs.push(ctx.constant(bias.data, bias.shape, 'bias'));
    return ctx.op('ConvTranspose', inputs, {
      kernel_shape: [p.kernel, p.kernel],
      strides: [p.stride, p.stride],
      pads: [g.before, g.before, g.after, g.after],
      output_padding: [g.outputPadding, g.outputPadding],
    });
  },
  pytorch: (ctx, p) => {
    const { weight, bias } = transposeWeights(ctx.weights());
    const g = transposeGeometry(p);
    const [cout, cin] = [weight.shape[1], weight.shape[0]];
    const symmetric = g.before === g.after;
    const module = `nn.ConvTranspose2d(${cin}, ${cout}, ${p.kernel}, stride=${p.stride}, padding=${symmetric ? g.before : 0}, output_padding=${g.outputPadding}, bias=${bias ? 'True' : 'False'})`;
    const [, ho, wo] = ctx.outputShape as number[];
    const b = g.before;
    const state: Record<string, WeightArray> = bias ? { weight, bias } : { weight };
    return {
      module,
      forward: (self, [x]) => (symmetric ? `${self}(${x})` : `${self}(${x})[:, :, ${b}:${b + ho}, ${b}:${b + wo}]`),
      state,
    };
  },
});

function transposeWeights(w: Record<string, WeightArray>): { weight: WeightArray; bias?: WeightArray } {
  return { weight: transpose4(w.kernel, [3, 2, 0, 1]), bias: w.bias };
}

/** Crop before/after the full output and the zero rows added at the end, per spatial axis. */
function transposeGeometry(p: { kernel: number; stride: number; padding: 'same' | 'valid' | 'explicit'; pad: number; outputPadding: number }): { before: number; after: number; outputPadding: number } {
  if (p.padding === 'explicit') return { before: p.pad, after: p.pad, outputPadding: p.outputPadding };
  if (p.padding === 'valid') return { before: 0, after: 0, outputPadding: p.outputPadding };
  const total = Math.max(p.kernel - p.stride, 0);
  const before = Math.floor(total / 2);
  return { before, after: total - before, outputPadding: Math.max(p.stride - p.kernel, 0) };
}

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [conv2dTranspose];
