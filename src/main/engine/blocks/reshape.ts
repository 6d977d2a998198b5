import * as tf from '@tensorflow/tfjs';
import { reshape as def } from '../../../shared/blocks/reshape';
import { applyLayer } from './layer';
import { twin } from './types';

// The −1 is resolved from the inferred shape: tfjs' Reshape leaves it unknown when the batch is.
export const reshape = twin(def, (ctx, [x]) => applyLayer(tf.layers.reshape({ targetShape: ctx.outputShape.slice(1) as number[], name: ctx.name() }), x));
