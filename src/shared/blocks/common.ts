import type { Shape } from '../graph/types';
import { int, oneOf } from './params';
import { ShapeError } from './types';

/** Shared param specs and cost helpers for the block catalog (pure). */

/** P applies only to padding 'explicit'; under 'same' or 'valid' the padding mode decides (the inspector says so instead of "pad 0"). */
export function padEffective(p: Record<string, unknown>): { text: string; locked: true } | undefined {
  if (p.padding === 'explicit') return undefined;
  return p.padding === 'valid' ? { text: 'none (valid)', locked: true } : { text: 'same: as much as keeps ⌈H/S⌉', locked: true };
}

export const paddingParams = () => ({
  padding: oneOf(['same', 'valid', 'explicit'], 'same', "'same' keeps ⌈H/S⌉; 'valid' adds none; 'explicit' pads P on each side."),
  pad: int(0, "P, the zeros added on each side when padding is 'explicit'.", { min: 0, max: 64, effective: padEffective }),
});

/**
 * Element-wise ops per element for each activation (the `ops` column, not MACs). Rough but consistent:
 * a compare or multiply counts 1, exp/log/tanh/erf count ≈ 3 (so sigmoid = exp + add + divide ≈ 4, as the notes say).
 */
export const ACTIVATION_OPS = {
  relu: 1,
  relu6: 2,
  leaky_relu: 2,
  prelu: 2,
  elu: 4,
  gelu: 8,
  silu: 5,
  hardswish: 4,
  hardsigmoid: 3,
  mish: 8,
  sigmoid: 4,
  tanh: 4,
  softmax: 5,
} as const;

/** Per-sample dims `[H, W, C]` of a feature map (the caller has checked the rank). */
export function hwc(shape: Shape): [number, number, number] {
  return [shape[1] as number, shape[2] as number, shape[3] as number];
}

/** A per-sample axis name, for messages: rank 3 = height/width/channels, rank 2 = tokens/dim. */
export function axisName(rank: number, axis: number): string {
  const names = rank === 3 ? ['height', 'width', 'channels'] : rank === 2 ? ['tokens', 'dim'] : rank === 1 ? ['features'] : [];
  return names[axis - 1] ?? `axis ${axis}`;
}

/**
 * Resolves a user axis (Keras style, batch = 0) on a shape that includes the batch dimension.
 * Returns the positive index (≥ 1); throws a ShapeError naming `param` for the batch axis or an out-of-range axis.
 */
export function resolveAxis(axis: number, shape: Shape, param = 'axis'): number {
  const rank = shape.length; // with the batch
  const a = axis < 0 ? rank + axis : axis;
  if (a < 1 || a >= rank) {
    throw new ShapeError(
      axis === 0 || a === 0
        ? `axis ${axis} is the batch axis; use 1…${rank - 1} or −1…−${rank - 1}`
        : `axis ${axis} is out of range for a rank-${rank - 1} input (use 1…${rank - 1} or −1…−${rank - 1})`,
      param,
    );
  }
  return a;
}

/**
 * Multi-head self-attention cost on N tokens of dim D (Q/K/V/O projections + QKᵀ and A·V).
 * Params 4D² + (3D if qkvBias) + D (the output projection always has a bias, as in timm and torchvision's ViT).
 * MACs 4·N·D² (projections) + 2·N²·D (scores and weighted sum, summed over heads).
 * Ops: scale (1) + softmax (5) per score, over h·N² scores, plus the bias adds.
 */
export function attentionCost(n: number, d: number, heads: number, qkvBias: boolean): { params: number; macs: number; ops: number } {
  const biases = (qkvBias ? 3 : 0) + 1;
  return {
    params: 4 * d * d + biases * d,
    macs: 4 * n * d * d + 2 * n * n * d,
    ops: (1 + ACTIVATION_OPS.softmax) * heads * n * n + biases * n * d,
  };
}
