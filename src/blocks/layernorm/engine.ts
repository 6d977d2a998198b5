import * as tf from '@tensorflow/tfjs';
import { layerNorm as def } from './definition';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { moments } from '../../main/engine/blocks/ops';
import { twin } from '../../main/engine/blocks/types';

/**
 * LayerNorm over the last axis with plain broadcasting ops. tfjs' LayerNormalization goes through the
 * batchNorm op, whose gradient tiles (a slow Tile gradient on every step).
 */
export class LayerNorm extends NetsmithLayer<{ epsilon: number }> {
  static className = 'Netsmith>LayerNorm';
  private gamma?: tf.LayerVariable;
  private beta?: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const shape = oneShape(inputShape);
    const d = shape[shape.length - 1] as number;
    this.gamma = this.addWeight('gamma', [d], 'float32', tf.initializers.ones(), undefined, true);
    this.beta = this.addWeight('beta', [d], 'float32', tf.initializers.zeros(), undefined, true);
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    return oneShape(inputShape);
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => layerNormOp(one(inputs), this.gamma!.read(), this.beta!.read(), this.opts.epsilon));
  }
}
registerLayer(LayerNorm);

export function layerNormOp(x: tf.Tensor, gamma: tf.Tensor, beta: tf.Tensor, epsilon: number): tf.Tensor {
  const { mean, variance } = moments(x, [x.rank - 1]);
  return x.sub(mean).mul(variance.add(epsilon).rsqrt()).mul(gamma).add(beta);
}

export const layerNorm = twin(def, (ctx, [x], p) => applyLayer(new LayerNorm({ name: ctx.name(), opts: { epsilon: p.epsilon } }), x), {
  // Over the lab's last axis: on images (NCHW inside the ONNX graph) that is axis 1, so go through NHWC.
  onnx: (ctx, [x], p) => {
    const w = ctx.weights();
    const image = ctx.inputShapes[0].length === 4;
    const h = image ? ctx.op('Transpose', [x], { perm: [0, 2, 3, 1] }, 'nhwc') : x;
    const inputs = [h, ctx.constant(w.gamma.data, w.gamma.shape, 'gamma'), ctx.constant(w.beta.data, w.beta.shape, 'beta')];
    const y = ctx.op('LayerNormalization', inputs, { axis: -1, epsilon: { float: p.epsilon } }, image ? 'norm' : undefined);
    return image ? ctx.op('Transpose', [y], { perm: [0, 3, 1, 2] }) : y;
  },
  pytorch: (ctx, p) => {
    const w = ctx.weights();
    const image = ctx.inputShapes[0].length === 4;
    return {
      module: `nn.LayerNorm(${w.gamma.shape[0]}, eps=${p.epsilon})`,
      forward: (self, [x]) => (image ? `${self}(${x}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)` : `${self}(${x})`),
      state: { weight: w.gamma, bias: w.beta },
    };
  },
});
