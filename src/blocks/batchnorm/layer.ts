import * as tf from '@tensorflow/tfjs';
import { isTraining, NetsmithLayer, one, oneShape, registerLayer, type Kwargs } from '../../main/engine/blocks/layer';
import { batchNormOp } from '../../main/engine/blocks/ops';
import { inferenceWhenFrozen } from '../../main/engine/train/frozenMode';

/**
 * BatchNorm without γ and β. tfjs' BatchNormalization reads γ unconditionally while training, so
 * `center: false, scale: false` fails there; this layer keeps only the running statistics.
 */
export class PlainBatchNorm extends NetsmithLayer<{ momentum: number; epsilon: number }> {
  static className = 'Netsmith>BatchNorm';
  private movingMean?: tf.LayerVariable;
  private movingVariance?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const c = shape[shape.length - 1] as number;
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const axes = [...Array(x.rank - 1).keys()];
      return batchNormOp(x, axes, { mean: this.movingMean!, variance: this.movingVariance! }, isTraining(kwargs) && !inferenceWhenFrozen(this), this.opts.momentum, this.opts.epsilon);
    });
  }
}
registerLayer(PlainBatchNorm);
