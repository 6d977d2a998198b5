import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import { boxLoss, BoxLossVariantSchema } from './boxLosses';
import type { LOSSES } from '../../../shared/training/config';
import { PROB_EPSILON, isClassIdTarget, targetDistribution } from './lossHelpers';

type TrainLossName = (typeof LOSSES)[number];

// Every loss returns a scalar (the mean unless stated) and follows PyTorch's definition, so that the
// numbers match the PyTorch code the lab exports. `fromLogits` (default true) says whether the
// prediction is raw scores (the stable path) or probabilities after softmax/sigmoid.

export type LossFn = (prediction: tf.Tensor, target: tf.Tensor) => tf.Scalar;

// ---------------------------------------------------------------- cross-entropy

export interface CrossEntropyOptions {
  fromLogits?: boolean;
  /** α: the target becomes y(1−α) + α/K (so the true class gets 1−α+α/K). */
  labelSmoothing?: number;
  /** One weight per class, multiplying that class's term. */
  classWeights?: readonly number[];
}

/**
 * Softmax cross-entropy over the last axis: −Σ_c w_c q_c log p_c per sample, where q is the (smoothed)
 * target. prediction: (..., K); target: class ids (...) or probabilities (..., K).
 * Mean as in torch.nn.CrossEntropyLoss: with class ids and weights it divides by Σ_i w_{y_i}; with soft
 * targets it divides by the number of samples (weights or not).
 */
export function crossEntropy(prediction: tf.Tensor, target: tf.Tensor, options: CrossEntropyOptions = {}): tf.Scalar {
  const { fromLogits = true, labelSmoothing = 0, classWeights } = options;
  return tf.tidy(() => {
    const k = prediction.shape[prediction.rank - 1];
    const logp = logProbabilities(prediction, fromLogits).reshape([-1, k]);
    let q = targetDistribution(prediction, target);
    const hard = isClassIdTarget(prediction, target);
    if (labelSmoothing > 0) q = q.mul(1 - labelSmoothing).add(labelSmoothing / k);
    const weights = classWeights ? classWeightTensor(classWeights, k) : null;
    const weightedQ = weights ? q.mul(weights) : q;
    const total = tf.neg(tf.sum(weightedQ.mul(logp)));
    if (hard && weights) {
      const ids = tf.cast(target.flatten(), 'int32');
      return total.div(tf.sum(tf.gather(weights, ids))) as tf.Scalar;
    }
    return total.div(logp.shape[0]) as tf.Scalar;
  });
}

function logProbabilities(prediction: tf.Tensor, fromLogits: boolean): tf.Tensor {
  return fromLogits ? tf.logSoftmax(prediction) : tf.log(tf.clipByValue(prediction, PROB_EPSILON, 1));
}

function classWeightTensor(weights: readonly number[], k: number): tf.Tensor1D {
  if (weights.length !== k) throw new Error(`classWeights has ${weights.length} entries for ${k} classes`);
  return tf.tensor1d(weights as number[], 'float32');
}

// ---------------------------------------------------------------- binary cross-entropy

export interface BinaryCrossEntropyOptions {
  fromLogits?: boolean;
  /** Weight of the positive term (torch's pos_weight): a scalar, or one per class on the last axis. */
  posWeight?: number | readonly number[];
  /** Keras convention for BCE: y becomes y(1−α) + α/2. */
  labelSmoothing?: number;
}

/** Element-wise −[w·y log p + (1−y) log(1−p)], mean over all elements. target: same shape, values in [0,1]. */
export function binaryCrossEntropy(
  prediction: tf.Tensor,
  target: tf.Tensor,
  options: BinaryCrossEntropyOptions = {},
): tf.Scalar {
  const { fromLogits = true, posWeight, labelSmoothing = 0 } = options;
  return tf.tidy(() => {
    let y = tf.cast(target, 'float32');
    if (labelSmoothing > 0) y = y.mul(1 - labelSmoothing).add(labelSmoothing / 2);
    const [negLogP, negLog1mP] = binaryLogTerms(prediction, fromLogits);
    let pos = y.mul(negLogP);
    if (posWeight !== undefined) pos = pos.mul(typeof posWeight === 'number' ? posWeight : tf.tensor1d(posWeight as number[]));
    return tf.mean(pos.add(tf.scalar(1).sub(y).mul(negLog1mP))) as tf.Scalar;
  });
}

