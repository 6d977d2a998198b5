import * as tf from '@tensorflow/tfjs';
import { dense as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { denseNode } from '../../main/engine/export/onnx/ops';
import { torchLinear } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';

/** tfjs' Dense applies to the last axis of any rank, like nn.Linear. */
export const dense = twin(def, (ctx, [x], p) =>
  applyLayer(tf.layers.dense({ units: p.units, useBias: p.bias, kernelInitializer: ctx.kernelInit('dense'), name: ctx.name() }), x),
  { onnx: (ctx, [x]) => denseNode(ctx, x, ctx.inputShapes[0].length), pytorch: (ctx) => torchLinear(ctx) },
);

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [dense];
