import * as tf from '@tensorflow/tfjs';
import { flatten as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { twin } from '../../main/engine/blocks/types';

export const flatten = twin(def, (ctx, [x]) => applyLayer(tf.layers.flatten({ name: ctx.name() }), x), {
  // The lab flattens NHWC: back to NHWC first so the features keep their order (and a following Dense its weights).
  onnx: (ctx, [x]) => ctx.op('Flatten', [ctx.inputShapes[0].length === 4 ? ctx.op('Transpose', [x], { perm: [0, 2, 3, 1] }, 'nhwc') : x], { axis: 1 }),
  pytorch: (ctx) => ({ forward: (_, [x]) => (ctx.inputShapes[0].length === 4 ? `torch.flatten(${x}.permute(0, 2, 3, 1), 1)` : `torch.flatten(${x}, 1)`) }),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [flatten];
