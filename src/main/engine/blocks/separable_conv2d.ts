import * as tf from '@tensorflow/tfjs';
import { separableConv2d as def } from '../../../shared/blocks/separable_conv2d';
import { buildDepthwise } from './depthwise_conv2d';
import { applyLayer } from './layer';
import { twin } from './types';

/**
 * A depthwise layer `__dw` (no bias) then a 1×1 conv. Not tfjs' SeparableConv2D: its getConfig drops
 * depthMultiplier (a reloaded model fails to load) and its dilation has no gradient.
 */
export const separableConv2d = twin(def, (ctx, [input], p) => {
  const dw = buildDepthwise(ctx, input, { ...p, bias: false }, ctx.name('dw'));
  return applyLayer(tf.layers.conv2d({ filters: p.filters, kernelSize: 1, useBias: p.bias, kernelInitializer: ctx.kernelInit('conv'), name: ctx.name() }), dw);
});
