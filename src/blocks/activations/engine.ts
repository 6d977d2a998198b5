import * as tf from '@tensorflow/tfjs';
import * as defs from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { activationNodes, type ActName } from '../../main/engine/export/onnx/ops';
import { torchActivation, torchUnary } from '../../main/engine/export/pytorch/ops';
import { twin, type BuildCtx, type OnnxCtx } from '../../main/engine/blocks/types';
import { ActFn, Activation, AxisSoftmax } from './layer';

export * from './layer';

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

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [relu, relu6, leakyRelu, prelu, elu, gelu, silu, hardswish, hardsigmoid, mish, sigmoid, tanh, softmax];
