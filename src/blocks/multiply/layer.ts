import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, registerLayer } from '../../main/engine/blocks/layer';

/** Element-wise product of same-rank inputs with NumPy broadcasting of size-1 axes (e.g. H×W×C × 1×1×C). */
export class BroadcastMultiply extends NetsmithLayer<Record<string, never>> {
  static className = 'Netsmith>Multiply';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const shapes = inputShape as tf.Shape[];
    return shapes[0].map((_, d) => {
      const dims = shapes.map((s) => s[d]);
      if (dims.some((v) => v === null)) return dims.find((v) => v !== null && v !== 1) ?? null;
      return Math.max(...(dims as number[]));
    });
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => (inputs as tf.Tensor[]).reduce((a, b) => a.mul(b)));
  }
}
registerLayer(BroadcastMultiply);
