import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

// L1/L2 penalties added to the loss, and the rule for which weights are regularised at all.
//
// L2 as a loss term vs weight decay:
// - The term (λ/2)·Σw² has gradient λw. Under plain SGD that is exactly "weight decay" λ
//   (PyTorch's SGD(weight_decay=λ) adds λθ to the gradient): θ ← θ − η(g + λθ).
// - Under Adam/RMSProp/Adagrad the λw added to the gradient is then divided by √v, so weights with large
//   gradient history are decayed less: L2 ≠ weight decay there. AdamW restores the intended behaviour
//   with a decoupled step θ ← θ − ηλθ applied outside the adaptive scaling (see optimizers.ts).
// - L1 (λ·Σ|w|) has gradient λ·sign(w): a constant pull towards 0 that makes small weights exactly 0
//   (sparsity), unlike L2 whose pull vanishes as w → 0. Both together are Elastic Net.
// Biases and normalisation parameters (BN/LN γ and β) are excluded by default: they are few, they do not
// set the function's complexity the way kernels do, and shrinking γ fights the normalisation.

/** A tf.Variable or anything with its name and shape (tfjs LayerVariable, a test double). */
export interface NamedWeight {
  readonly name: string;
  readonly shape: readonly number[];
}

const NORM_OR_BIAS_NAME = /(^|[/_])(bias|gamma|beta)(_\d+)?(:\d+)?$/i;

/** Rank ≤ 1 (bias, BN/LN γ and β, PReLU α per channel) or named like a bias or a norm parameter. */
export function isBiasOrNormParam(weight: NamedWeight): boolean {
  return weight.shape.length <= 1 || NORM_OR_BIAS_NAME.test(weight.name);
}

export function regularizedWeights<T extends NamedWeight>(weights: readonly T[], excludeBiasAndNorm = true): T[] {
  return excludeBiasAndNorm ? weights.filter((w) => !isBiasOrNormParam(w)) : [...weights];
}

/** λ·Σ|w| over the given tensors. */
export function l1Penalty(weights: readonly tf.Tensor[], lambda: number): tf.Scalar {
  return tf.tidy(() => sumOver(weights, (w) => tf.sum(tf.abs(w))).mul(lambda) as tf.Scalar);
}

/** (λ/2)·Σw² over the given tensors: its gradient is λw, the same step as SGD weight decay λ. */
export function l2Penalty(weights: readonly tf.Tensor[], lambda: number): tf.Scalar {
  return tf.tidy(() => sumOver(weights, (w) => tf.sum(tf.square(w))).mul(lambda / 2) as tf.Scalar);
}

function sumOver(weights: readonly tf.Tensor[], f: (w: tf.Tensor) => tf.Tensor): tf.Scalar {
  return weights.reduce<tf.Scalar>((acc, w) => acc.add(f(w)), tf.scalar(0));
}

export const RegularizationConfigSchema = z.object({
  l1: z.number().min(0).default(0),
  l2: z.number().min(0).default(0),
  excludeBiasAndNorm: z.boolean().default(true),
});
export type RegularizationConfig = z.infer<typeof RegularizationConfigSchema>;
export type RegularizationConfigInput = z.input<typeof RegularizationConfigSchema>;

/** The penalty to add to the data loss (inside the function given to tf.variableGrads). */
export function regularizationLoss(weights: readonly tf.Variable[], config: RegularizationConfigInput = {}): tf.Scalar {
  const c = RegularizationConfigSchema.parse(config);
  return tf.tidy(() => {
    const selected = regularizedWeights(weights, c.excludeBiasAndNorm);
    let total: tf.Scalar = tf.scalar(0);
    if (c.l1 > 0) total = total.add(l1Penalty(selected, c.l1));
    if (c.l2 > 0) total = total.add(l2Penalty(selected, c.l2));
    return total;
  });
}
