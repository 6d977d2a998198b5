import * as tf from '@tensorflow/tfjs';
import * as defs from './definition';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { activationNodes, type ActName } from '../../main/engine/export/onnx/ops';
import { torchActivation, torchUnary } from '../../main/engine/export/pytorch/ops';
import { twin, type BuildCtx, type OnnxCtx } from '../../main/engine/blocks/types';

/** Activations tfjs lacks or defines differently (ELU with α ≠ 1, exact GELU, hard sigmoid = ReLU6(x+3)/6). */
export type ActFn = 'elu' | 'gelu' | 'geluTanh' | 'silu' | 'hardswish' | 'hardsigmoid' | 'mish';

const SQRT_HALF = Math.SQRT1_2;
const GELU_TANH_C = Math.sqrt(2 / Math.PI);

export function activate(x: tf.Tensor, fn: ActFn | 'relu' | 'relu6' | 'sigmoid' | 'tanh', alpha = 1): tf.Tensor {
  switch (fn) {
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      // relu(x) + α(e^min(x,0) − 1): one smooth expression, no select.
      return alpha === 1 ? tf.elu(x) : tf.relu(x).add(tf.exp(tf.minimum(x, 0)).sub(1).mul(alpha));
    case 'gelu':
      return x.mul(tf.erf(x.mul(SQRT_HALF)).add(1)).mul(0.5);
    case 'geluTanh':
      return x.mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(GELU_TANH_C)).add(1)).mul(0.5);
    case 'silu':
      return x.mul(tf.sigmoid(x));
    case 'hardswish':
      return x.mul(tf.relu6(x.add(3))).div(6);
    case 'hardsigmoid':
      return tf.relu6(x.add(3)).div(6);
    case 'mish':
      return x.mul(tf.tanh(tf.softplus(x)));
  }
}

export class Activation extends NetsmithLayer<{ fn: ActFn; alpha: number }> {
  static className = 'Netsmith>Activation';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => activate(one(inputs), this.opts.fn, this.opts.alpha));
  }
}
registerLayer(Activation);

const custom = (fn: ActFn, alpha = 1) => (ctx: BuildCtx, [x]: tf.SymbolicTensor[]) =>
  applyLayer(new Activation({ name: ctx.name(), opts: { fn, alpha } }), x);
const builtin = (activation: 'relu6' | 'sigmoid' | 'tanh') => (ctx: BuildCtx, [x]: tf.SymbolicTensor[]) =>
  applyLayer(tf.layers.activation({ activation, name: ctx.name() }), x);

const onnxAct = (fn: ActName) => (ctx: OnnxCtx, [x]: string[]): string => activationNodes(ctx, x, fn);
const torchAct = (fn: ActName) => () => torchUnary(torchActivation(fn));

