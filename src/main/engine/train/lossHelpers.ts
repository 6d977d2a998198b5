import * as tf from '@tensorflow/tfjs';

/** Smallest probability fed to log() when a loss receives probabilities instead of logits (as in Keras). */
export const PROB_EPSILON = 1e-7;

/**
 * A classification target is either class ids with the prediction's shape minus its last axis
 * (hard labels, int or float holding integers) or a distribution with the prediction's shape
 * (one-hot, label-smoothed, mixup/cutmix soft labels).
 */
export function isClassIdTarget(prediction: tf.Tensor, target: tf.Tensor): boolean {
  if (target.rank === prediction.rank - 1) {
    for (let i = 0; i < target.rank; i++) {
      if (target.shape[i] !== prediction.shape[i]) throw shapeError(prediction, target);
    }
    return true;
  }
  if (target.rank === prediction.rank && target.shape.every((d, i) => d === prediction.shape[i])) return false;
  throw shapeError(prediction, target);
}

function shapeError(prediction: tf.Tensor, target: tf.Tensor): Error {
  return new Error(
    `target shape [${target.shape}] must equal the prediction shape [${prediction.shape}] or drop its last axis (class ids)`,
  );
}

/** Rows of class probabilities, (M, K), from either kind of target. */
export function targetDistribution(prediction: tf.Tensor, target: tf.Tensor): tf.Tensor2D {
  const k = prediction.shape[prediction.rank - 1];
  if (isClassIdTarget(prediction, target)) return tf.oneHot(tf.cast(target.flatten(), 'int32'), k).toFloat() as tf.Tensor2D;
  return tf.cast(target, 'float32').reshape([-1, k]) as tf.Tensor2D;
}

/** Identity whose gradient is zero (tfjs has no stop_gradient). */
export const stopGradient: (x: tf.Tensor) => tf.Tensor = tf.customGrad((x) => ({
  value: tf.clone(x as tf.Tensor),
  gradFunc: (dy: tf.Tensor) => tf.zerosLike(dy),
}));
