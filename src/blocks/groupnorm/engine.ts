import { groupNorm as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { channelAffine } from '../../main/engine/export/onnx/ops';
import { twin } from '../../main/engine/blocks/types';
import { GroupNorm } from './layer';

export * from './layer';

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

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [groupNorm];
