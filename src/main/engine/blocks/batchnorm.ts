import * as tf from '@tensorflow/tfjs';
import { batchNorm as def } from '../../../shared/blocks/batchnorm';
import { applyLayer } from './layer';
import { twin } from './types';

/** Keras' momentum is the weight of the old running value: PyTorch's m becomes 1 − m. */
export const batchNorm = twin(def, (ctx, [x], p) =>
  applyLayer(
    tf.layers.batchNormalization({ axis: -1, momentum: 1 - p.momentum, epsilon: p.epsilon, center: p.affine, scale: p.affine, name: ctx.name() }),
    x,
  ),
);
