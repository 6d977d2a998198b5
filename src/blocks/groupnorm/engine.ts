import * as tf from '@tensorflow/tfjs';
import { groupNorm as def } from './definition';
import { applyLayer, NetsmithLayer, one, oneShape, registerLayer } from '../../main/engine/blocks/layer';
import { moments } from '../../main/engine/blocks/ops';
import { channelAffine } from '../../main/engine/export/onnx/ops';
import { twin } from '../../main/engine/blocks/types';

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

export const groupNorm = twin(def, (ctx, [x], p) => applyLayer(new GroupNorm({ name: ctx.name(), opts: { groups: p.groups, epsilon: p.epsilon } }), x), {
  // Channels on axis 1 (tokens transposed there), [N, G, rest] statistics, back to the shape, then γ and β.
  onnx: (ctx, [x], p) => {
    const rank = ctx.inputShapes[0].length;
    const w = ctx.weights();
    const h = rank === 3 ? ctx.op('Transpose', [x], { perm: [0, 2, 1] }, 'nct') : x;
    const grouped = ctx.op('Reshape', [h, ctx.ints([0, p.groups, -1], 'group_shape')], {}, 'grouped');
    const mean = ctx.op('ReduceMean', [grouped], { axes: [2], keepdims: 1 }, 'mean');
    const centered = ctx.op('Sub', [grouped, mean], {}, 'centered');
    const variance = ctx.op('ReduceMean', [ctx.op('Mul', [centered, centered], {}, 'squared')], { axes: [2], keepdims: 1 }, 'variance');
    const std = ctx.op('Sqrt', [ctx.op('Add', [variance, ctx.constant([p.epsilon], [], 'epsilon')], {}, 'var_eps')], {}, 'std');
    const normed = ctx.op('Reshape', [ctx.op('Div', [centered, std], {}, 'normed_grouped'), ctx.op('Shape', [h], {}, 'shape')], {}, 'normed');
    const back = rank === 3 ? ctx.op('Transpose', [normed], { perm: [0, 2, 1] }, 'ntc') : normed;
    return channelAffine(ctx, back, rank, w.gamma.data, w.beta.data, 'affine');
  },
  pytorch: (ctx, p) => {
    const w = ctx.weights();
    const tokens = ctx.inputShapes[0].length === 3;
    return {
      module: `nn.GroupNorm(${p.groups}, ${w.gamma.shape[0]}, eps=${p.epsilon})`,
      forward: (self, [x]) => (tokens ? `${self}(${x}.transpose(1, 2)).transpose(1, 2)` : `${self}(${x})`),
      state: { weight: w.gamma, bias: w.beta },
    };
  },
});
