import * as tf from '@tensorflow/tfjs';
import { reshape as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { twin } from '../../main/engine/blocks/types';


// The −1 is resolved from the inferred shape: tfjs' Reshape leaves it unknown when the batch is.
export const reshape = twin(def, (ctx, [x]) => applyLayer(tf.layers.reshape({ targetShape: ctx.outputShape.slice(1) as number[], name: ctx.name() }), x), {
  // Row-major in the lab's layout: images go to NHWC before the reshape and back to NCHW after.
  onnx: (ctx, [x]) => {
    const h = ctx.inputShapes[0].length === 4 ? ctx.op('Transpose', [x], { perm: [0, 2, 3, 1] }, 'nhwc') : x;
    const out = ctx.outputShape.slice(1) as number[];
    const image = out.length === 3;
    const y = ctx.op('Reshape', [h, ctx.ints([-1, ...out], 'shape')], {}, image ? 'reshape' : undefined);
    return image ? ctx.op('Transpose', [y], { perm: [0, 3, 1, 2] }) : y;
  },
  pytorch: (ctx) => ({
    forward: (_, [x]) => {
      const out = ctx.outputShape.slice(1) as number[];
      const h = ctx.inputShapes[0].length === 4 ? `${x}.permute(0, 2, 3, 1)` : x;
      const y = `${h}.reshape(${x}.shape[0], ${out.join(', ')})`;
      return out.length === 3 ? `${y}.permute(0, 3, 1, 2)` : y;
    },
  }),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [reshape];
