import type { OnnxCtx, WeightArray } from '../../blocks/types';

/**
 * Shared ONNX node recipes for the block twins. Rank-4 tensors are NCHW in the exported graph (see OnnxCtx);
 * weights are converted from the tfjs layouts here.
 */

/** Transposes a row-major 4-D array: `perm[i]` is the source axis of output axis i. */
export function transpose4(w: WeightArray, perm: readonly number[]): WeightArray {
  const s = w.shape;
  const out = new Float32Array(w.data.length);
  const shape = perm.map((p) => s[p]);
  const strides = [s[1] * s[2] * s[3], s[2] * s[3], s[3], 1];
  const ps = perm.map((p) => strides[p]);
  let o = 0;
  for (let a = 0; a < shape[0]; a++)
    for (let b = 0; b < shape[1]; b++)
      for (let c = 0; c < shape[2]; c++)
        for (let d = 0; d < shape[3]; d++) out[o++] = w.data[a * ps[0] + b * ps[1] + c * ps[2] + d * ps[3]];
  return { data: out, shape };
}

/** TensorFlow's 'same' padding along one axis: [before, after]. */
export function samePads(size: number, k: number, s: number, d = 1): [number, number] {
  const out = Math.ceil(size / s);
  const total = Math.max((out - 1) * s + (k - 1) * d + 1 - size, 0);
  const before = Math.floor(total / 2);
  return [before, total - before];
}

export interface SpatialSpec {
  kernel: number;
  stride: number;
  padding: 'same' | 'valid' | 'explicit';
  pad: number;
  dilation?: number;
}

/** ONNX `pads` ([top, left, bottom, right]) for an NHWC input shape of the lab. */
export function onnxPads(inputShape: readonly (number | null)[], p: SpatialSpec): number[] {
  if (p.padding === 'valid') return [0, 0, 0, 0];
  if (p.padding === 'explicit') return [p.pad, p.pad, p.pad, p.pad];
  const [t, b] = samePads(inputShape[1]!, p.kernel, p.stride, p.dilation ?? 1);
  const [l, r] = samePads(inputShape[2]!, p.kernel, p.stride, p.dilation ?? 1);
  return [t, l, b, r];
}

/**
 * A conv layer the twin built as `ctx.name(suffix)`: tfjs' Conv2D / DepthwiseConv2D or Netsmith's general conv.
 * Kernels `[K, K, C_in/G, C_out]` become `[C_out, C_in/G, K, K]`; depthwise `[K, K, C, M]` becomes `[C·M, 1, K, K]`.
 */
export function convNode(
  ctx: OnnxCtx,
  x: string,
  spec: SpatialSpec & { groups: number; depthwise: boolean },
  suffix?: string,
): string {
  const w = ctx.weights(suffix);
  const kernel = w.kernel ?? w.depthwise_kernel;
  const [k, , cin, m] = kernel.shape;
  const src = spec.depthwise ? { data: kernel.data, shape: [k, k, 1, cin * m] } : kernel;
  const onnxW = transpose4(src, [3, 2, 0, 1]);
  const inputs = [x, ctx.constant(onnxW.data, onnxW.shape, suffix ? `${suffix}/weight` : 'weight')];
  if (w.bias) inputs.push(ctx.constant(w.bias.data, w.bias.shape, suffix ? `${suffix}/bias` : 'bias'));
  const d = spec.dilation ?? 1;
  return ctx.op(
    'Conv',
    inputs,
    {
      kernel_shape: [k, k],
      strides: [spec.stride, spec.stride],
      dilations: [d, d],
      pads: onnxPads(ctx.inputShapes[0], spec),
      group: spec.depthwise ? cin : spec.groups,
    },
    suffix,
  );
}

