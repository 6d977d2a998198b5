import * as tf from '@tensorflow/tfjs';
import { flatten as def } from '../../../shared/blocks/flatten';
import { applyLayer } from './layer';
import { twin } from './types';

export const flatten = twin(def, (ctx, [x]) => applyLayer(tf.layers.flatten({ name: ctx.name() }), x));
