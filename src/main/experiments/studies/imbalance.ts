import * as tf from '@tensorflow/tfjs';
import { confusionMatrix } from '../../../shared/metrics/classification';
import { perClassRecall } from '../../../shared/experiments/studyMeasures';
import { MAJORITY_CLASSES, MAJORITY_PER_CLASS, MINORITY_CLASSES, MINORITY_PER_CLASS, type ImbalanceStudy } from '../../../shared/experiments/catalog/classImbalance';
import { arrays, batch, crossEntropy, denseVars, disposeAll, epochBatches, evaluate, optimizerOf, studyBackend, trainLoop, type StudyProcedure } from './toolkit';

/**
 * Class imbalance on MNIST: classes 0–4 keep MAJORITY_PER_CLASS training images, 5–9 only MINORITY_PER_CLASS;
 * validation is balanced. The variants differ in the remedy: none, class-balanced resampling, inverse-frequency
 * class weights in the loss, or focal loss. (trainLimit, when set below the default total, scales both counts.)
 */
export const imbalanceStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  await studyBackend();
  const seed = config.seed;
  const defaultTotal = 5 * MAJORITY_PER_CLASS + 5 * MINORITY_PER_CLASS;
  const scale = Math.min(1, (config.trainLimit ?? defaultTotal) / defaultTotal);
  const counts = Array.from({ length: 10 }, (_, k) => Math.max(2, Math.round((MINORITY_CLASSES.includes(k) ? MINORITY_PER_CLASS : MAJORITY_PER_CLASS) * scale)));
  const train = await arrays('mnist', 'train', counts, seed);
  const val = await arrays('mnist', 'val', Math.max(1, Math.floor((config.valLimit ?? 600) / 10)), seed + 1);
  const remedy = String(variant.study?.remedy ?? 'none') as ImbalanceStudy['remedy'];
  const gamma = config.loss.focalGamma;
  const byClass: number[][] = Array.from({ length: 10 }, () => []);
  for (let i = 0; i < train.n; i++) byClass[train.y[i]].push(i);
  // Inverse-frequency weights, scaled so that the average weight over the training samples is 1.
  const raw = byClass.map((c) => (c.length ? 1 / c.length : 0));
  const norm = train.n / byClass.reduce((s, c, k) => s + c.length * raw[k], 0);
  const classWeights = raw.map((w) => w * norm);

  const layers = denseVars([train.dim, 64, 10], seed);
  const variables = layers.flatMap((l) => [l.w, l.b]);
  const forward = (x: tf.Tensor): tf.Tensor2D => tf.matMul(tf.relu(tf.add(tf.matMul(x as tf.Tensor2D, layers[0].w as tf.Tensor2D), layers[0].b)), layers[1].w as tf.Tensor2D).add(layers[1].b) as tf.Tensor2D;
  const recallOverTime: { epoch: number; minority: number; majority: number }[] = [];
  let last: (number | null)[] = [];
  const run = await trainLoop({
    variables,
    optimizer: optimizerOf(config),
    lr: config.optimizer.lr,
    epochs: config.epochs,
    // Resampling: every epoch draws n samples, each from a class chosen uniformly (minority images repeat).
    batches: (e) =>
      epochBatches(train.n, config.batchSize, seed, e, remedy === 'oversample' ? (rng) => Array.from({ length: train.n }, () => rng.pick(byClass[rng.int(10)])) : undefined),
    loss: (idx) => {
      const b = batch(train, idx);
      const logits = forward(b.x);
      let out: tf.Scalar;
      if (remedy === 'reweight') out = crossEntropy(logits, b.y, 10, tf.tensor1d(idx.map((i) => classWeights[train.y[i]])));
      else if (remedy === 'focal') {
        // FL = −(1 − p_t)^γ · log p_t, averaged over the batch.
        const logp = tf.sum(tf.mul(tf.oneHot(b.y, 10).toFloat(), tf.logSoftmax(logits)), -1);
        out = tf.mean(tf.neg(tf.mul(tf.pow(tf.sub(1, tf.exp(logp)), gamma), logp))) as tf.Scalar;
      } else out = crossEntropy(logits, b.y, 10);
      tf.dispose([b.x, b.y]);
      return out;
    },
    epochEnd: async (epoch) => {
      const v = await evaluate(val, forward);
      const rec = perClassRecall(confusionMatrix(val.y, v.predicted, 10));
      recallOverTime.push({ epoch, minority: meanOf(rec, MINORITY_CLASSES), majority: meanOf(rec, MAJORITY_CLASSES) });
      last = rec;
      return { valLoss: v.loss, valAccuracy: v.accuracy };
    },
    signal,
    onStep,
  });
  const study: ImbalanceStudy = { remedy, trainCounts: counts, classWeights: remedy === 'reweight' ? classWeights : null, recall: last, minorityRecall: meanOf(last, MINORITY_CLASSES), majorityRecall: meanOf(last, MAJORITY_CLASSES), recallOverTime };
  disposeAll(layers);
  return { epochs: run.epochs, steps: run.steps, study: study as unknown as Record<string, unknown>, valSamples: val.n, stopped: run.stopped };
};

function meanOf(recall: readonly (number | null)[], classes: readonly number[]): number {
  const v = classes.map((k) => recall[k]).filter((x): x is number => x !== null && x !== undefined);
  return v.length ? v.reduce((a, b) => a + b, 0) / v.length : 0;
}
