import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { moments } from '../../main/engine/blocks/ops';

/** GroupNorm over the channels (last axis) of a map, sequence or vector; per-channel γ and β. */
export class GroupNorm extends NetsmithLayer<{ groups: number; epsilon: number }> {
  static className = 'Netsmith>GroupNorm';
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const c = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros(), undefined, true);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const g = this.opts.groups;
      const shape = x.shape;
      const c = shape[shape.length - 1];
      const grouped = x.reshape([...shape.slice(0, -1), g, c / g]);
      // Every axis but the batch and the group axis.
      const axes = [...Array(grouped.rank).keys()].filter((a) => a !== 0 && a !== grouped.rank - 2);
      const { mean, variance } = moments(grouped, axes);
      const normed = grouped.sub(mean).mul(variance.add(this.opts.epsilon).rsqrt()).reshape(shape);
      return normed.mul(this.gamma!.read()).add(this.beta!.read());
    });
  }
}
registerLayer(GroupNorm);
