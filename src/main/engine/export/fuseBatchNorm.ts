import { blockByType } from '../../../shared/blocks';
import type { WeightArray } from '../blocks/types';

/**
 * Conv-BN fusion for the exporters (inference only). A BatchNorm right after a convolution or dense layer is an
 * affine map per output channel, so it folds into that layer's weights:
 *   s = γ / √(σ² + ε),  W' = W·s (per output channel),  b' = (b − μ)·s + β
 * where μ, σ² are the running statistics (γ = 1, β = 0 for a BatchNorm without affine). The fused model computes
 * the same function with one layer fewer; training it again would need the BatchNorm back.
 */

/** The block's part in the fusion (its definition's `fold`): 'linear' layers take a BatchNorm, 'batchnorm' folds. */
const foldOf = (type: string): 'linear' | 'batchnorm' | undefined => blockByType(type)?.fold;

export interface BatchNormStats {
  /** Running mean μ and variance σ² per channel. */
  mean: Float32Array;
  variance: Float32Array;
  /** γ and β; absent for a BatchNorm without affine (γ = 1, β = 0). */
  gamma?: Float32Array;
  beta?: Float32Array;
  epsilon: number;
}

/** The per-channel scale s = γ/√(σ²+ε) and shift β − μ·s of a BatchNorm at inference. */
export function batchNormAffine(bn: BatchNormStats): { scale: Float32Array; shift: Float32Array } {
  const n = bn.mean.length;
  const scale = new Float32Array(n);
  const shift = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const s = (bn.gamma?.[i] ?? 1) / Math.sqrt(bn.variance[i] + bn.epsilon);
    scale[i] = s;
    shift[i] = (bn.beta?.[i] ?? 0) - bn.mean[i] * s;
  }
  return { scale, shift };
}

/**
 * Folds a BatchNorm into a kernel in a tfjs layout whose flattened index runs fastest over the output channel:
 * conv `[K, K, C_in/G, C_out]`, dense `[in, out]`, and depthwise `[K, K, C, M]` (output channel c·M + m is the
 * index modulo C·M). Returns the new kernel and bias (a bias is created when the layer had none).
 */
export function foldBatchNorm(kernel: WeightArray, bias: WeightArray | undefined, bn: BatchNormStats): { kernel: WeightArray; bias: WeightArray } {
  const c = bn.mean.length;
  if (kernel.data.length % c !== 0) throw new Error(`cannot fold a BatchNorm of ${c} channels into a kernel of shape [${kernel.shape.join(', ')}]`);
  if (bias && bias.data.length !== c) throw new Error(`cannot fold a BatchNorm of ${c} channels into a bias of ${bias.data.length}`);
  const { scale } = batchNormAffine(bn);
  const k = new Float32Array(kernel.data.length);
  for (let i = 0; i < k.length; i++) k[i] = kernel.data[i] * scale[i % c];
  const b = new Float32Array(c);
  for (let o = 0; o < c; o++) b[o] = ((bias?.data[o] ?? 0) - bn.mean[o]) * scale[o] + (bn.beta?.[o] ?? 0);
  return { kernel: { data: k, shape: [...kernel.shape] }, bias: { data: b, shape: [c] } };
}

/** The weights of the layer a BatchNorm folds into, with the BatchNorm folded (`kernel` or `depthwise_kernel`, `bias`). */
export function foldedWeights(layer: Record<string, WeightArray>, bn: BatchNormStats): Record<string, WeightArray> {
  const key = layer.kernel ? 'kernel' : 'depthwise_kernel';
  if (!layer[key]) throw new Error(`the layer has no kernel to fold a BatchNorm into (weights: ${Object.keys(layer).join(', ')})`);
  const { kernel, bias } = foldBatchNorm(layer[key], layer.bias, bn);
  return { ...layer, [key]: kernel, bias };
}

/** The statistics of a BatchNorm layer's weights (tfjs short names) and its ε. */
export function batchNormStats(w: Record<string, WeightArray>, epsilon: number): BatchNormStats {
  return { mean: w.moving_mean.data, variance: w.moving_variance.data, gamma: w.gamma?.data, beta: w.beta?.data, epsilon };
}

/**
 * Which BatchNorms fold, in an expanded graph: those whose one input comes from a foldable layer that feeds
 * nothing else (so no other consumer sees the un-normalised output). Maps the layer's node id to the BN's.
 */
export function planBatchNormFolding(
  nodes: readonly { id: string; type: string }[],
  edges: readonly { source: string; target: string }[],
): Map<string, string> {
  const type = new Map(nodes.map((n) => [n.id, n.type]));
  const consumers = new Map<string, number>();
  const inputs = new Map<string, string[]>();
  for (const e of edges) {
    consumers.set(e.source, (consumers.get(e.source) ?? 0) + 1);
    (inputs.get(e.target) ?? inputs.set(e.target, []).get(e.target)!).push(e.source);
  }
  const plan = new Map<string, string>();
  for (const n of nodes) {
    if (foldOf(n.type) !== 'batchnorm') continue;
    const ins = inputs.get(n.id) ?? [];
    if (ins.length !== 1) continue;
    const src = ins[0];
    if (foldOf(type.get(src) ?? '') === 'linear' && consumers.get(src) === 1) plan.set(src, n.id);
  }
  return plan;
}