/** [−log p, −log(1−p)], computed stably from logits as softplus(−x) and softplus(x). */
function binaryLogTerms(prediction: tf.Tensor, fromLogits: boolean): [tf.Tensor, tf.Tensor] {
  if (fromLogits) return [tf.softplus(tf.neg(prediction)), tf.softplus(prediction)];
  const p = tf.clipByValue(prediction, PROB_EPSILON, 1 - PROB_EPSILON);
  return [tf.neg(tf.log(p)), tf.neg(tf.log1p(tf.neg(p)))];
}

// ---------------------------------------------------------------- focal loss

export interface FocalLossOptions {
  /** binary: per-element sigmoid (RetinaNet, torchvision.ops.sigmoid_focal_loss); multiclass: softmax. */
  mode?: 'binary' | 'multiclass';
  fromLogits?: boolean;
  /**
   * binary: α for positives and 1−α for negatives (null: no weighting).
   * multiclass: a scalar or one weight per class multiplying that class's term (null: none).
   */
  alpha?: number | readonly number[] | null;
  gamma?: number;
}

/**
 * FL = −α_t (1−p_t)^γ log p_t (Lin et al. 2017), the mean over elements (binary) or samples (multiclass).
 * With soft targets: binary uses p_t = p·y + (1−p)(1−y) like torchvision; multiclass sums
 * −α_c q_c (1−p_c)^γ log p_c over classes.
 */
export function focalLoss(prediction: tf.Tensor, target: tf.Tensor, options: FocalLossOptions = {}): tf.Scalar {
  const { mode = 'binary', fromLogits = true, gamma = 2 } = options;
  const alpha = options.alpha === undefined ? (mode === 'binary' ? 0.25 : null) : options.alpha;
  return tf.tidy(() => (mode === 'binary' ? binaryFocal(prediction, target, fromLogits, alpha, gamma) : softmaxFocal(prediction, target, fromLogits, alpha, gamma)));
}

function modulatingFactor(oneMinusPt: tf.Tensor, gamma: number): tf.Tensor | null {
  if (gamma === 0) return null;
  // The floor keeps the gradient of x^γ finite for γ < 1 when p_t rounds to exactly 1.
  return tf.pow(tf.clipByValue(oneMinusPt, 1e-12, 1), gamma);
}

function binaryFocal(prediction: tf.Tensor, target: tf.Tensor, fromLogits: boolean, alpha: number | readonly number[] | null, gamma: number): tf.Scalar {
  if (Array.isArray(alpha)) throw new Error('binary focal loss takes a scalar alpha');
  const y = tf.cast(target, 'float32');
  const p = fromLogits ? tf.sigmoid(prediction) : tf.clipByValue(prediction, PROB_EPSILON, 1 - PROB_EPSILON);
  const [negLogP, negLog1mP] = binaryLogTerms(prediction, fromLogits);
  let loss = y.mul(negLogP).add(tf.scalar(1).sub(y).mul(negLog1mP));
  const pt = p.mul(y).add(tf.scalar(1).sub(p).mul(tf.scalar(1).sub(y)));
  const factor = modulatingFactor(tf.scalar(1).sub(pt), gamma);
  if (factor) loss = loss.mul(factor);
  if (typeof alpha === 'number') loss = loss.mul(y.mul(alpha).add(tf.scalar(1).sub(y).mul(1 - alpha)));
  return tf.mean(loss) as tf.Scalar;
}

