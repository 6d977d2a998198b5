import * as tf from '@tensorflow/tfjs';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';

interface TransposeOpts {
  [key: string]: number | boolean;
  filters: number;
  kernel: number;
  stride: number;
  /** P rows/columns cropped from each side of the full output (PyTorch's `padding`). */
  crop: number;
  outputPadding: number;
  useBias: boolean;
}

/** PyTorch's ConvTranspose2d size rule, (H−1)·S − 2P + K + output_padding, which tfjs' layer lacks. */
export class Conv2DTransposeExplicit extends NetsmithLayer<TransposeOpts> {
  static className = 'Netsmith>Conv2DTranspose';
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const { kernel: k, filters } = this.opts;
    this.kernel = this.addWeight('kernel', [k, k, filters, c], 'float32', this.initOf('kernel'), undefined, true);
    if (this.opts.useBias) this.bias = this.addWeight('bias', [filters], 'float32', this.initOf('bias'), undefined, true);
  }

  private outLength(size: number | null): number | null {
    const { kernel: k, stride: s, crop, outputPadding } = this.opts;
    return size === null ? null : (size - 1) * s - 2 * crop + k + outputPadding;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = oneShape(inputShape);
    return [b, this.outLength(h), this.outLength(w), this.opts.filters];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs) as tf.Tensor4D;
      const [b, h, w] = x.shape;
      const { kernel: k, stride: s, crop, outputPadding: op, filters } = this.opts;
      // The full output plus output_padding rows, which get no contribution (only the bias), as in PyTorch.
      const hf = (h - 1) * s + k + op;
      const wf = (w - 1) * s + k + op;
      let y: tf.Tensor4D = tf.conv2dTranspose(x, this.kernel!.read() as tf.Tensor4D, [b, hf, wf, filters], s, 'valid');
      if (crop > 0) y = y.slice([0, crop, crop, 0], [-1, hf - 2 * crop, wf - 2 * crop, -1]);
      return this.bias ? y.add(this.bias.read()) : y;
    });
  }
}
registerLayer(Conv2DTransposeExplicit);
