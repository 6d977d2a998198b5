import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';

interface CbamOpts {
  [key: string]: number | boolean;
  hidden: number;
  spatialKernel: number;
  useBias: boolean;
}

/**
 * CBAM as the paper's equations: channel attention σ(MLP(avg) + MLP(max)) with a shared MLP, then spatial
 * attention σ(conv_k([mean_c; max_c])) with a 2→1 conv without bias.
 */
export class Cbam extends NetsmithLayer<CbamOpts> {
  static className = 'Netsmith>CBAM';
  private w1?: tf.LayerVariable;
  private b1?: tf.LayerVariable;
  private w2?: tf.LayerVariable;
  private b2?: tf.LayerVariable;
  private spatial?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const { hidden: s, spatialKernel: k } = this.opts;
    this.w1 = this.addWeight('fc1_kernel', [c, s], 'float32', this.initOf('fc1'), undefined, true);
    this.w2 = this.addWeight('fc2_kernel', [s, c], 'float32', this.initOf('fc2'), undefined, true);
    if (this.opts.useBias) {
      this.b1 = this.addWeight('fc1_bias', [s], 'float32', tf.initializers.zeros(), undefined, true);
      this.b2 = this.addWeight('fc2_bias', [c], 'float32', tf.initializers.zeros(), undefined, true);
    }
    this.spatial = this.addWeight('spatial_kernel', [k, k, 2, 1], 'float32', this.initOf('spatial'), undefined, true);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const [b, , , c] = x.shape;
      // The shared MLP on both descriptors at once: rows 0..B−1 average, B..2B−1 max.
      let h = tf.concat([x.mean([1, 2]), x.max([1, 2])], 0).matMul(this.w1!.read() as tf.Tensor2D);
      if (this.b1) h = h.add(this.b1.read());
      let m = tf.relu(h).matMul(this.w2!.read() as tf.Tensor2D);
      if (this.b2) m = m.add(this.b2.read());
      const [ma, mm] = tf.split(m, 2, 0);
      const xc = x.mul(tf.sigmoid(ma.add(mm)).reshape([b, 1, 1, c])) as tf.Tensor4D;
      const desc = tf.concat([xc.mean(3, true), xc.max(3, true)], 3) as tf.Tensor4D;
      return xc.mul(tf.sigmoid(tf.conv2d(desc, this.spatial!.read() as tf.Tensor4D, 1, 'same')));
    });
  }
}
registerLayer(Cbam);