function softmaxFocal(prediction: tf.Tensor, target: tf.Tensor, fromLogits: boolean, alpha: number | readonly number[] | null, gamma: number): tf.Scalar {
  const k = prediction.shape[prediction.rank - 1];
  const logp = logProbabilities(prediction, fromLogits).reshape([-1, k]);
  const q = targetDistribution(prediction, target);
  let terms = q.mul(logp).neg();
  const factor = modulatingFactor(tf.scalar(1).sub(tf.exp(logp)), gamma);
  if (factor) terms = terms.mul(factor);
  if (typeof alpha === 'number') terms = terms.mul(alpha);
  else if (alpha) terms = terms.mul(classWeightTensor(alpha, k));
  return tf.sum(terms).div(logp.shape[0]) as tf.Scalar;
}

// ---------------------------------------------------------------- regression

export function meanSquaredError(prediction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.squaredDifference(prediction, target)) as tf.Scalar);
}

export function meanAbsoluteError(prediction: tf.Tensor, target: tf.Tensor): tf.Scalar {
  return tf.tidy(() => tf.mean(tf.abs(tf.sub(prediction, target))) as tf.Scalar);
}

/**
 * torch.nn.SmoothL1Loss: 0.5d²/β if |d| < β else |d| − 0.5β. With β = 1 this is the notes' formula
 * and Huber with δ = 1; in general Huber(δ) = δ · smoothL1(β = δ).
 */
export function smoothL1(prediction: tf.Tensor, target: tf.Tensor, beta = 1): tf.Scalar {
  if (!(beta > 0)) throw new Error(`smooth L1 needs beta > 0, got ${beta}`);
  return tf.tidy(() => {
    const d = tf.abs(tf.sub(prediction, target));
    const quadratic = d.square().mul(0.5 / beta);
    const linear = d.sub(0.5 * beta);
    return tf.mean(tf.where(d.less(beta), quadratic, linear)) as tf.Scalar;
  });
}

/** torch.nn.HuberLoss: 0.5d² if |d| ≤ δ else δ(|d| − 0.5δ). */
export function huber(prediction: tf.Tensor, target: tf.Tensor, delta = 1): tf.Scalar {
  return tf.tidy(() => smoothL1(prediction, target, delta).mul(delta) as tf.Scalar);
}

// ---------------------------------------------------------------- Dice

export interface DiceLossOptions {
  /** Softmax over the last axis (sigmoid when it has size 1) before scoring. */
  fromLogits?: boolean;
  /** Added to numerator and denominator; keeps 0/0 at 1 for a class absent from both. */
  smooth?: number;
}

/**
 * Soft Dice loss 1 − mean_c (2Σ p_c y_c + s)/(Σ p_c + Σ y_c + s), with sums over the batch and all spatial
 * positions ("batch Dice"), one score per class. prediction: (N, ..., K); target: class ids (N, ...)
 * or probabilities / one-hot (N, ..., K). With K = 1 the single channel is the foreground probability
 * and the target may be a 0/1 mask of shape (N, ...) or (N, ..., 1).
 */
export function diceLoss(prediction: tf.Tensor, target: tf.Tensor, options: DiceLossOptions = {}): tf.Scalar {
  const { fromLogits = true, smooth = 1e-6 } = options;
  return tf.tidy(() => {
    const k = prediction.shape[prediction.rank - 1];
    let p: tf.Tensor;
    let q: tf.Tensor;
    if (k === 1) {
      p = (fromLogits ? tf.sigmoid(prediction) : prediction).reshape([-1, 1]);
      q = tf.cast(target, 'float32').reshape([-1, 1]);
      if (q.shape[0] !== p.shape[0]) throw new Error(`mask with ${q.shape[0]} values for ${p.shape[0]} predictions`);
    } else {
      p = (fromLogits ? tf.softmax(prediction) : prediction).reshape([-1, k]);
      q = targetDistribution(prediction, target);
    }
    const intersection = tf.sum(p.mul(q), 0);
    const cardinality = tf.sum(p, 0).add(tf.sum(q, 0));
    const dice = intersection.mul(2).add(smooth).div(cardinality.add(smooth));
    return tf.scalar(1).sub(tf.mean(dice)) as tf.Scalar;
  });
}