/** x·W + b over the lab's last axis (tfjs Dense); a rank-4 (NCHW) input goes through NHWC and back. */
export function denseNode(ctx: OnnxCtx, x: string, rank: number, suffix?: string): string {
  const w = ctx.weights(suffix);
  const nhwc = rank === 4;
  let h = nhwc ? ctx.op('Transpose', [x], { perm: [0, 2, 3, 1] }, suffix ? `${suffix}/nhwc` : 'nhwc') : x;
  h = ctx.op('MatMul', [h, ctx.constant(w.kernel.data, w.kernel.shape, suffix ? `${suffix}/kernel` : 'kernel')], {}, suffix ? `${suffix}/matmul` : 'matmul');
  if (w.bias) h = ctx.op('Add', [h, ctx.constant(w.bias.data, w.bias.shape, suffix ? `${suffix}/bias` : 'bias')], {}, suffix ? `${suffix}/add` : 'add');
  return nhwc ? ctx.op('Transpose', [h], { perm: [0, 3, 1, 2] }, suffix) : h;
}

/** Per-channel scale and shift broadcast along the channel axis of the ONNX layout. */
export function channelAffine(ctx: OnnxCtx, x: string, rank: number, scale: Float32Array, shift: Float32Array, suffix: string): string {
  const dims = rank === 4 ? [scale.length, 1, 1] : [scale.length];
  const y = ctx.op('Mul', [x, ctx.constant(scale, dims, `${suffix}_scale`)], {}, `${suffix}_mul`);
  return ctx.op('Add', [y, ctx.constant(shift, dims, `${suffix}_shift`)], {}, suffix);
}

export type ActName = 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'elu' | 'gelu' | 'geluTanh' | 'silu' | 'hardswish' | 'hardsigmoid' | 'mish';

/** The ONNX nodes of an element-wise activation (the formulas of blocks/activations.ts `activate`). */
export function activationNodes(ctx: OnnxCtx, x: string, fn: ActName, alpha = 1, prefix = ''): string {
  const n = (s: string): string => (prefix ? `${prefix}_${s}` : s);
  const c = (v: number, s: string): string => ctx.constant([v], [], n(s));
  switch (fn) {
    case 'relu':
      return ctx.op('Relu', [x], {}, prefix || undefined);
    case 'relu6':
      return ctx.op('Clip', [x, c(0, 'min'), c(6, 'max')], {}, prefix || undefined);
    case 'sigmoid':
      return ctx.op('Sigmoid', [x], {}, prefix || undefined);
    case 'tanh':
      return ctx.op('Tanh', [x], {}, prefix || undefined);
    case 'elu':
      return ctx.op('Elu', [x], { alpha: { float: alpha } }, prefix || undefined);
    case 'gelu': {
      const e = ctx.op('Erf', [ctx.op('Mul', [x, c(Math.SQRT1_2, 'rsqrt2')], {}, n('scaled'))], {}, n('erf'));
      const h = ctx.op('Mul', [x, ctx.op('Add', [e, c(1, 'one')], {}, n('erf1'))], {}, n('xerf'));
      return ctx.op('Mul', [h, c(0.5, 'half')], {}, prefix || undefined);
    }
    case 'geluTanh': {
      const cube = ctx.op('Mul', [ctx.op('Pow', [x, c(3, 'three')], {}, n('cube')), c(0.044715, 'k')], {}, n('kcube'));
      const inner = ctx.op('Mul', [ctx.op('Add', [x, cube], {}, n('sum')), c(Math.sqrt(2 / Math.PI), 'c')], {}, n('inner'));
      const t = ctx.op('Add', [ctx.op('Tanh', [inner], {}, n('tanh')), c(1, 'one')], {}, n('tanh1'));
      return ctx.op('Mul', [ctx.op('Mul', [x, t], {}, n('xt')), c(0.5, 'half')], {}, prefix || undefined);
    }
    case 'silu':
      return ctx.op('Mul', [x, ctx.op('Sigmoid', [x], {}, n('sigmoid'))], {}, prefix || undefined);
    case 'hardswish':
      return ctx.op('HardSwish', [x], {}, prefix || undefined);
    case 'hardsigmoid':
      return ctx.op('HardSigmoid', [x], { alpha: { float: 1 / 6 }, beta: { float: 0.5 } }, prefix || undefined);
    case 'mish':
      return ctx.op('Mul', [x, ctx.op('Tanh', [ctx.op('Softplus', [x], {}, n('softplus'))], {}, n('tanh'))], {}, prefix || undefined);
  }
}

