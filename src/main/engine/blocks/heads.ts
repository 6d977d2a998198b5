import * as tf from '@tensorflow/tfjs';
import { classify as classifyDef, segment as segmentDef } from '../../../shared/blocks/heads';
import { applyLayer } from './layer';
import { convNode, denseNode } from '../export/onnx/ops';
import { torchConv, torchLinear } from '../export/pytorch/ops';
import { twin } from './types';

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
