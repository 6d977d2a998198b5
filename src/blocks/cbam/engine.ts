import * as tf from '@tensorflow/tfjs';
import { cbam as def, cbamHidden } from './definition';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { transpose4 } from '../../main/engine/export/onnx/ops';
import { linearState, torchConvWeight } from '../../main/engine/export/pytorch/ops';
import { twin, type OnnxCtx, type WeightArray } from '../../main/engine/blocks/types';

interface CbamOpts {
  [key: string]: number | boolean;
  hidden: number;
  spatialKernel: number;
  useBias: boolean;
}

/**
 * CBAM as the paper's equations: channel attention σ(MLP(avg) + MLP(max)) with a shared MLP, then spatial
 * attention σ(conv_k([mean_c; max_c])) with a 2→1 conv without bias.
 */
export class Cbam extends NetsmithLayer<CbamOpts> {
  static className = 'Netsmith>CBAM';
  private w1?: tf.LayerVariable;
  private b1?: tf.LayerVariable;
  private w2?: tf.LayerVariable;
  private b2?: tf.LayerVariable;
  private spatial?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const { hidden: s, spatialKernel: k } = this.opts;
    this.w1 = this.addWeight('fc1_kernel', [c, s], 'float32', this.initOf('fc1'), undefined, true);
    this.w2 = this.addWeight('fc2_kernel', [s, c], 'float32', this.initOf('fc2'), undefined, true);
    if (this.opts.useBias) {
      this.b1 = this.addWeight('fc1_bias', [s], 'float32', tf.initializers.zeros(), undefined, true);
      this.b2 = this.addWeight('fc2_bias', [c], 'float32', tf.initializers.zeros(), undefined, true);
    }
    this.spatial = this.addWeight('spatial_kernel', [k, k, 2, 1], 'float32', this.initOf('spatial'), undefined, true);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const [b, , , c] = x.shape;
      // The shared MLP on both descriptors at once: rows 0..B−1 average, B..2B−1 max.
      let h = tf.concat([x.mean([1, 2]), x.max([1, 2])], 0).matMul(this.w1!.read() as tf.Tensor2D);
      if (this.b1) h = h.add(this.b1.read());
      let m = tf.relu(h).matMul(this.w2!.read() as tf.Tensor2D);
      if (this.b2) m = m.add(this.b2.read());
      const [ma, mm] = tf.split(m, 2, 0);
      const xc = x.mul(tf.sigmoid(ma.add(mm)).reshape([b, 1, 1, c])) as tf.Tensor4D;
      const desc = tf.concat([xc.mean(3, true), xc.max(3, true)], 3) as tf.Tensor4D;
      return xc.mul(tf.sigmoid(tf.conv2d(desc, this.spatial!.read() as tf.Tensor4D, 1, 'same')));
    });
  }
}
registerLayer(Cbam);

export const cbam = twin(def, (ctx, [x], p) => {
  const c = x.shape[3] as number;
  const layer = new Cbam({
    name: ctx.name(),
    opts: { hidden: cbamHidden(c, p.reduction), spatialKernel: p.spatialKernel, useBias: p.bias },
    inits: { fc1: ctx.kernelInit('dense'), fc2: ctx.kernelInit('dense'), spatial: ctx.kernelInit('conv') },
  });
  return applyLayer(layer, x);
}, {
  // NCHW: the shared MLP on the GAP and GMP vectors, σ(sum) per channel, then the 2→1 conv on [mean_c; max_c].
  onnx: (ctx, [x]) => {
    const w = ctx.weights();
    const mlp = (v: string, from: 'avg' | 'max'): string => {
      const fc = (h: string, i: 1 | 2): string => {
        const y = ctx.op('MatMul', [h, ctx.constant(w[`fc${i}_kernel`].data, w[`fc${i}_kernel`].shape, `${from}/fc${i}_kernel`)], {}, `${from}/fc${i}`);
        const b = w[`fc${i}_bias`];
        return b ? ctx.op('Add', [y, ctx.constant(b.data, b.shape, `${from}/fc${i}_bias`)], {}, `${from}/fc${i}_add`) : y;
      };
      return fc(ctx.op('Relu', [fc(v, 1)], {}, `${from}/relu`), 2);
    };
    const pooled = (op: string, from: 'avg' | 'max'): string => ctx.op('Flatten', [ctx.op(op, [x], {}, `${from}/pool`)], { axis: 1 }, `${from}/flat`);
    const channel = ctx.op('Sigmoid', [ctx.op('Add', [mlp(pooled('GlobalAveragePool', 'avg'), 'avg'), mlp(pooled('GlobalMaxPool', 'max'), 'max')], {}, 'channel_sum')], {}, 'channel_gate');
    const xc = ctx.op('Mul', [x, ctx.op('Unsqueeze', [channel, ctx.ints([2, 3], 'channel_axes')], {}, 'channel_scale')], {}, 'channel_out');
    const desc = ctx.op(
      'Concat',
      [ctx.op('ReduceMean', [xc], { axes: [1], keepdims: 1 }, 'mean_c'), ctx.op('ReduceMax', [xc], { axes: [1], keepdims: 1 }, 'max_c')],
      { axis: 1 },
      'descriptor',
    );
    const spatial = spatialConv(ctx, desc, w.spatial_kernel);
    return ctx.op('Mul', [xc, ctx.op('Sigmoid', [spatial], {}, 'spatial_gate')]);
  },
  pytorch: (ctx, p) => {
    const w = ctx.weights();
    const [c, s] = w.fc1_kernel.shape;
    const k = w.spatial_kernel.shape[0];
    const state: Record<string, WeightArray> = { 'spatial.weight': torchConvWeight(w.spatial_kernel, false) };
    for (const i of [1, 2] as const) for (const [key, v] of Object.entries(linearState(w[`fc${i}_kernel`], w[`fc${i}_bias`]))) state[`fc${i}.${key}`] = v;
    return { module: `CBAM(${c}, ${s}, ${k}, bias=${p.bias ? 'True' : 'False'})`, forward: (self, [x]) => `${self}(${x})`, state };
  },
});

/** The k×k 2→1 spatial-attention conv, stride 1, 'same' (k odd: symmetric padding), no bias. */
function spatialConv(ctx: OnnxCtx, desc: string, kernel: WeightArray): string {
  const k = kernel.shape[0];
  const onnxW = transpose4(kernel, [3, 2, 0, 1]);
  const pad = (k - 1) / 2;
  return ctx.op('Conv', [desc, ctx.constant(onnxW.data, onnxW.shape, 'spatial_weight')], { kernel_shape: [k, k], strides: [1, 1], pads: [pad, pad, pad, pad] }, 'spatial');
}
