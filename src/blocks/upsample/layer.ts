import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { upsampleBilinear, upsampleNearest } from '../../main/engine/blocks/ops';

/**
 * Integer-factor upsampling. tfjs' UpSampling2D goes through resize kernels whose bilinear gradient ignores
 * half-pixel centres; these formulations are exact (PyTorch align_corners=False) and cheap on wasm.
 */
export class Upsample extends NetsmithLayer<{ scale: number; mode: 'nearest' | 'bilinear' }> {
  static className = 'Netsmith>Upsample';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w, c] = oneShape(inputShape);
    const s = this.opts.scale;
    return [b, h === null ? null : h * s, w === null ? null : w * s, c];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      if (this.opts.scale === 1) return x.clone();
      return this.opts.mode === 'bilinear' ? upsampleBilinear(x, this.opts.scale) : upsampleNearest(x, this.opts.scale);
    });
  }
}
registerLayer(Upsample);
