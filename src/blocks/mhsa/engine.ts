import { mhsa as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { attentionNodes } from '../../main/engine/export/onnx/ops';
import { attentionState } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';
import { MultiHeadSelfAttention } from './layer';

export * from './layer';

export const mhsa = twin(def, (ctx, [x], p) => {
  const layer = new MultiHeadSelfAttention({
    name: ctx.name(),
    opts: { heads: p.heads, dropout: p.dropout, qkvBias: p.qkvBias },
    inits: { qkv: ctx.kernelInit('dense'), out: ctx.kernelInit('dense') },
  });
  return applyLayer(layer, x);
}, {
  onnx: (ctx, [x], p) => attentionNodes(ctx, x, p.heads),
  pytorch: (ctx, p) => {
    const d = ctx.inputShapes[0][2] as number;
    return { module: `SelfAttention(${d}, ${p.heads}, qkv_bias=${p.qkvBias ? 'True' : 'False'}, dropout=${p.dropout})`, forward: (self, [x]) => `${self}(${x})`, state: attentionState(ctx.weights()) };
  },
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [mhsa];
