import { coordAttention as def, coordMid } from './definition';
import { applyLayer } from '../../main/engine/blocks/layer';
import { activationNodes } from '../../main/engine/export/onnx/ops';
import { torchActivation, torchConvWeight } from '../../main/engine/export/pytorch/ops';
import { twin, type WeightArray } from '../../main/engine/blocks/types';
import { CoordAttention } from './layer';

export * from './layer';

/** The inner BatchNorm's settings (PyTorch's defaults, as the paper's code). */
const CA_BN = { momentum: 0.1, epsilon: 1e-5 };

export const coordAttention = twin(def, (ctx, [x], p) => {
  const c = x.shape[3] as number;
  const layer = new CoordAttention({
    name: ctx.name(),
    opts: { mid: coordMid(c, p.reduction, p.minMid), activation: p.activation, useBias: p.bias, ...CA_BN },
    inits: { conv1: ctx.kernelInit('conv'), convH: ctx.kernelInit('conv'), convW: ctx.kernelInit('conv') },
  });
  return applyLayer(layer, x);
}, {
  // NCHW x: the strips as [B, H+W, C] tokens (means over W, then over H), 1×1 convs as MatMuls, the BN at
  // inference as one scale and shift per mid channel, the gates unsqueezed back to [B, C, H, 1] and [B, C, 1, W].
  onnx: (ctx, [x], p) => {
    const w = ctx.weights();
    const [, h, wd] = ctx.inputShapes[0] as number[];
    const proj = (t: string, name: string): string => {
      const k = w[`${name}_kernel`];
      const [, , cin, cout] = k.shape;
      const y = ctx.op('MatMul', [t, ctx.constant(k.data, [cin, cout], `${name}_kernel`)], {}, name);
      const b = w[`${name}_bias`];
      return b ? ctx.op('Add', [y, ctx.constant(b.data, b.shape, `${name}_bias`)], {}, `${name}_add`) : y;
    };
    const rows = ctx.op('ReduceMean', [x], { axes: [3], keepdims: 0 }, 'mean_w');
    const cols = ctx.op('ReduceMean', [x], { axes: [2], keepdims: 0 }, 'mean_h');
    const strips = ctx.op('Transpose', [ctx.op('Concat', [rows, cols], { axis: 2 }, 'strips_nc')], { perm: [0, 2, 1] }, 'strips');
    const f = proj(strips, 'conv1');
    const mean = w.bn_moving_mean.data;
    const scale = new Float32Array(mean.length);
    const shift = new Float32Array(mean.length);
    for (let i = 0; i < mean.length; i++) {
      scale[i] = w.bn_gamma.data[i] / Math.sqrt(w.bn_moving_variance.data[i] + CA_BN.epsilon);
      shift[i] = w.bn_beta.data[i] - mean[i] * scale[i];
    }
    const normed = ctx.op('Add', [ctx.op('Mul', [f, ctx.constant(scale, [scale.length], 'bn_scale')], {}, 'bn_mul'), ctx.constant(shift, [shift.length], 'bn_shift')], {}, 'bn');
    const a = activationNodes(ctx, normed, p.activation, 1, 'act');
    const [fh, fw] = ['h', 'w'].map((s, i) => ctx.op('Slice', [a, ctx.ints([i === 0 ? 0 : h], `${s}_begin`), ctx.ints([i === 0 ? h : h + wd], `${s}_end`), ctx.ints([1], `${s}_axis`)], {}, `f_${s}`));
    const gate = (t: string, name: 'conv_h' | 'conv_w', axis: number): string =>
      ctx.op('Unsqueeze', [ctx.op('Transpose', [ctx.op('Sigmoid', [proj(t, name)], {}, `${name}_sigmoid`)], { perm: [0, 2, 1] }, `${name}_nc`), ctx.ints([axis], `${name}_axes`)], {}, `${name}_gate`);
    return ctx.op('Mul', [ctx.op('Mul', [x, gate(fh, 'conv_h', 3)], {}, 'scale_h'), gate(fw, 'conv_w', 2)]);
  },
  pytorch: (ctx, p) => {
    const w = ctx.weights();
    const [, , c, mid] = w.conv1_kernel.shape;
    const state: Record<string, WeightArray> = {
      'conv1.weight': torchConvWeight(w.conv1_kernel, false),
      'bn.weight': w.bn_gamma,
      'bn.bias': w.bn_beta,
      'bn.running_mean': w.bn_moving_mean,
      'bn.running_var': w.bn_moving_variance,
      'conv_h.weight': torchConvWeight(w.conv_h_kernel, false),
      'conv_w.weight': torchConvWeight(w.conv_w_kernel, false),
    };
    if (p.bias) Object.assign(state, { 'conv1.bias': w.conv1_bias, 'conv_h.bias': w.conv_h_bias, 'conv_w.bias': w.conv_w_bias });
    return { module: `CoordAttention(${c}, ${mid}, ${torchActivation(p.activation)}, bias=${p.bias ? 'True' : 'False'})`, forward: (self, [x]) => `${self}(${x})`, state };
  },
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [coordAttention];
