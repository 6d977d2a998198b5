import { clsPool as clsPoolDef } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { twin } from '../../main/engine/blocks/types';
import { ClsPool } from './layer';

export * from './layer';

export const clsPool = twin(clsPoolDef, (ctx, [x], p) => applyLayer(new ClsPool({ name: ctx.name(), opts: { mode: p.mode } }), x), {
  onnx: (ctx, [x], p) =>
    p.mode === 'mean'
      ? ctx.op('ReduceMean', [x], { axes: [1], keepdims: 0 })
      : ctx.op('Squeeze', [ctx.op('Gather', [x, ctx.ints([0], 'index')], { axis: 1 }, 'gather'), ctx.ints([1], 'axes')]),
  pytorch: (_ctx, p) => ({ forward: (_, [x]) => (p.mode === 'mean' ? `${x}.mean(dim=1)` : `${x}[:, 0]`) }),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [clsPool];
