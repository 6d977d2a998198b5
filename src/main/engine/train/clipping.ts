import * as tf from '@tensorflow/tfjs';
import { clipSchema, type ClipConfig } from '../../../shared/training/config';

// Gradient clipping, applied to the gradients between tf.variableGrads and Optimizer.applyGradients.
// - by global norm (torch.nn.utils.clip_grad_norm_): every gradient is scaled by
//   min(1, maxNorm / (‖g‖ + 1e-6)) with ‖g‖ the L2 norm of all gradients together, so the direction of
//   the full update is kept;
// - by value (clip_grad_value_): each element is clamped to [−c, c], which can change the direction.
// Both return the global norm before clipping (a tensor, read it when telemetry wants it).

// The config is the TrainConfig's own `clip` ({ mode, value }: value is the max norm or the max |element|).

export interface ClippedGradients<K> {
  grads: Map<K, tf.Tensor>;
  /** Global L2 norm of the gradients before clipping. */
  globalNorm: tf.Scalar;
}

export function globalNorm(tensors: Iterable<tf.Tensor>): tf.Scalar {
  return tf.tidy(() => {
    let sum: tf.Scalar = tf.scalar(0);
    for (const t of tensors) sum = sum.add(tf.sum(tf.square(t)));
    return tf.sqrt(sum);
  });
}

function asMap<K>(grads: ReadonlyMap<K, tf.Tensor> | tf.NamedTensorMap): Map<K, tf.Tensor> {
  return grads instanceof Map ? new Map(grads) : (new Map(Object.entries(grads)) as Map<K, tf.Tensor>);
}

/** New gradient tensors (the caller disposes them and the norm; the inputs are untouched). */
export function clipByGlobalNorm<K = string>(
  grads: ReadonlyMap<K, tf.Tensor> | tf.NamedTensorMap,
  maxNorm: number,
): ClippedGradients<K> {
  return mapGradients(asMap<K>(grads), (gs, norm) => {
    const coef = tf.minimum(tf.scalar(maxNorm).div(norm.add(1e-6)), 1);
    return gs.map((g) => g.mul(coef));
  });
}

// tf.tidy only keeps tensors it can find in arrays and plain objects, not in a Map.
function mapGradients<K>(input: Map<K, tf.Tensor>, f: (grads: tf.Tensor[], norm: tf.Scalar) => tf.Tensor[]): ClippedGradients<K> {
  const keys = [...input.keys()];
  const { out, norm } = tf.tidy(() => {
    const n = globalNorm(input.values());
    return { out: f([...input.values()], n), norm: n };
  });
  return { grads: new Map(keys.map((k, i) => [k, out[i]])), globalNorm: norm };
}

export function clipByValue<K = string>(
  grads: ReadonlyMap<K, tf.Tensor> | tf.NamedTensorMap,
  clipValue: number,
): ClippedGradients<K> {
  return mapGradients(asMap<K>(grads), (gs) => gs.map((g) => tf.clipByValue(g, -clipValue, clipValue)));
}

/** Applies the configured clipping; with mode 'none' the gradients are copied (cheap clones). */
export function clipGradients<K = string>(
  grads: ReadonlyMap<K, tf.Tensor> | tf.NamedTensorMap,
  config: Partial<ClipConfig>,
): ClippedGradients<K> {
  const c = clipSchema.parse(config);
  if (c.mode === 'norm') return clipByGlobalNorm(grads, c.value);
  if (c.mode === 'value') return clipByValue(grads, c.value);
  return mapGradients(asMap<K>(grads), (gs) => gs.map((g) => tf.clone(g)));
}
