import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';

/** Activations tfjs lacks or defines differently (ELU with α ≠ 1, exact GELU, hard sigmoid = ReLU6(x+3)/6). */
export type ActFn = 'elu' | 'gelu' | 'geluTanh' | 'silu' | 'hardswish' | 'hardsigmoid' | 'mish';

const SQRT_HALF = Math.SQRT1_2;
const GELU_TANH_C = Math.sqrt(2 / Math.PI);

export function activate(x: tf.Tensor, fn: ActFn | 'relu' | 'relu6' | 'sigmoid' | 'tanh', alpha = 1): tf.Tensor {
  switch (fn) {
    case 'relu':
      return tf.relu(x);
    case 'relu6':
      return tf.relu6(x);
    case 'sigmoid':
      return tf.sigmoid(x);
    case 'tanh':
      return tf.tanh(x);
    case 'elu':
      // relu(x) + α(e^min(x,0) − 1): one smooth expression, no select.
      return alpha === 1 ? tf.elu(x) : tf.relu(x).add(tf.exp(tf.minimum(x, 0)).sub(1).mul(alpha));
    case 'gelu':
      return x.mul(tf.erf(x.mul(SQRT_HALF)).add(1)).mul(0.5);
    case 'geluTanh':
      return x.mul(tf.tanh(x.add(x.pow(3).mul(0.044715)).mul(GELU_TANH_C)).add(1)).mul(0.5);
    case 'silu':
      return x.mul(tf.sigmoid(x));
    case 'hardswish':
      return x.mul(tf.relu6(x.add(3))).div(6);
    case 'hardsigmoid':
      return tf.relu6(x.add(3)).div(6);
    case 'mish':
      return x.mul(tf.tanh(tf.softplus(x)));
  }
}

export class Activation extends NetsmithLayer<{ fn: ActFn; alpha: number }> {
  static className = 'Netsmith>Activation';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => activate(one(inputs), this.opts.fn, this.opts.alpha));
  }
}
registerLayer(Activation);
/** Softmax along any axis; tf.softmax only takes the last one. */
export class AxisSoftmax extends NetsmithLayer<{ axis: number }> {
  static className = 'Netsmith>Softmax';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const e = x.sub(x.max(this.opts.axis, true)).exp();
      return e.div(e.sum(this.opts.axis, true));
    });
  }
}
registerLayer(AxisSoftmax);
