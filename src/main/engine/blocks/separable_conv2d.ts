import * as tf from '@tensorflow/tfjs';
import { separableConv2d as def } from '../../../shared/blocks/separable_conv2d';
import { buildDepthwise } from './depthwise_conv2d';
import { applyLayer } from './layer';
import { resolvePadding } from './padding';
import { twin } from './types';

/** tfjs' SeparableConv2D (one layer); when dilated, a depthwise layer `__dw` then a 1×1 conv. */
export const separableConv2d = twin(def, (ctx, [input], p) => {
  if (p.dilation === 1) {
    const { x, padding } = resolvePadding(ctx, input, p.padding, p.pad);
    const layer = tf.layers.separableConv2d({
      filters: p.filters,
      kernelSize: p.kernel,
      strides: p.stride,
      padding,
      depthMultiplier: p.multiplier,
      useBias: p.bias,
      depthwiseInitializer: ctx.kernelInit('depthwise'),
      pointwiseInitializer: ctx.kernelInit('conv'),
      name: ctx.name(),
    });
    return applyLayer(layer, x);
  }
  const dw = buildDepthwise(ctx, input, { ...p, bias: false }, ctx.name('dw'));
  return applyLayer(tf.layers.conv2d({ filters: p.filters, kernelSize: 1, useBias: p.bias, kernelInitializer: ctx.kernelInit('conv'), name: ctx.name() }), dw);
});
