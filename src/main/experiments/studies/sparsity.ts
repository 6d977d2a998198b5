import * as tf from '@tensorflow/tfjs';
import { histogramOf, zeroShares } from '../../../shared/experiments/studyMeasures';
import { WEIGHT_RANGE, type SparsityStudy } from '../../../shared/experiments/catalog/l1Sparsity';
import { arrays, batch, crossEntropy, denseVars, disposeAll, epochBatches, evaluate, studyBackend, trainLoop, type StudyProcedure } from './toolkit';

/**
 * L1 vs L2 on a 784→64→10 MLP trained with plain SGD. The L1 variants differ in how the penalty is applied:
 * its subgradient λ·sign(w) added to the loss's gradient (what `regularization.l1` does in a lab run), or the
 * proximal step of ISTA after every SGD step, w ← sign(w)·max(|w| − η·λ, 0), which sets weights exactly to 0.
 * L2 adds λ/2·‖w‖² (gradient λ·w). Biases are not regularised.
 */
export const sparsityStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  await studyBackend();
  const seed = config.seed;
  const perClass = Math.max(1, Math.floor((config.trainLimit ?? 2000) / 10));
  const train = await arrays('mnist', 'train', perClass, seed);
  const val = await arrays('mnist', 'val', Math.max(1, Math.floor((config.valLimit ?? 500) / 10)), seed + 1);
  const penalty = String(variant.study?.penalty ?? 'none') as 'none' | 'l1' | 'l2';
  const proximal = variant.study?.proximal === true;
  const lambda = Number(variant.study?.lambda ?? 0);
  const lr = config.optimizer.lr;
  const layers = denseVars([train.dim, 64, train.classes], seed);
  const weights = layers.map((l) => l.w);
  const variables = layers.flatMap((l) => [l.w, l.b]);
  const forward = (x: tf.Tensor): tf.Tensor2D => tf.matMul(tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, layers[0].w as tf.Tensor2D), layers[0].b)), layers[1].w as tf.Tensor2D).add(layers[1].b) as tf.Tensor2D;
  const zerosOverTime: { epoch: number; exact: number; small: number }[] = [];
  const first = async (): Promise<Float32Array> => (await layers[0].w.data()) as Float32Array;
  const run = await trainLoop({
    variables,
    optimizer: tf.train.sgd(lr),
    lr,
    epochs: config.epochs,
    batches: (e) => epochBatches(train.n, config.batchSize, seed, e),
    loss: (idx) => {
      const b = batch(train, idx);
      const data = crossEntropy(forward(b.x), b.y, train.classes);
      tf.dispose([b.x, b.y]);
      if (penalty === 'l2') return tf.add(data, tf.mul(lambda / 2, tf.addN(weights.map((w) => tf.sum(tf.square(w)))))) as tf.Scalar;
      if (penalty === 'l1' && !proximal) return tf.add(data, tf.mul(lambda, tf.addN(weights.map((w) => tf.sum(tf.abs(w)))))) as tf.Scalar;
      return data;
    },
    afterStep: () => {
      if (penalty !== 'l1' || !proximal) return;
      const t = lr * lambda;
      for (const w of weights) w.assign(tf.tidy(() => tf.mul(tf.sign(w), tf.relu(tf.sub(tf.abs(w), t)))));
    },
    epochEnd: async (epoch) => {
      const v = await evaluate(val, forward);
      zerosOverTime.push({ epoch, ...zeroShares(await first()) });
      return { valLoss: v.loss, valAccuracy: v.accuracy };
    },
    signal,
    onStep,
  });
  const w = await first();
  let abs = 0;
  for (const x of w) abs += Math.abs(x);
  const study: SparsityStudy = {
    penalty,
    proximal,
    lambda,
    weights: w.length,
    zeros: zeroShares(w),
    meanAbs: abs / w.length,
    maxAbs: w.reduce((m, x) => Math.max(m, Math.abs(x)), 0),
    histogram: histogramOf(w, -WEIGHT_RANGE, WEIGHT_RANGE, 41),
    zerosOverTime,
  };
  disposeAll(layers);
  return { epochs: run.epochs, steps: run.steps, study: study as unknown as Record<string, unknown>, valSamples: val.n, stopped: run.stopped };
};
