import * as tf from '@tensorflow/tfjs';
import { reshape as def } from '../../../shared/blocks/reshape';
import { applyLayer } from './layer';
import { twin } from './types';

export const reshape = twin(def, (ctx, [x], p) => applyLayer(tf.layers.reshape({ targetShape: p.shape, name: ctx.name() }), x));