/** Chains a binary op over every input (Add, Mul). */
export function chain(ctx: OnnxCtx, op: string, inputs: string[]): string {
  let acc = inputs[0];
  for (let i = 1; i < inputs.length; i++) acc = ctx.op(op, [acc, inputs[i]], {}, i === inputs.length - 1 ? undefined : `${op.toLowerCase()}${i}`);
  return acc;
}

/** LayerNormalization over the last axis of a token tensor, with the layer `suffix`'s γ and β. */
export function layerNormNode(ctx: OnnxCtx, x: string, epsilon: number, suffix?: string): string {
  const w = ctx.weights(suffix);
  const p = suffix ? `${suffix}/` : '';
  return ctx.op('LayerNormalization', [x, ctx.constant(w.gamma.data, w.gamma.shape, `${p}gamma`), ctx.constant(w.beta.data, w.beta.shape, `${p}beta`)], { axis: -1, epsilon: { float: epsilon } }, suffix);
}

/**
 * Multi-head self-attention on [B, N, D] (blocks/attention.ts selfAttention): the fused QKV projection split into
 * heads, softmax(Q·Kᵀ/√d)·V, heads merged, output projection. Weights of the layer `suffix`.
 */
export function attentionNodes(ctx: OnnxCtx, x: string, heads: number, suffix?: string): string {
  const w = ctx.weights(suffix);
  const [, n, d] = ctx.inputShapes[0] as number[];
  const dh = d / heads;
  const s = (name: string): string => (suffix ? `${suffix}/${name}` : name);
  let qkv = ctx.op('MatMul', [x, ctx.constant(w.qkv_kernel.data, w.qkv_kernel.shape, s('qkv_kernel'))], {}, s('qkv'));
  if (w.qkv_bias) qkv = ctx.op('Add', [qkv, ctx.constant(w.qkv_bias.data, w.qkv_bias.shape, s('qkv_bias'))], {}, s('qkv_add'));
  const split = ctx.op('Transpose', [ctx.op('Reshape', [qkv, ctx.ints([0, n, 3, heads, dh], s('qkv_shape'))], {}, s('qkv_heads'))], { perm: [2, 0, 3, 1, 4] }, s('qkv_t'));
  const part = (i: number, name: string): string =>
    ctx.op('Squeeze', [ctx.op('Gather', [split, ctx.ints([i], s(`${name}_index`))], { axis: 0 }, s(`${name}_gather`)), ctx.ints([0], s(`${name}_axes`))], {}, s(name));
  const q = ctx.op('Mul', [part(0, 'q'), ctx.constant([1 / Math.sqrt(dh)], [], s('scale'))], {}, s('q_scaled'));
  const kt = ctx.op('Transpose', [part(1, 'k')], { perm: [0, 1, 3, 2] }, s('k_t'));
  const att = ctx.op('Softmax', [ctx.op('MatMul', [q, kt], {}, s('scores'))], { axis: -1 }, s('softmax'));
  const merged = ctx.op('Reshape', [ctx.op('Transpose', [ctx.op('MatMul', [att, part(2, 'v')], {}, s('context'))], { perm: [0, 2, 1, 3] }, s('context_t')), ctx.ints([0, n, d], s('merge_shape'))], {}, s('merge'));
  const out = ctx.op('MatMul', [merged, ctx.constant(w.out_kernel.data, w.out_kernel.shape, s('out_kernel'))], {}, s('out'));
  return ctx.op('Add', [out, ctx.constant(w.out_bias.data, w.out_bias.shape, s('out_bias'))], {}, suffix);
}
