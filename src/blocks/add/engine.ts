import * as tf from '@tensorflow/tfjs';
import { add as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { chain } from '../../main/engine/export/onnx/ops';
import { twin } from '../../main/engine/blocks/types';

export const add = twin(def, (ctx, inputs) => applyLayer(tf.layers.add({ name: ctx.name() }), inputs), {
  onnx: (ctx, inputs) => chain(ctx, 'Add', inputs),
  pytorch: () => ({ forward: (_, inputs) => inputs.join(' + ') }),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [add];
