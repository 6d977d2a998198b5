import * as tf from '@tensorflow/tfjs';
import { classify as classifyDef, segment as segmentDef } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { convNode, denseNode } from '../../main/engine/export/onnx/ops';
import { torchConv, torchLinear } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';

/** Logits; the loss applies (log-)softmax. */
export const classify = twin(classifyDef, (ctx, [x], p) =>
  applyLayer(tf.layers.dense({ units: p.classes, kernelInitializer: ctx.kernelInit('dense'), name: ctx.name() }), x),
  { onnx: (ctx, [x]) => denseNode(ctx, x, ctx.inputShapes[0].length), pytorch: (ctx) => torchLinear(ctx) },
);

export const segment = twin(segmentDef, (ctx, [x], p) =>
  applyLayer(tf.layers.conv2d({ filters: p.classes, kernelSize: 1, kernelInitializer: ctx.kernelInit('conv'), name: ctx.name() }), x),
  {
    onnx: (ctx, [x]) => convNode(ctx, x, { kernel: 1, stride: 1, padding: 'valid', pad: 0, groups: 1, depthwise: false }),
    pytorch: (ctx) => torchConv(ctx, { kernel: 1, stride: 1, padding: 'valid', pad: 0, groups: 1, depthwise: false }),
  },
);

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [classify, segment];
