import * as tf from '@tensorflow/tfjs';
import { avgPool as avgDef, maxPool as maxDef } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { LOWEST_FLOAT32, resolvePadding } from '../../main/engine/blocks/padding';
import { onnxPads } from '../../main/engine/export/onnx/ops';
import { torchAvgPool, torchMaxPool } from '../../main/engine/export/pytorch/pool';
import { twin } from '../../main/engine/blocks/types';

// Explicit padding: max pooling pads with −∞ (PyTorch), average pooling with zeros that count (count_include_pad).
export const maxPool = twin(maxDef, (ctx, [input], p) => {
  const { x, padding } = resolvePadding(ctx, input, p.padding, p.pad, LOWEST_FLOAT32);
  return applyLayer(tf.layers.maxPooling2d({ poolSize: p.size, strides: p.stride || p.size, padding, name: ctx.name() }), x);
}, {
  onnx: (ctx, [x], p) => {
    const s = p.stride || p.size;
    return ctx.op('MaxPool', [x], { kernel_shape: [p.size, p.size], strides: [s, s], pads: onnxPads(ctx.inputShapes[0], { kernel: p.size, stride: s, padding: p.padding, pad: p.pad }) });
  },
  pytorch: (ctx, p) => torchMaxPool(ctx, { kernel: p.size, stride: p.stride || p.size, padding: p.padding, pad: p.pad }),
});

export const avgPool = twin(avgDef, (ctx, [input], p) => {
  const { x, padding } = resolvePadding(ctx, input, p.padding, p.pad);
  return applyLayer(tf.layers.averagePooling2d({ poolSize: p.size, strides: p.stride || p.size, padding, name: ctx.name() }), x);
}, {
  // 'same' averages only the real pixels (TensorFlow); explicit zeros count (PyTorch's count_include_pad).
  onnx: (ctx, [x], p) => {
    const s = p.stride || p.size;
    const pads = onnxPads(ctx.inputShapes[0], { kernel: p.size, stride: s, padding: p.padding, pad: p.pad });
    return ctx.op('AveragePool', [x], { kernel_shape: [p.size, p.size], strides: [s, s], pads, count_include_pad: p.padding === 'explicit' ? 1 : 0 });
  },
  pytorch: (ctx, p) => torchAvgPool(ctx, { kernel: p.size, stride: p.stride || p.size, padding: p.padding, pad: p.pad }),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [maxPool, avgPool];
