import * as tf from '@tensorflow/tfjs';
import { isTraining, NetsmithLayer, one, oneShape, registerLayer, type Kwargs } from '../../main/engine/blocks/layer';

/** Stochastic depth: while training, zeroes whole samples with probability `rate`, scaling the kept ones. */
export class DropPath extends NetsmithLayer<{ rate: number }> {
  static className = 'Netsmith>DropPath';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const rate = this.opts.rate;
      if (!isTraining(kwargs) || rate === 0) return x.clone();
      const keep = 1 - rate;
      const maskShape = [x.shape[0], ...Array<number>(x.rank - 1).fill(1)];
      const mask = tf.randomUniform(maskShape).less(keep).cast('float32');
      return x.mul(mask).div(keep);
    });
  }
}
registerLayer(DropPath);