// ---------------------------------------------------------------- configuration
// One vocabulary with the TrainConfig's LOSSES (src/shared/training/config.ts); huber, box and dice are engine-only.

const fromLogits = z.boolean().default(true);

export const CrossEntropyConfigSchema = z.object({
  name: z.literal('cross_entropy'),
  fromLogits,
  labelSmoothing: z.number().min(0).max(1).default(0),
  classWeights: z.array(z.number().nonnegative()).optional(),
});
export const BinaryCrossEntropyConfigSchema = z.object({
  name: z.literal('bce'),
  fromLogits,
  labelSmoothing: z.number().min(0).max(1).default(0),
  posWeight: z.union([z.number().nonnegative(), z.array(z.number().nonnegative())]).optional(),
});
export const FocalConfigSchema = z.object({
  name: z.literal('focal'),
  mode: z.enum(['binary', 'multiclass']).default('binary'),
  fromLogits,
  /** Omitted: 0.25 for binary (RetinaNet), none for multiclass. */
  alpha: z.union([z.number().min(0).max(1), z.array(z.number().nonnegative()), z.null()]).optional(),
  gamma: z.number().min(0).default(2),
});
export const MseConfigSchema = z.object({ name: z.literal('mse') });
export const L1ConfigSchema = z.object({ name: z.literal('l1') });
export const SmoothL1ConfigSchema = z.object({ name: z.literal('smooth_l1'), beta: z.number().positive().default(1) });
export const HuberConfigSchema = z.object({ name: z.literal('huber'), delta: z.number().positive().default(1) });
export const BoxLossConfigSchema = z.object({
  name: z.literal('box'),
  variant: BoxLossVariantSchema.default('ciou'),
  eps: z.number().positive().default(1e-7),
});
export const DiceConfigSchema = z.object({
  name: z.literal('dice'),
  fromLogits,
  smooth: z.number().min(0).default(1e-6),
});

export const LossConfigSchema = z.discriminatedUnion('name', [
  CrossEntropyConfigSchema,
  BinaryCrossEntropyConfigSchema,
  FocalConfigSchema,
  MseConfigSchema,
  L1ConfigSchema,
  SmoothL1ConfigSchema,
  HuberConfigSchema,
  BoxLossConfigSchema,
  DiceConfigSchema,
]);
export type LossConfig = z.infer<typeof LossConfigSchema>;
export type LossConfigInput = z.input<typeof LossConfigSchema>;
export type LossName = LossConfig['name'];
// Every TrainConfig loss but 'auto' (which configMap resolves per task) is an engine loss of the same name.
const trainLossesKnown: Exclude<TrainLossName, 'auto'> extends LossName ? true : never = true;
void trainLossesKnown;

/** The config of a loss with every default filled in (for the inspector). */
export function defaultLossConfig<N extends LossName>(name: N): Extract<LossConfig, { name: N }> {
  return LossConfigSchema.parse({ name }) as Extract<LossConfig, { name: N }>;
}

export function makeLoss(config: LossConfigInput): LossFn {
  const c = LossConfigSchema.parse(config);
  switch (c.name) {
    case 'cross_entropy':
      return (p, t) => crossEntropy(p, t, c);
    case 'bce':
      return (p, t) => binaryCrossEntropy(p, t, c);
    case 'focal':
      return (p, t) => focalLoss(p, t, c);
    case 'mse':
      return meanSquaredError;
    case 'l1':
      return meanAbsoluteError;
    case 'smooth_l1':
      return (p, t) => smoothL1(p, t, c.beta);
    case 'huber':
      return (p, t) => huber(p, t, c.delta);
    case 'box':
      return (p, t) => boxLoss(p, t, c.variant, c.eps);
    case 'dice':
      return (p, t) => diceLoss(p, t, c);
  }
}
