import { seSqueeze, squeezeExcite as def } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { activationNodes } from '../../main/engine/export/onnx/ops';
import { linearState, torchActivation } from '../../main/engine/export/pytorch/ops';
import { twin } from '../../main/engine/blocks/types';
import { SqueezeExcite } from './layer';

export * from './layer';

export const squeezeExcite = twin(def, (ctx, [x], p) => {
  const c = x.shape[3] as number;
  const layer = new SqueezeExcite({
    name: ctx.name(),
    opts: { squeeze: seSqueeze(c, p.reduction, p.squeeze), activation: p.activation, gate: p.gate, useBias: p.bias },
    inits: { fc1: ctx.kernelInit('dense'), fc2: ctx.kernelInit('dense') },
  });
  return applyLayer(layer, x);
}, {
  onnx: (ctx, [x], p) => {
    const w = ctx.weights();
    const fc = (h: string, i: 1 | 2): string => {
      const k = w[`fc${i}_kernel`];
      const y = ctx.op('MatMul', [h, ctx.constant(k.data, k.shape, `fc${i}_kernel`)], {}, `fc${i}`);
      const b = w[`fc${i}_bias`];
      return b ? ctx.op('Add', [y, ctx.constant(b.data, b.shape, `fc${i}_bias`)], {}, `fc${i}_add`) : y;
    };
    const squeezed = ctx.op('Flatten', [ctx.op('GlobalAveragePool', [x], {}, 'gap')], { axis: 1 }, 'squeeze');
    const h = activationNodes(ctx, fc(squeezed, 1), p.activation, 1, 'act');
    const g = activationNodes(ctx, fc(h, 2), p.gate, 1, 'gate');
    return ctx.op('Mul', [x, ctx.op('Unsqueeze', [g, ctx.ints([2, 3], 'axes')], {}, 'scale')]);
  },
  pytorch: (ctx, p) => {
    const w = ctx.weights();
    const [c, s] = w.fc1_kernel.shape;
    const state = Object.fromEntries([
      ...Object.entries(linearState(w.fc1_kernel, w.fc1_bias)).map(([k, v]) => [`fc1.${k}`, v] as const),
      ...Object.entries(linearState(w.fc2_kernel, w.fc2_bias)).map(([k, v]) => [`fc2.${k}`, v] as const),
    ]);
    return {
      module: `SqueezeExcite(${c}, ${s}, ${torchActivation(p.activation)}, ${torchActivation(p.gate)}, bias=${p.bias ? 'True' : 'False'})`,
      forward: (self, [x]) => `${self}(${x})`,
      state,
    };
  },
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [squeezeExcite];
