import * as tf from '@tensorflow/tfjs';
import { add as def } from '../../../shared/blocks/add';
import { applyLayer } from './layer';
import { chain } from '../export/onnx/ops';
import { twin } from './types';

export const add = twin(def, (ctx, inputs) => applyLayer(tf.layers.add({ name: ctx.name() }), inputs), {
  onnx: (ctx, inputs) => chain(ctx, 'Add', inputs),
  pytorch: () => ({ forward: (_, inputs) => inputs.join(' + ') }),
});
