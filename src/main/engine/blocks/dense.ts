import * as tf from '@tensorflow/tfjs';
import { dense as def } from '../../../shared/blocks/dense';
import { applyLayer } from './layer';
import { denseNode } from '../export/onnx/ops';
import { torchLinear } from '../export/pytorch/ops';
import { twin } from './types';

/** tfjs' Dense applies to the last axis of any rank, like nn.Linear. */
export const dense = twin(def, (ctx, [x], p) =>
  applyLayer(tf.layers.dense({ units: p.units, useBias: p.bias, kernelInitializer: ctx.kernelInit('dense'), name: ctx.name() }), x),
  { onnx: (ctx, [x]) => denseNode(ctx, x, ctx.inputShapes[0].length), pytorch: (ctx) => torchLinear(ctx) },
);
