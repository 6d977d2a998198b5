import { cbam as def, cbamHidden } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { transpose4 } from '../../main/engine/export/onnx/ops';
import { linearState, torchConvWeight } from '../../main/engine/export/pytorch/ops';
import { twin, type OnnxCtx, type WeightArray } from '../../main/engine/blocks/types';
import { Cbam } from './layer';

export * from './layer';

export const cbam = twin(def, (ctx, [x], p) => {
  const c = x.shape[3] as number;
  const layer = new Cbam({
    name: ctx.name(),
    opts: { hidden: cbamHidden(c, p.reduction), spatialKernel: p.spatialKernel, useBias: p.bias },
    inits: { fc1: ctx.kernelInit('dense'), fc2: ctx.kernelInit('dense'), spatial: ctx.kernelInit('conv') },
  });
  return applyLayer(layer, x);
}, {
  // NCHW: the shared MLP on the GAP and GMP vectors, σ(sum) per channel, then the 2→1 conv on [mean_c; max_c].
  onnx: (ctx, [x]) => {
    const w = ctx.weights();
    const mlp = (v: string, from: 'avg' | 'max'): string => {
      const fc = (h: string, i: 1 | 2): string => {
        const y = ctx.op('MatMul', [h, ctx.constant(w[`fc${i}_kernel`].data, w[`fc${i}_kernel`].shape, `${from}/fc${i}_kernel`)], {}, `${from}/fc${i}`);
        const b = w[`fc${i}_bias`];
        return b ? ctx.op('Add', [y, ctx.constant(b.data, b.shape, `${from}/fc${i}_bias`)], {}, `${from}/fc${i}_add`) : y;
      };
      return fc(ctx.op('Relu', [fc(v, 1)], {}, `${from}/relu`), 2);
    };
    const pooled = (op: string, from: 'avg' | 'max'): string => ctx.op('Flatten', [ctx.op(op, [x], {}, `${from}/pool`)], { axis: 1 }, `${from}/flat`);
    const channel = ctx.op('Sigmoid', [ctx.op('Add', [mlp(pooled('GlobalAveragePool', 'avg'), 'avg'), mlp(pooled('GlobalMaxPool', 'max'), 'max')], {}, 'channel_sum')], {}, 'channel_gate');
    const xc = ctx.op('Mul', [x, ctx.op('Unsqueeze', [channel, ctx.ints([2, 3], 'channel_axes')], {}, 'channel_scale')], {}, 'channel_out');
    const desc = ctx.op(
      'Concat',
      [ctx.op('ReduceMean', [xc], { axes: [1], keepdims: 1 }, 'mean_c'), ctx.op('ReduceMax', [xc], { axes: [1], keepdims: 1 }, 'max_c')],
      { axis: 1 },
      'descriptor',
    );
    const spatial = spatialConv(ctx, desc, w.spatial_kernel);
    return ctx.op('Mul', [xc, ctx.op('Sigmoid', [spatial], {}, 'spatial_gate')]);
  },
  pytorch: (ctx, p) => {
    const w = ctx.weights();
    const [c, s] = w.fc1_kernel.shape;
    const k = w.spatial_kernel.shape[0];
    const state: Record<string, WeightArray> = { 'spatial.weight': torchConvWeight(w.spatial_kernel, false) };
    for (const i of [1, 2] as const) for (const [key, v] of Object.entries(linearState(w[`fc${i}_kernel`], w[`fc${i}_bias`]))) state[`fc${i}.${key}`] = v;
    return { module: `CBAM(${c}, ${s}, ${k}, bias=${p.bias ? 'True' : 'False'})`, forward: (self, [x]) => `${self}(${x})`, state };
  },
});

/** The k×k 2→1 spatial-attention conv, stride 1, 'same' (k odd: symmetric padding), no bias. */
function spatialConv(ctx: OnnxCtx, desc: string, kernel: WeightArray): string {
  const k = kernel.shape[0];
  const onnxW = transpose4(kernel, [3, 2, 0, 1]);
  const pad = (k - 1) / 2;
  return ctx.op('Conv', [desc, ctx.constant(onnxW.data, onnxW.shape, 'spatial_weight')], { kernel_shape: [k, k], strides: [1, 1], pads: [pad, pad, pad, pad] }, 'spatial');
}

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [cbam];
