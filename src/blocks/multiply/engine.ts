import { multiply as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { chain } from '../../main/engine/export/onnx/ops';
import { twin } from '../../main/engine/blocks/types';
import { BroadcastMultiply } from './layer';

export * from './layer';

export const multiply = twin(def, (ctx, inputs) => applyLayer(new BroadcastMultiply({ name: ctx.name(), opts: {} }), inputs), {
  onnx: (ctx, inputs) => chain(ctx, 'Mul', inputs),
  pytorch: () => ({ forward: (_, inputs) => inputs.join(' * ') }),
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [multiply];
