// Training-mode BatchNorm as one op: y, and the batch mean and variance (for
// the moving averages), normalizing over every axis but the last. On wasm it
// runs on our fused kernels with a custom gradient (about 5 passes over x
// instead of ~20); elsewhere it is tf.moments + tf.batchNorm, as tf.layers
// does. For the engine's BatchNorm block.
import * as tf from '@tensorflow/tfjs';
import { BN_GRAD, BN_MOMENTS } from './wasmKernels/batchNormTraining';

export interface BatchNormTrainingResult {
  y: tf.Tensor;
  mean: tf.Tensor1D;
  variance: tf.Tensor1D;
}

export function batchNormTraining(x: tf.Tensor, gamma: tf.Tensor1D, beta: tf.Tensor1D, epsilon = 1e-3): BatchNormTrainingResult {
  const fused = x.dtype === 'float32' && tf.getKernel(BN_GRAD, tf.getBackend()) != null;
  if (!fused) {
    const axes = x.shape.slice(0, -1).map((_, i) => i);
    const { mean, variance } = tf.moments(x, axes);
    return { y: tf.batchNorm(x, mean, variance, beta, gamma, epsilon), mean: mean as tf.Tensor1D, variance: variance as tf.Tensor1D };
  }
  // The statistics carry no gradient of their own: the custom gradient below
  // already accounts for y's dependence on them.
  const [mean, variance] = tf.engine().runKernel(BN_MOMENTS, { x }, {}) as tf.Tensor1D[];
  const normalize = tf.customGrad((...args: Array<tf.Tensor | tf.GradSaveFunc>) => {
    const [xs, g, b, save] = args as [tf.Tensor, tf.Tensor, tf.Tensor, tf.GradSaveFunc];
    save([xs, g, mean, variance]);
    return {
      value: tf.batchNorm(xs, mean, variance, b as tf.Tensor1D, g as tf.Tensor1D, epsilon),
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sx, sg, sm, sv] = saved;
        return tf.engine().runKernel(BN_GRAD, { dy, x: sx, gamma: sg, mean: sm, variance: sv }, { epsilon }) as tf.Tensor[];
      },
    };
  });
  return { y: normalize(x, gamma, beta), mean, variance };
}
