import * as tf from '@tensorflow/tfjs';
import { activate } from '../activations/layer';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';

interface SeOpts {
  [key: string]: number | boolean | string;
  squeeze: number;
  activation: 'relu' | 'silu';
  gate: 'sigmoid' | 'hardsigmoid';
  useBias: boolean;
}

/** Squeeze-and-excitation: GAP → FC C→s → act → FC s→C → gate → channel scaling (FCs as matmuls). */
export class SqueezeExcite extends NetsmithLayer<SeOpts> {
  static className = 'Netsmith>SqueezeExcite';
  private w1?: tf.LayerVariable;
  private b1?: tf.LayerVariable;
  private w2?: tf.LayerVariable;
  private b2?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const s = this.opts.squeeze;
    this.w1 = this.addWeight('fc1_kernel', [c, s], 'float32', this.initOf('fc1'), undefined, true);
    this.w2 = this.addWeight('fc2_kernel', [s, c], 'float32', this.initOf('fc2'), undefined, true);
    if (this.opts.useBias) {
      this.b1 = this.addWeight('fc1_bias', [s], 'float32', tf.initializers.zeros(), undefined, true);
      this.b2 = this.addWeight('fc2_bias', [c], 'float32', tf.initializers.zeros(), undefined, true);
    }
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [b, , , c] = x.shape;
      let h = x.mean([1, 2]).matMul(this.w1!.read() as tf.Tensor2D);
      if (this.b1) h = h.add(this.b1.read());
      let g = activate(h, this.opts.activation).matMul(this.w2!.read() as tf.Tensor2D);
      if (this.b2) g = g.add(this.b2.read());
      return x.mul(activate(g, this.opts.gate).reshape([b, 1, 1, c]));
    });
  }
}
registerLayer(SqueezeExcite);
