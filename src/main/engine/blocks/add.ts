import * as tf from '@tensorflow/tfjs';
import { add as def } from '../../../shared/blocks/add';
import { applyLayer } from './layer';
import { twin } from './types';

export const add = twin(def, (ctx, inputs) => applyLayer(tf.layers.add({ name: ctx.name() }), inputs));
