import { layerNorm as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { twin } from '../../main/engine/blocks/types';
import { LayerNorm } from './layer';

export * from './layer';

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

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [layerNorm];
