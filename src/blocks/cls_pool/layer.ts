import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';

/** Token `[cls]` (position 0) or the mean over tokens: `[N, D]` → `[D]`. */
export class ClsPool extends NetsmithLayer<{ mode: 'token' | 'mean' }> {
  static className = 'Netsmith>ClsPool';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, , d] = oneShape(inputShape);
    return [b, d];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [b, , d] = x.shape;
      return this.opts.mode === 'mean' ? x.mean(1) : x.slice([0, 0, 0], [b, 1, d]).reshape([b, d]);
    });
  }
}
registerLayer(ClsPool);
