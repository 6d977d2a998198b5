import * as tf from '@tensorflow/tfjs';
import { encoder as def } from './definition';
import { Activation } from '../activations/engine';
import { applyLayer } from '../../main/engine/blocks/layer';
import { LayerNorm } from '../layernorm/engine';
import { MultiHeadSelfAttention } from '../mhsa/engine';
import { activationNodes, attentionNodes, denseNode, layerNormNode } from '../../main/engine/export/onnx/ops';
import { attentionState, linearState } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';

/**
 * A pre-norm ViT encoder block, composed of layers so probes see each part:
 * `__ln1 → __attn (→ __drop1) → __add1 → __ln2 → __fc1 → __gelu (→ __drop2) → __fc2 (→ __drop3) → <node>` (the final add).
 */
export const encoder = twin(def, (ctx, [x], p) => {
  const d = x.shape[2] as number;
  const m = p.mlpDim || 4 * d;
  const dropout = (t: tf.SymbolicTensor, suffix: string) => (p.dropout > 0 ? applyLayer(tf.layers.dropout({ rate: p.dropout, name: ctx.name(suffix) }), t) : t);

  let h = applyLayer(new LayerNorm({ name: ctx.name('ln1'), opts: { epsilon: p.epsilon } }), x);
  h = applyLayer(
    new MultiHeadSelfAttention({
      name: ctx.name('attn'),
      opts: { heads: p.heads, dropout: p.attnDropout, qkvBias: true },
      inits: { qkv: ctx.kernelInit('dense'), out: ctx.kernelInit('dense') },
    }),
    h,
  );
  const x1 = applyLayer(tf.layers.add({ name: ctx.name('add1') }), [x, dropout(h, 'drop1')]);

  h = applyLayer(new LayerNorm({ name: ctx.name('ln2'), opts: { epsilon: p.epsilon } }), x1);
  h = applyLayer(tf.layers.dense({ units: m, kernelInitializer: ctx.kernelInit('dense'), name: ctx.name('fc1') }), h);
  h = dropout(applyLayer(new Activation({ name: ctx.name('gelu'), opts: { fn: 'gelu', alpha: 1 } }), h), 'drop2');
  h = applyLayer(tf.layers.dense({ units: d, kernelInitializer: ctx.kernelInit('dense'), name: ctx.name('fc2') }), h);
  return applyLayer(tf.layers.add({ name: ctx.name() }), [x1, dropout(h, 'drop3')]);
}, {
  // Inference: the dropouts are identities.
  onnx: (ctx, [x], p) => {
    const x1 = ctx.op('Add', [x, attentionNodes(ctx, layerNormNode(ctx, x, p.epsilon, 'ln1'), p.heads, 'attn')], {}, 'add1');
    const h = denseNode(ctx, layerNormNode(ctx, x1, p.epsilon, 'ln2'), 3, 'fc1');
    return ctx.op('Add', [x1, denseNode(ctx, activationNodes(ctx, h, 'gelu', 1, 'gelu'), 3, 'fc2')]);
  },
  pytorch: (ctx, p) => {
    const d = ctx.inputShapes[0][2] as number;
    const m = p.mlpDim || 4 * d;
    const ln = (s: string) => {
      const w = ctx.weights(s);
      return { [`${s}.weight`]: w.gamma, [`${s}.bias`]: w.beta };
    };
    const fc = (s: string) => Object.fromEntries(Object.entries(linearState(ctx.weights(s).kernel, ctx.weights(s).bias)).map(([k, v]) => [`${s}.${k}`, v]));
    return {
      module: `EncoderBlock(${d}, ${p.heads}, ${m}, eps=${p.epsilon}, dropout=${p.dropout}, attn_dropout=${p.attnDropout})`,
      forward: (self, [x]) => `${self}(${x})`,
      state: { ...ln('ln1'), ...attentionState(ctx.weights('attn'), 'attn.'), ...ln('ln2'), ...fc('fc1'), ...fc('fc2') },
    };
  },
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [encoder];
