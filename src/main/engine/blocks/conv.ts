import * as tf from '@tensorflow/tfjs';
import { conv2dGeneral, type SamePadding } from './ops';
import { NetsmithLayer, one, oneShape, registerLayer } from './layer';

export interface ConvOpts {
  [key: string]: number | boolean | string;
  filters: number;
  kernel: number;
  stride: number;
  padding: SamePadding;
  dilation: number;
  groups: number;
  useBias: boolean;
  /** groups = C_in: the kernel is stored `[K, K, C, M]` like tfjs' DepthwiseConv2D. */
  depthwise: boolean;
}

/** Output size of a conv with TF padding ('same' → ⌈H/S⌉). */
export function convOutLength(size: number | null, k: number, s: number, padding: SamePadding, d = 1): number | null {
  if (size === null) return null;
  return padding === 'same' ? Math.ceil(size / s) : Math.floor((size - d * (k - 1) - 1) / s) + 1;
}

/**
 * Conv2D for what tfjs' layers cannot train: groups between 1 and C_in (split, conv, concat) and dilation > 1
 * (tfjs has no gradient for dilated conv kernels, so it goes through space-to-batch).
 */
export class GeneralConv2D extends NetsmithLayer<ConvOpts> {
  static className = 'Netsmith>Conv2D';
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const { kernel: k, filters, groups, depthwise } = this.opts;
    const shape = depthwise ? [k, k, c, filters / c] : [k, k, c / groups, filters];
    this.kernel = this.addWeight('kernel', shape, 'float32', this.initOf('kernel'), undefined, true);
    if (this.opts.useBias) this.bias = this.addWeight('bias', [filters], 'float32', this.initOf('bias'), undefined, true);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = oneShape(inputShape);
    const { kernel: k, stride: s, padding, dilation: d } = this.opts;
    return [b, convOutLength(h, k, s, padding, d), convOutLength(w, k, s, padding, d), this.opts.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const y = conv2dGeneral(one(inputs) as tf.Tensor4D, this.kernel!.read() as tf.Tensor4D, this.opts);
      return this.bias ? y.add(this.bias.read()) : y;
    });
  }
}
registerLayer(GeneralConv2D);
