import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { moments } from '../../main/engine/blocks/ops';

/**
 * LayerNorm over the last axis with plain broadcasting ops. tfjs' LayerNormalization goes through the
 * batchNorm op, whose gradient tiles (a slow Tile gradient on every step).
 */
export class LayerNorm extends NetsmithLayer<{ epsilon: number }> {
  static className = 'Netsmith>LayerNorm';
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const d = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [d], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [d], 'float32', tf.initializers.zeros(), undefined, true);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => layerNormOp(one(inputs), this.gamma!.read(), this.beta!.read(), this.opts.epsilon));
  }
}
registerLayer(LayerNorm);

export function layerNormOp(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = moments(x, [x.rank - 1]);
  return x.sub(mean).mul(variance.add(epsilon).rsqrt()).mul(gamma).add(beta);
}
