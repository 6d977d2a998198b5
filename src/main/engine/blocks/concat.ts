import * as tf from '@tensorflow/tfjs';
import { concat as def } from '../../../shared/blocks/concat';
import { applyLayer } from './layer';
import { twin } from './types';

export const concat = twin(def, (ctx, inputs, p) => applyLayer(tf.layers.concatenate({ axis: p.axis, name: ctx.name() }), inputs), {
  onnx: (ctx, inputs, p) => ctx.op('Concat', inputs, { axis: ctx.axis(p.axis, ctx.outputShape.length) }),
  pytorch: (ctx, p) => ({ forward: (_, inputs) => `torch.cat([${inputs.join(', ')}], dim=${ctx.axis(p.axis, ctx.outputShape.length)})` }),
});
