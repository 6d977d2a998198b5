import * as tf from '@tensorflow/tfjs';
import { conv2dTranspose as def } from './definition';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { transpose4 } from '../../main/engine/export/onnx/ops';
import { twin, type WeightArray } from '../../main/engine/blocks/types';

interface TransposeOpts {
  [key: string]: number | boolean;
  filters: number;
  kernel: number;
  stride: number;
  /** P rows/columns cropped from each side of the full output (PyTorch's `padding`). */
  crop: number;
  outputPadding: number;
  useBias: boolean;
}

/** PyTorch's ConvTranspose2d size rule, (H−1)·S − 2P + K + output_padding, which tfjs' layer lacks. */
export class Conv2DTransposeExplicit extends NetsmithLayer<TransposeOpts> {
  static className = 'Netsmith>Conv2DTranspose';
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const { kernel: k, filters } = this.opts;
    this.kernel = this.addWeight('kernel', [k, k, filters, c], 'float32', this.initOf('kernel'), undefined, true);
    if (this.opts.useBias) this.bias = this.addWeight('bias', [filters], 'float32', this.initOf('bias'), undefined, true);
  }

  private outLength(size: number | null): number | null {
    const { kernel: k, stride: s, crop, outputPadding } = this.opts;
    return size === null ? null : (size - 1) * s - 2 * crop + k + outputPadding;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = oneShape(inputShape);
    return [b, this.outLength(h), this.outLength(w), this.opts.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const [b, h, w] = x.shape;
      const { kernel: k, stride: s, crop, outputPadding: op, filters } = this.opts;
      // The full output plus output_padding rows, which get no contribution (only the bias), as in PyTorch.
      const hf = (h - 1) * s + k + op;
      const wf = (w - 1) * s + k + op;
      let y: tf.Tensor4D = tf.conv2dTranspose(x, this.kernel!.read() as tf.Tensor4D, [b, hf, wf, filters], s, 'valid');
      if (crop > 0) y = y.slice([0, crop, crop, 0], [-1, hf - 2 * crop, wf - 2 * crop, -1]);
      return this.bias ? y.add(this.bias.read()) : y;
    });
  }
}
registerLayer(Conv2DTransposeExplicit);

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
