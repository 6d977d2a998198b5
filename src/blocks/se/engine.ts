import * as tf from '@tensorflow/tfjs';
import { seSqueeze, squeezeExcite as def } from './definition';
import { activate } from '../activations/engine';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { activationNodes } from '../../main/engine/export/onnx/ops';
import { linearState, torchActivation } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';

interface SeOpts {
  [key: string]: number | boolean | string;
  squeeze: number;
  activation: 'relu' | 'silu';
  gate: 'sigmoid' | 'hardsigmoid';
  useBias: boolean;
}

/** Squeeze-and-excitation: GAP → FC C→s → act → FC s→C → gate → channel scaling (FCs as matmuls). */
export class SqueezeExcite extends NetsmithLayer<SeOpts> {
  static className = 'Netsmith>SqueezeExcite';
  private w1?: tf.LayerVariable;
  private b1?: tf.LayerVariable;
  private w2?: tf.LayerVariable;
  private b2?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const s = this.opts.squeeze;
    this.w1 = this.addWeight('fc1_kernel', [c, s], 'float32', this.initOf('fc1'), undefined, true);
    this.w2 = this.addWeight('fc2_kernel', [s, c], 'float32', this.initOf('fc2'), undefined, true);
    if (this.opts.useBias) {
      this.b1 = this.addWeight('fc1_bias', [s], 'float32', tf.initializers.zeros(), undefined, true);
      this.b2 = this.addWeight('fc2_bias', [c], 'float32', tf.initializers.zeros(), undefined, true);
    }
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [b, , , c] = x.shape;
      let h = x.mean([1, 2]).matMul(this.w1!.read() as tf.Tensor2D);
      if (this.b1) h = h.add(this.b1.read());
      let g = activate(h, this.opts.activation).matMul(this.w2!.read() as tf.Tensor2D);
      if (this.b2) g = g.add(this.b2.read());
      return x.mul(activate(g, this.opts.gate).reshape([b, 1, 1, c]));
    });
  }
}
registerLayer(SqueezeExcite);

export const squeezeExcite = twin(def, (ctx, [x], p) => {
  const c = x.shape[3] as number;
  const layer = new SqueezeExcite({
    name: ctx.name(),
    opts: { squeeze: seSqueeze(c, p.reduction, p.squeeze), activation: p.activation, gate: p.gate, useBias: p.bias },
    inits: { fc1: ctx.kernelInit('dense'), fc2: ctx.kernelInit('dense') },
  });
  return applyLayer(layer, x);
}, {
  onnx: (ctx, [x], p) => {
    const w = ctx.weights();
    const fc = (h: string, i: 1 | 2): string => {
      const k = w[`fc${i}_kernel`];
      const y = ctx.op('MatMul', [h, ctx.constant(k.data, k.shape, `fc${i}_kernel`)], {}, `fc${i}`);
      const b = w[`fc${i}_bias`];
      return b ? ctx.op('Add', [y, ctx.constant(b.data, b.shape, `fc${i}_bias`)], {}, `fc${i}_add`) : y;
    };
    const squeezed = ctx.op('Flatten', [ctx.op('GlobalAveragePool', [x], {}, 'gap')], { axis: 1 }, 'squeeze');
    const h = activationNodes(ctx, fc(squeezed, 1), p.activation, 1, 'act');
    const g = activationNodes(ctx, fc(h, 2), p.gate, 1, 'gate');
    return ctx.op('Mul', [x, ctx.op('Unsqueeze', [g, ctx.ints([2, 3], 'axes')], {}, 'scale')]);
  },
  pytorch: (ctx, p) => {
    const w = ctx.weights();
    const [c, s] = w.fc1_kernel.shape;
    const state = Object.fromEntries([
      ...Object.entries(linearState(w.fc1_kernel, w.fc1_bias)).map(([k, v]) => [`fc1.${k}`, v] as const),
      ...Object.entries(linearState(w.fc2_kernel, w.fc2_bias)).map(([k, v]) => [`fc2.${k}`, v] as const),
    ]);
    return {
      module: `SqueezeExcite(${c}, ${s}, ${torchActivation(p.activation)}, ${torchActivation(p.gate)}, bias=${p.bias ? 'True' : 'False'})`,
      forward: (self, [x]) => `${self}(${x})`,
      state,
    };
  },
});
