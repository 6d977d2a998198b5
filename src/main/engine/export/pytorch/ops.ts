import type { PytorchCtx, PytorchModule, WeightArray } from '../../blocks/types';
import { onnxPads, transpose4, type SpatialSpec } from '../onnx/ops';

/** PyTorch recipes shared by the block twins (model.py is NCHW; weights converted from the tfjs layouts). */

export const py = (v: number | boolean): string => (typeof v === 'boolean' ? (v ? 'True' : 'False') : String(v));

/** [K, K, C_in/G, C_out] → [C_out, C_in/G, K, K]; depthwise [K, K, C, M] → [C·M, 1, K, K]. */
export function torchConvWeight(kernel: WeightArray, depthwise: boolean): WeightArray {
  const [k, , cin, m] = kernel.shape;
  return transpose4(depthwise ? { data: kernel.data, shape: [k, k, 1, cin * m] } : kernel, [3, 2, 0, 1]);
}

/** 2-D transpose: a Dense kernel [in, out] → nn.Linear's weight [out, in]. */
export function transpose2(w: WeightArray): WeightArray {
  const [r, c] = w.shape;
  const out = new Float32Array(r * c);
  const src = w.data;
  // In tiles, so that reads and writes both stay in cache (VGG's 25088×4096 classifier took seconds row by row).
  const T = 64;
  for (let i0 = 0; i0 < r; i0 += T) {
    const i1 = Math.min(i0 + T, r);
    for (let j0 = 0; j0 < c; j0 += T) {
      const j1 = Math.min(j0 + T, c);
      for (let i = i0; i < i1; i++) for (let j = j0, k = i * c + j0; j < j1; j++, k++) out[j * r + i] = src[k];
    }
  }
  return { data: out, shape: [c, r] };
}

/**
 * nn.Conv2d for a conv layer (tfjs Conv2D / DepthwiseConv2D / Netsmith's general conv). TensorFlow's 'same'
 * padding can be asymmetric: then an explicit F.pad comes first and the conv itself pads nothing.
 */
export function torchConv(ctx: PytorchCtx, spec: SpatialSpec & { groups: number; depthwise: boolean }, suffix?: string): PytorchModule {
  const w = ctx.weights(suffix);
  const kernel = w.kernel ?? w.depthwise_kernel;
  const [k, , cinPerGroup, m] = kernel.shape;
  const cin = spec.depthwise ? cinPerGroup : cinPerGroup * spec.groups;
  const cout = spec.depthwise ? cinPerGroup * m : m;
  const groups = spec.depthwise ? cin : spec.groups;
  const [t, l, b, r] = onnxPads(ctx.inputShapes[0], spec);
  const symmetric = t === b && l === r;
  const d = spec.dilation ?? 1;
  const args = [`${cin}, ${cout}, ${k}`, `stride=${spec.stride}`, `padding=${symmetric ? `(${t}, ${l})` : 0}`];
  if (d !== 1) args.push(`dilation=${d}`);
  if (groups !== 1) args.push(`groups=${groups}`);
  args.push(`bias=${py(Boolean(w.bias))}`);
  const state: Record<string, WeightArray> = { weight: torchConvWeight(kernel, spec.depthwise) };
  if (w.bias) state.bias = w.bias;
  return {
    module: `nn.Conv2d(${args.join(', ')})`,
    forward: (self, [x]) => (symmetric ? `${self}(${x})` : `${self}(F.pad(${x}, (${l}, ${r}, ${t}, ${b})))`),
    state,
  };
}

/** nn.Linear over the lab's last axis; on an image (NCHW here) through NHWC and back. */
export function torchLinear(ctx: PytorchCtx, suffix?: string): PytorchModule {
  const w = ctx.weights(suffix);
  const [fin, fout] = w.kernel.shape;
  const state: Record<string, WeightArray> = { weight: transpose2(w.kernel) };
  if (w.bias) state.bias = w.bias;
  const image = ctx.inputShapes[0].length === 4;
  return {
    module: `nn.Linear(${fin}, ${fout}, bias=${py(Boolean(w.bias))})`,
    forward: (self, [x]) => (image ? `${self}(${x}.permute(0, 2, 3, 1)).permute(0, 3, 1, 2)` : `${self}(${x})`),
    state,
  };
}

export type TorchAct = 'relu' | 'relu6' | 'sigmoid' | 'tanh' | 'elu' | 'gelu' | 'geluTanh' | 'silu' | 'hardswish' | 'hardsigmoid' | 'mish';

export function torchActivation(fn: TorchAct, alpha = 1): string {
  switch (fn) {
    case 'relu':
      return 'nn.ReLU()';
    case 'relu6':
      return 'nn.ReLU6()';
    case 'sigmoid':
      return 'nn.Sigmoid()';
    case 'tanh':
      return 'nn.Tanh()';
    case 'elu':
      return `nn.ELU(alpha=${py(alpha)})`;
    case 'gelu':
      return 'nn.GELU()';
    case 'geluTanh':
      return "nn.GELU(approximate='tanh')";
    case 'silu':
      return 'nn.SiLU()';
    case 'hardswish':
      return 'nn.Hardswish()';
    case 'hardsigmoid':
      return 'nn.Hardsigmoid()';
    case 'mish':
      return 'nn.Mish()';
  }
}

/** A stateless submodule applied to the one input. */
export const torchUnary = (module: string): PytorchModule => ({ module, forward: (self, [x]) => `${self}(${x})` });

/** A Linear's state from a Dense-style kernel [in, out] and bias. */
export function linearState(kernel: WeightArray, bias?: WeightArray): Record<string, WeightArray> {
  return bias ? { weight: transpose2(kernel), bias } : { weight: transpose2(kernel) };
}

/** The state of Netsmith's attention layer (blocks/mhsa.ts) as SelfAttention's (model.py), under `prefix`. */
export function attentionState(w: Record<string, WeightArray>, prefix = ''): Record<string, WeightArray> {
  const out: Record<string, WeightArray> = {};
  for (const [k, v] of Object.entries(linearState(w.qkv_kernel, w.qkv_bias))) out[`${prefix}qkv.${k}`] = v;
  for (const [k, v] of Object.entries(linearState(w.out_kernel, w.out_bias))) out[`${prefix}proj.${k}`] = v;
  return out;
}
