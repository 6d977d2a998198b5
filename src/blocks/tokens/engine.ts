import { classToken as classTokenDef, posEmbed as posEmbedDef } from './definition';
import { toTfInitializer } from '../../main/engine/train/initializers';
import { applyLayer } from '../../main/engine/blocks/layer';
import { twin } from '../../main/engine/blocks/types';
import { ClassToken, sinusoidalTable, PosEmbed } from './layer';

export * from './layer';

// Small random starts (std 0.02, as timm's ViT), so tokens and positions are distinguishable from step 0.
const smallNormal = (seed: number | undefined) => toTfInitializer({ kind: 'normal', std: 0.02 }, undefined, seed);

export const classToken = twin(
  classTokenDef,
  (ctx, [x]) => applyLayer(new ClassToken({ name: ctx.name(), opts: {}, inits: { token: smallNormal(ctx.seed()) } }), x),
  {
    // The token expanded to [batch, 1, D] (batch read from the input's shape), then prepended.
    onnx: (ctx, [x]) => {
      const t = ctx.weights().token;
      const batch = ctx.op('Slice', [ctx.op('Shape', [x], {}, 'shape'), ctx.ints([0], 'begin'), ctx.ints([1], 'end')], {}, 'batch');
      const target = ctx.op('Concat', [batch, ctx.ints([1, t.shape[2]], 'tail')], { axis: 0 }, 'target');
      const tokens = ctx.op('Expand', [ctx.constant(t.data, t.shape, 'token'), target], {}, 'expand');
      return ctx.op('Concat', [tokens, x], { axis: 1 });
    },
    pytorch: (ctx) => {
      const t = ctx.weights().token;
      return { module: `ClassToken(${t.shape[2]})`, forward: (self, [x]) => `${self}(${x})`, state: { token: t } };
    },
  },
);
export const posEmbed = twin(
  posEmbedDef,
  (ctx, [x], p) => applyLayer(new PosEmbed({ name: ctx.name(), opts: { mode: p.mode }, inits: { table: smallNormal(ctx.seed()) } }), x),
  {
    onnx: (ctx, [x], p) => {
      const [, n, d] = ctx.inputShapes[0] as number[];
      const table = p.mode === 'learned' ? ctx.weights().table : { data: sinusoidalTable(n, d), shape: [1, n, d] };
      return ctx.op('Add', [x, ctx.constant(table.data, table.shape, 'table')]);
    },
    pytorch: (ctx, p) => {
      const [, n, d] = ctx.inputShapes[0] as number[];
      const table = p.mode === 'learned' ? ctx.weights().table : { data: sinusoidalTable(n, d), shape: [1, n, d] };
      return { module: `PosEmbed(${n}, ${d}, learned=${p.mode === 'learned' ? 'True' : 'False'})`, forward: (self, [x]) => `${self}(${x})`, state: { table } };
    },
  },
);

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [classToken, posEmbed];
