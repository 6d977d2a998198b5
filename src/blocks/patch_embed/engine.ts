import * as tf from '@tensorflow/tfjs';
import { patchEmbed as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { convNode } from '../../main/engine/export/onnx/ops';
import { torchConv } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';

/** A conv with kernel = stride = p (`__proj`), then a Reshape of the (H/p)×(W/p) grid into N tokens. */
export const patchEmbed = twin(def, (ctx, [x], p) => {
  const [, h, w] = x.shape as number[];
  const grid = applyLayer(
    tf.layers.conv2d({ filters: p.dim, kernelSize: p.patch, strides: p.patch, padding: 'valid', kernelInitializer: ctx.kernelInit('conv'), name: ctx.name('proj') }),
    x,
  );
  return applyLayer(tf.layers.reshape({ targetShape: [(h / p.patch) * (w / p.patch), p.dim], name: ctx.name() }), grid);
}, {
  // Tokens in the lab's row-major grid order: the NCHW conv output goes to NHWC before the reshape.
  onnx: (ctx, [x], p) => {
    const grid = convNode(ctx, x, { kernel: p.patch, stride: p.patch, padding: 'valid', pad: 0, groups: 1, depthwise: false }, 'proj');
    const nhwc = ctx.op('Transpose', [grid], { perm: [0, 2, 3, 1] }, 'nhwc');
    return ctx.op('Reshape', [nhwc, ctx.ints([-1, ctx.outputShape[1] as number, p.dim], 'shape')]);
  },
  // The conv's [B, D, h, w] grid flattened row-major into [B, h·w, D] tokens.
  pytorch: (ctx, p) => {
    const conv = torchConv(ctx, { kernel: p.patch, stride: p.patch, padding: 'valid', pad: 0, groups: 1, depthwise: false }, 'proj');
    return { ...conv, forward: (self, [x]) => `${self}(${x}).flatten(2).transpose(1, 2)` };
  },
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [patchEmbed];
