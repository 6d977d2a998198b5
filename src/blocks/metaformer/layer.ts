import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';

interface MixerOpts {
  [key: string]: string | number;
  mixer: 'pool' | 'affine';
  poolSize: number;
}

/**
 * The token mixer of a MetaFormer block on `[B, H, W, C]`: `avgPool_K(x) − x` (stride 1, 'same', the average over
 * real pixels only, as PoolFormer's count_include_pad=False) or RiFormer's `γ⊙x + β − x`.
 */
export class TokenMixer extends NetsmithLayer<MixerOpts> {
  static className = 'Netsmith>TokenMixer';
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const c = shape[shape.length - 1] as number;
    if (this.opts.mixer === 'affine') {
      this.gamma = this.addWeight('gamma', [c], 'float32', this.initOf('gamma', tf.initializers.ones()), undefined, true);
      this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros(), undefined, true);
    }
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      if (this.opts.mixer === 'affine') return x.mul(this.gamma!.read()).add(this.beta!.read()).sub(x);
      return tf.avgPool(x, this.opts.poolSize, 1, 'same').sub(x);
    });
  }
}
registerLayer(TokenMixer);
