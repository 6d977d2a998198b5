import * as tf from '@tensorflow/tfjs';
import { conv2d as def } from './definition';
import { GeneralConv2D } from '../../main/engine/blocks/conv';
import { applyLayer } from '../../main/engine/blocks/layer';
import { resolvePadding } from '../../main/engine/blocks/padding';
import { convNode } from '../../main/engine/export/onnx/ops';
import { torchConv } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';

export const conv2d = twin(def, (ctx, [input], p) => {
  const { x, padding } = resolvePadding(ctx, input, p.padding, p.pad);
  const cin = input.shape[3] as number;
  const common = { kernelSize: p.kernel, strides: p.stride, padding, useBias: p.bias, name: ctx.name() };
  if (p.dilation === 1 && p.groups === 1) {
    return applyLayer(tf.layers.conv2d({ ...common, filters: p.filters, kernelInitializer: ctx.kernelInit('conv') }), x);
  }
  const depthwise = p.groups === cin;
  if (p.dilation === 1 && depthwise) {
    return applyLayer(tf.layers.depthwiseConv2d({ ...common, depthMultiplier: p.filters / cin, depthwiseInitializer: ctx.kernelInit('depthwise') }), x);
  }
  const layer = new GeneralConv2D({
    name: common.name,
    opts: { filters: p.filters, kernel: p.kernel, stride: p.stride, padding, dilation: p.dilation, groups: p.groups, useBias: p.bias, depthwise },
    inits: { kernel: ctx.kernelInit(depthwise ? 'depthwise' : 'conv') },
  });
  return applyLayer(layer, x);
}, {
  onnx: (ctx, [x], p) => {
    const cin = ctx.inputShapes[0][3] as number;
    return convNode(ctx, x, { ...p, groups: p.groups, depthwise: p.groups === cin && p.groups > 1 });
  },
  pytorch: (ctx, p) => {
    const cin = ctx.inputShapes[0][3] as number;
    return torchConv(ctx, { ...p, groups: p.groups, depthwise: p.groups === cin && p.groups > 1 });
  },
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [conv2d];
