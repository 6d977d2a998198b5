import * as tf from '@tensorflow/tfjs';

export interface AttentionWeights {
  /** Fused Q, K, V projection `[D, 3D]` (columns: Q | K | V), and its bias `[3D]` if any. */
  qkvKernel: tf.Tensor;
  qkvBias?: tf.Tensor;
  outKernel: tf.Tensor;
  outBias: tf.Tensor;
}

/**
 * Multi-head self-attention on `[B, N, D]` with batched matmuls (no einsum, no gather):
 * softmax(Q·Kᵀ/√d_k)·V per head, heads concatenated, then the output projection.
 */
export function selfAttention(x: tf.Tensor, w: AttentionWeights, heads: number, dropout: number, training: boolean): tf.Tensor {
  const [b, n, d] = x.shape;
  const dh = d / heads;
  let qkv = x.reshape([b * n, d]).matMul(w.qkvKernel as tf.Tensor2D);
  if (w.qkvBias) qkv = qkv.add(w.qkvBias);
  const toHeads = (t: tf.Tensor): tf.Tensor => t.reshape([b, n, heads, dh]).transpose([0, 2, 1, 3]);
  const [q, k, v] = tf.split(qkv, 3, 1).map(toHeads);
  let att = tf.softmax(tf.matMul(q.mul(1 / Math.sqrt(dh)), k, false, true));
  if (training && dropout > 0) att = tf.dropout(att, dropout);
  const merged = tf.matMul(att, v).transpose([0, 2, 1, 3]).reshape([b * n, d]);
  return merged.matMul(w.outKernel as tf.Tensor2D).add(w.outBias).reshape([b, n, d]);
}

/**
 * Inspection only (not used in training): the attention probabilities softmax(Q·Kᵀ/√d_k) of every head,
 * `[B, heads, N, N]` (row = query token, column = key token), computed as selfAttention does.
 */
export function attentionProbabilities(x: tf.Tensor, w: Pick<AttentionWeights, 'qkvKernel' | 'qkvBias'>, heads: number): tf.Tensor4D {
  return tf.tidy(() => {
    const [b, n, d] = x.shape;
    const dh = d / heads;
    let qkv = x.reshape([b * n, d]).matMul(w.qkvKernel as tf.Tensor2D);
    if (w.qkvBias) qkv = qkv.add(w.qkvBias);
    const toHeads = (t: tf.Tensor): tf.Tensor => t.reshape([b, n, heads, dh]).transpose([0, 2, 1, 3]);
    const [q, k] = tf.split(qkv, 3, 1).map(toHeads);
    return tf.softmax(tf.matMul(q.mul(1 / Math.sqrt(dh)), k, false, true)) as tf.Tensor4D;
  });
}