export const relu = twin(defs.relu, (ctx, [x]) => applyLayer(tf.layers.reLU({ name: ctx.name() }), x), { onnx: onnxAct('relu'), pytorch: torchAct('relu') });
export const relu6 = twin(defs.relu6, builtin('relu6'), { onnx: onnxAct('relu6'), pytorch: torchAct('relu6') });
export const leakyRelu = twin(defs.leakyRelu, (ctx, [x], p) => applyLayer(tf.layers.leakyReLU({ alpha: p.alpha, name: ctx.name() }), x), {
  onnx: (ctx, [x], p) => ctx.op('LeakyRelu', [x], { alpha: { float: p.alpha } }),
  pytorch: (_ctx, p) => torchUnary(`nn.LeakyReLU(${p.alpha})`),
});
/** One slope per channel: shared over every axis but the batch and the last (PyTorch's init 0.25). */
export const prelu = twin(defs.prelu, (ctx, [x]) => {
  const sharedAxes = Array.from({ length: x.shape.length - 2 }, (_, i) => i + 1);
  return applyLayer(tf.layers.prelu({ sharedAxes: sharedAxes.length ? sharedAxes : undefined, alphaInitializer: tf.initializers.constant({ value: 0.25 }), name: ctx.name() }), x);
}, {
  onnx: (ctx, [x]) => {
    const alpha = ctx.weights().alpha;
    const c = alpha.data.length;
    const rank = ctx.inputShapes[0].length;
    return ctx.op('PRelu', [x, ctx.constant(alpha.data, rank === 4 ? [c, 1, 1] : [c], 'slope')]);
  },
  pytorch: (ctx) => {
    // nn.PReLU's slopes sit on axis 1: tokens move their features there and back.
    const rank = ctx.inputShapes[0].length;
    const alpha = ctx.weights().alpha;
    return {
      module: `nn.PReLU(${alpha.data.length})`,
      forward: (self, [x]) => (rank === 3 ? `${self}(${x}.transpose(1, 2)).transpose(1, 2)` : `${self}(${x})`),
      state: { weight: { data: alpha.data, shape: [alpha.data.length] } },
    };
  },
});
export const elu = twin(defs.elu, (ctx, inputs, p) => custom('elu', p.alpha)(ctx, inputs), {
  onnx: (ctx, [x], p) => activationNodes(ctx, x, 'elu', p.alpha),
  pytorch: (_ctx, p) => torchUnary(torchActivation('elu', p.alpha)),
});
export const gelu = twin(defs.gelu, (ctx, inputs, p) => custom(p.approximate === 'tanh' ? 'geluTanh' : 'gelu')(ctx, inputs), {
  onnx: (ctx, [x], p) => activationNodes(ctx, x, p.approximate === 'tanh' ? 'geluTanh' : 'gelu'),
  pytorch: (_ctx, p) => torchUnary(torchActivation(p.approximate === 'tanh' ? 'geluTanh' : 'gelu')),
});
export const silu = twin(defs.silu, custom('silu'), { onnx: onnxAct('silu'), pytorch: torchAct('silu') });
export const hardswish = twin(defs.hardswish, custom('hardswish'), { onnx: onnxAct('hardswish'), pytorch: torchAct('hardswish') });
export const hardsigmoid = twin(defs.hardsigmoid, custom('hardsigmoid'), { onnx: onnxAct('hardsigmoid'), pytorch: torchAct('hardsigmoid') });
export const mish = twin(defs.mish, custom('mish'), { onnx: onnxAct('mish'), pytorch: torchAct('mish') });
export const sigmoid = twin(defs.sigmoid, builtin('sigmoid'), { onnx: onnxAct('sigmoid'), pytorch: torchAct('sigmoid') });
export const tanh = twin(defs.tanh, builtin('tanh'), { onnx: onnxAct('tanh'), pytorch: torchAct('tanh') });
/** Softmax along any axis; tf.softmax only takes the last one. */
export class AxisSoftmax extends NetsmithLayer<{ axis: number }> {
  static className = 'Netsmith>Softmax';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const e = x.sub(x.max(this.opts.axis, true)).exp();
      return e.div(e.sum(this.opts.axis, true));
    });
  }
}
registerLayer(AxisSoftmax);

export const softmax = twin(defs.softmax, (ctx, [x], p) => {
  const rank = x.shape.length;
  const axis = p.axis < 0 ? rank + p.axis : p.axis;
  if (axis === rank - 1) return applyLayer(tf.layers.softmax({ axis: -1, name: ctx.name() }), x);
  return applyLayer(new AxisSoftmax({ name: ctx.name(), opts: { axis } }), x);
}, {
  onnx: (ctx, [x], p) => {
    const rank = ctx.inputShapes[0].length;
    return ctx.op('Softmax', [x], { axis: ctx.axis(p.axis, rank) });
  },
  pytorch: (ctx, p) => torchUnary(`nn.Softmax(dim=${ctx.axis(p.axis, ctx.inputShapes[0].length)})`),
});
