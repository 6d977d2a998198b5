import * as tf from '@tensorflow/tfjs';
import { yoloChannels } from './channels';
import { NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';

interface YoloOpts {
  [key: string]: number;
  classes: number;
  /** 0 = anchor-free (one prediction per cell). */
  anchors: number;
  stride: number;
}

/** Prior probability that a cell holds an object, for the objectness bias at init (RetinaNet/YOLOv5 practice). */
const OBJECT_PRIOR = 0.01;

/**
 * A 1×1 conv to A·(5+K) channels per cell, laid out `[tx, ty, tw, th, obj, cls…]` per anchor. The config keeps
 * classes, anchors and stride so a saved model can be decoded. The objectness biases start at
 * log(p/(1−p)), p = 0.01, so the early loss is not swamped by the many empty cells.
 */
export class YoloHead extends NetsmithLayer<YoloOpts> {
  static className = 'Netsmith>YoloHead';
  private kernel?: tf.LayerVariable;
  private bias?: tf.LayerVariable;

  private get channels(): number {
    return yoloChannels(this.opts.classes, this.opts.anchors);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = oneShape(inputShape)[3] as number;
    const co = this.channels;
    this.kernel = this.addWeight('kernel', [1, 1, c, co], 'float32', this.initOf('kernel'), undefined, true);
    const per = 5 + this.opts.classes;
    const prior = Math.log(OBJECT_PRIOR / (1 - OBJECT_PRIOR));
    const bias = Array.from({ length: co }, (_, i) => (i % per === 4 ? prior : 0));
    this.bias = this.addWeight('bias', [co], 'float32', tf.initializers.zeros(), undefined, true);
    tf.tidy(() => {
      this.bias!.write(tf.tensor1d(bias));
    });
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, h, w] = oneShape(inputShape);
    return [b, h, w, this.channels];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const [b, h, w, c] = x.shape;
      // A 1×1 conv as one matmul: its backward pass needs no conv-filter gradient kernel.
      const y = x.reshape([b * h * w, c]).matMul(this.kernel!.read().reshape([c, this.channels])).add(this.bias!.read());
      return y.reshape([b, h, w, this.channels]);
    });
  }
}
registerLayer(YoloHead);
