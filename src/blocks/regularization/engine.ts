import * as tf from '@tensorflow/tfjs';
import { dropPath as dropPathDef, dropout as dropoutDef } from './definition';
import { applyLayer, isTraining, NetsmithLayer, one, oneShape, registerLayer, type Kwargs } from '../../main/engine/blocks/layer';
import { torchUnary } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';

/** Stochastic depth: while training, zeroes whole samples with probability `rate`, scaling the kept ones. */
export class DropPath extends NetsmithLayer<{ rate: number }> {
  static className = 'Netsmith>DropPath';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: Kwargs): tf.Tensor {
    return tf.tidy(() => {
      const x = one(inputs);
      const rate = this.opts.rate;
      if (!isTraining(kwargs) || rate === 0) return x.clone();
      const keep = 1 - rate;
      const maskShape = [x.shape[0], ...Array<number>(x.rank - 1).fill(1)];
      const mask = tf.randomUniform(maskShape).less(keep).cast('float32');
      return x.mul(mask).div(keep);
    });
  }
}
registerLayer(DropPath);

export const dropout = twin(dropoutDef, (ctx, [x], p) => applyLayer(tf.layers.dropout({ rate: p.rate, name: ctx.name() }), x), {
  onnx: (ctx, [x]) => ctx.op('Identity', [x]),
  pytorch: (_ctx, p) => torchUnary(`nn.Dropout(${p.rate})`),
});
export const dropPath = twin(dropPathDef, (ctx, [x], p) => applyLayer(new DropPath({ name: ctx.name(), opts: { rate: p.rate } }), x), {
  onnx: (ctx, [x]) => ctx.op('Identity', [x]),
  pytorch: (_ctx, p) => torchUnary(`DropPath(${p.rate})`),
});
