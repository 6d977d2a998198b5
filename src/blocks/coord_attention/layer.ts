import * as tf from '@tensorflow/tfjs';
import { activate } from '../activations/layer';
import { batchNormOp } from '../../main/engine/blocks/ops';
import { isTraining, NetsmithLayer, one, oneShape, registerLayer, type Kwargs } from '../../main/engine/blocks/layer';

interface CoordOpts {
  [key: string]: number | boolean | string;
  mid: number;
  activation: 'hardswish' | 'relu';
  useBias: boolean;
  /** BatchNorm of the shared conv, PyTorch convention (running = (1−m)·running + m·batch). */
  momentum: number;
  epsilon: number;
}

/**
 * Coordinate attention (Hou et al. 2021). The 1×1 convs act on pooled [H+W, C] strips, so they are matmuls.
 * The BatchNorm inside keeps running statistics (`moving_mean`, `moving_variance`) updated while training,
 * with PyTorch's unbiased running variance.
 */
export class CoordAttention extends NetsmithLayer<CoordOpts> {
  static className = 'Netsmith>CoordAttention';
  private w1?: tf.LayerVariable;
  private b1?: tf.LayerVariable;
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;
  private movingMean?: tf.LayerVariable;
  private movingVar?: tf.LayerVariable;
  private wh?: tf.LayerVariable;
  private bh?: tf.LayerVariable;
  private ww?: tf.LayerVariable;
  private bw?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const m = this.opts.mid;
    const zeros = tf.initializers.zeros();
    const w = (name: string, shape: number[], key: string) => this.addWeight(name, shape, 'float32', this.initOf(key), undefined, true);
    this.w1 = w('conv1_kernel', [1, 1, c, m], 'conv1');
    if (this.opts.useBias) this.b1 = this.addWeight('conv1_bias', [m], 'float32', zeros, undefined, true);
    this.gamma = this.addWeight('bn_gamma', [m], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('bn_beta', [m], 'float32', zeros, undefined, true);
    this.movingMean = this.addWeight('bn_moving_mean', [m], 'float32', zeros, undefined, false);
    this.movingVar = this.addWeight('bn_moving_variance', [m], 'float32', tf.initializers.ones(), undefined, false);
    this.wh = w('conv_h_kernel', [1, 1, m, c], 'convH');
    this.ww = w('conv_w_kernel', [1, 1, m, c], 'convW');
    if (this.opts.useBias) {
      this.bh = this.addWeight('conv_h_bias', [c], 'float32', zeros, undefined, true);
      this.bw = this.addWeight('conv_w_bias', [c], 'float32', zeros, undefined, true);
    }
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const [b, h, w, c] = x.shape;
      const m = this.opts.mid;
      const proj = (t: tf.Tensor, kernel: tf.LayerVariable, bias: tf.LayerVariable | undefined, cin: number, cout: number): tf.Tensor => {
        const y = t.reshape([-1, cin]).matMul(kernel.read().reshape([cin, cout]));
        return bias ? y.add(bias.read()) : y;
      };
      // [B, H+W, C]: the column means (one per row) followed by the row means (one per column).
      const strips = tf.concat([x.mean(2), x.mean(1)], 1);
      const f = proj(strips, this.w1!, this.b1, c, m).reshape([b, h + w, m]);
      const normed = this.batchNorm(f, isTraining(kwargs));
      const a = activate(normed, this.opts.activation);
      const [fh, fw] = tf.split(a, [h, w], 1);
      const sh = tf.sigmoid(proj(fh, this.wh!, this.bh, m, c)).reshape([b, h, 1, c]);
      const sw = tf.sigmoid(proj(fw, this.ww!, this.bw, m, c)).reshape([b, 1, w, c]);
      return x.mul(sh).mul(sw);
    });
  }

  private batchNorm(f: tf.Tensor, training: boolean): tf.Tensor {
    const stats = { mean: this.movingMean!, variance: this.movingVar! };
    return batchNormOp(f, [0, 1], stats, training, this.opts.momentum, this.opts.epsilon).mul(this.gamma!.read()).add(this.beta!.read());
  }
}
registerLayer(CoordAttention);
