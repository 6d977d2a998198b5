import * as tf from '@tensorflow/tfjs';
import { concat as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { twin } from '../../main/engine/blocks/types';

export const concat = twin(def, (ctx, inputs, p) => applyLayer(tf.layers.concatenate({ axis: p.axis, name: ctx.name() }), inputs), {
  onnx: (ctx, inputs, p) => ctx.op('Concat', inputs, { axis: ctx.axis(p.axis, ctx.outputShape.length) }),
  pytorch: (ctx, p) => ({ forward: (_, inputs) => `torch.cat([${inputs.join(', ')}], dim=${ctx.axis(p.axis, ctx.outputShape.length)})` }),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [concat];
