import * as tf from '@tensorflow/tfjs';
import { avgPool as avgDef, maxPool as maxDef } from '../../../shared/blocks/pooling';
import { applyLayer } from './layer';
import { LOWEST_FLOAT32, resolvePadding } from './padding';
import { twin } from './types';

// Explicit padding: max pooling pads with −∞ (PyTorch), average pooling with zeros that count (count_include_pad).
export const maxPool = twin(maxDef, (ctx, [input], p) => {
  const { x, padding } = resolvePadding(ctx, input, p.padding, p.pad, LOWEST_FLOAT32);
  return applyLayer(tf.layers.maxPooling2d({ poolSize: p.size, strides: p.stride || p.size, padding, name: ctx.name() }), x);
});

export const avgPool = twin(avgDef, (ctx, [input], p) => {
  const { x, padding } = resolvePadding(ctx, input, p.padding, p.pad);
  return applyLayer(tf.layers.averagePooling2d({ poolSize: p.size, strides: p.stride || p.size, padding, name: ctx.name() }), x);
});
