import * as tf from '@tensorflow/tfjs';
import { separableConv2d as def } from './definition';
import { buildDepthwise } from '../depthwise_conv2d/engine';
import { applyLayer } from '../../main/engine/blocks/layer';
import { convNode, onnxPads } from '../../main/engine/export/onnx/ops';
import { torchConv } from '../../main/engine/export/pytorch/ops';
import { twin, type WeightArray } from '../../main/engine/blocks/types';

/**
 * A depthwise layer `__dw` (no bias) then a 1×1 conv. Not tfjs' SeparableConv2D: its getConfig drops
 * depthMultiplier (a reloaded model fails to load) and its dilation has no gradient.
 */
export const separableConv2d = twin(def, (ctx, [input], p) => {
  const dw = buildDepthwise(ctx, input, { ...p, bias: false }, ctx.name('dw'));
  return applyLayer(tf.layers.conv2d({ filters: p.filters, kernelSize: 1, useBias: p.bias, kernelInitializer: ctx.kernelInit('conv'), name: ctx.name() }), dw);
}, {
  onnx: (ctx, [x], p) => {
    const dw = convNode(ctx, x, { ...p, groups: 1, depthwise: true }, 'dw');
    return convNode(ctx, dw, { kernel: 1, stride: 1, padding: 'valid', pad: 0, groups: 1, depthwise: false });
  },
  // nn.Sequential([ZeroPad2d for TF's asymmetric 'same',] depthwise, pointwise).
  pytorch: (ctx, p) => {
    const dw = torchConv(ctx, { ...p, groups: 1, depthwise: true }, 'dw');
    const pw = torchConv(ctx, { kernel: 1, stride: 1, padding: 'valid', pad: 0, groups: 1, depthwise: false });
    const [t, l, b, r] = onnxPads(ctx.inputShapes[0], { ...p });
    const parts = t === b && l === r ? [] : [`nn.ZeroPad2d((${l}, ${r}, ${t}, ${b}))`];
    const state: Record<string, WeightArray> = {};
    for (const [i, m] of [dw, pw].entries()) for (const [k, v] of Object.entries(m.state ?? {})) state[`${parts.length + i}.${k}`] = v;
    return { module: `nn.Sequential(${[...parts, dw.module, pw.module].join(', ')})`, forward: (self, [x]) => `${self}(${x})`, state };
  },
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [separableConv2d];
