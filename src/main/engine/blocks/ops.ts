import * as tf from '@tensorflow/tfjs';

/**
 * Tensor ops shared by the custom layers. They use only kernels that have gradients in tfjs-core and exist
 * on the wasm backend: no dilated conv kernels (tfjs has no gradient for dilation > 1), no Tile, Einsum or Gather.
 */

export type SamePadding = 'same' | 'valid';

/** A conv kernel's layout: HWIO `[K, K, C_in/G, C_out]`, or depthwise `[K, K, C, M]` (groups = C). */
export interface ConvSpec {
  stride: number;
  padding: SamePadding;
  dilation: number;
  groups: number;
  depthwise: boolean;
}

export function conv2dGeneral(x: tf.Tensor4D, kernel: tf.Tensor4D, s: ConvSpec): tf.Tensor4D {
  const run = (t: tf.Tensor4D, stride: number, padding: SamePadding): tf.Tensor4D => {
    if (s.depthwise) return tf.depthwiseConv2d(t, kernel, stride, padding);
    if (s.groups === 1) return tf.conv2d(t, kernel, stride, padding);
    const xs = tf.split(t, s.groups, 3);
    const ks = tf.split(kernel, s.groups, 3);
    return tf.concat(xs.map((xi, i) => tf.conv2d(xi as tf.Tensor4D, ks[i] as tf.Tensor4D, stride, padding)), 3);
  };
  if (s.dilation === 1) return run(x, s.stride, s.padding);
  return atrous(x, kernel.shape[0], s.dilation, s.padding, (t) => run(t, 1, 'valid'));
}

/**
 * A stride-1 convolution dilated by D, as TensorFlow's `with_space_to_batch` does it: pad, spaceToBatch by D,
 * run the undilated conv 'valid', batchToSpace, crop. Exact, and differentiable where dilated kernels are not.
 */
export function atrous(x: tf.Tensor4D, k: number, d: number, padding: SamePadding, conv: (t: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const total = padding === 'same' ? d * (k - 1) : 0;
  const before = Math.floor(total / 2);
  const after = total - before;
  const extra = (size: number): number => (d - ((size + total) % d)) % d;
  const eh = extra(x.shape[1]);
  const ew = extra(x.shape[2]);
  const s2b = tf.spaceToBatchND(x, [d, d], [[before, after + eh], [before, after + ew]]) as tf.Tensor4D;
  return tf.batchToSpaceND(conv(s2b), [d, d], [[0, eh], [0, ew]]) as tf.Tensor4D;
}

/** Nearest-neighbour upsampling by an integer factor through a broadcast multiply (no Tile, no resize kernel). */
export function upsampleNearest(x: tf.Tensor4D, s: number): tf.Tensor4D {
  const [b, h, w, c] = x.shape;
  const rows = x.reshape([b, h, 1, w, c]).mul(tf.ones([1, 1, s, 1, 1])).reshape([b, h * s, w, 1, c]);
  return rows.mul(tf.ones([1, 1, 1, s, 1])).reshape([b, h * s, w * s, c]) as tf.Tensor4D;
}

/**
 * Bilinear upsampling by an integer factor with half-pixel centres (PyTorch align_corners=False), separably,
 * as a fixed two-tap blend of edge-padded neighbours per output phase. tfjs' own ResizeBilinear gradient
 * ignores halfPixelCenters, so it cannot be used here.
 */
export function upsampleBilinear(x: tf.Tensor4D, s: number): tf.Tensor4D {
  return bilinearAxis(bilinearAxis(x, 1, s), 2, s);
}

function bilinearAxis(x: tf.Tensor4D, axis: 1 | 2, s: number): tf.Tensor4D {
  const n = x.shape[axis];
  const slice = (start: number, size: number): tf.Tensor4D => {
    const begin = [0, 0, 0, 0];
    const sizes = [-1, -1, -1, -1];
    begin[axis] = start;
    sizes[axis] = size;
    return x.slice(begin, sizes);
  };
  // Edge-replicated copy: xp[i + 1] = x[clamp(i)] for i in −1..n.
  const xp = tf.concat([slice(0, 1), x, slice(n - 1, 1)], axis);
  const take = (start: number): tf.Tensor4D => {
    const begin = [0, 0, 0, 0];
    const sizes = [-1, -1, -1, -1];
    begin[axis] = start;
    sizes[axis] = n;
    return xp.slice(begin, sizes);
  };
  const phases: tf.Tensor4D[] = [];
  for (let r = 0; r < s; r++) {
    const src = (r + 0.5) / s - 0.5; // source coordinate of output i·s + r, relative to input i
    const lo = Math.floor(src);
    const frac = src - lo;
    const a = take(lo + 1);
    phases.push(frac === 0 ? a : a.mul(1 - frac).add(take(lo + 2).mul(frac)));
  }
  const stacked = tf.stack(phases, axis + 1);
  const shape = [...x.shape];
  shape[axis] = n * s;
  return stacked.reshape(shape) as tf.Tensor4D;
}

/** Moments over `axes` (keepDims) with the biased variance, as BatchNorm/LayerNorm/GroupNorm use. */
export function moments(x: tf.Tensor, axes: number[]): { mean: tf.Tensor; variance: tf.Tensor } {
  const mean = x.mean(axes, true);
  const variance = x.sub(mean).square().mean(axes, true);
  return { mean, variance };
}

/** Running statistics of a batch norm, updated in place while training. */
export interface RunningStats {
  mean: tf.LayerVariable;
  variance: tf.LayerVariable;
}

/**
 * Batch normalisation over `axes` (all but the channels) with plain broadcasting ops. While training it
 * normalises with the batch statistics and updates the running ones PyTorch's way: momentum m weighs the new
 * batch, and the running variance takes the unbiased batch variance.
 */
export function batchNormOp(x: tf.Tensor, axes: number[], stats: RunningStats, training: boolean, momentum: number, epsilon: number): tf.Tensor {
  let mean: tf.Tensor;
  let variance: tf.Tensor;
  if (training) {
    ({ mean, variance } = moments(x, axes));
    const n = axes.reduce((p, a) => p * x.shape[a], 1);
    const batchMean = mean;
    const unbiased = variance.mul(n / Math.max(1, n - 1));
    tf.tidy(() => {
      stats.mean.write(stats.mean.read().mul(1 - momentum).add(batchMean.reshape(stats.mean.shape as number[]).mul(momentum)));
      stats.variance.write(stats.variance.read().mul(1 - momentum).add(unbiased.reshape(stats.variance.shape as number[]).mul(momentum)));
    });
  } else {
    mean = stats.mean.read();
    variance = stats.variance.read();
  }
  return x.sub(mean).mul(variance.add(epsilon).rsqrt());
}
