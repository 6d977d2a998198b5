import * as tf from '@tensorflow/tfjs';
import { averagePrecision, bestF1, countsAt, rates, rocAuc, thresholdTable } from '../../../shared/experiments/studyMeasures';
import { POSITIVE_CLASS, POSITIVE_SHARE, type ThresholdStudy } from '../../../shared/experiments/catalog/thresholdMetrics';
import { arrays, batch, denseVars, disposeAll, epochBatches, optimizerOf, studyBackend, trainLoop, type Arrays, type StudyProcedure } from './toolkit';

/** Per-class counts for a binary "digit 5 or not" split with POSITIVE_SHARE positives among `total` images. */
function binaryCounts(total: number): number[] {
  const pos = Math.max(2, Math.round(total * POSITIVE_SHARE));
  const neg = Math.round((total - pos) / 9);
  return Array.from({ length: 10 }, (_, k) => (k === POSITIVE_CLASS ? pos : neg));
}

const binary = (a: Arrays): Float32Array => Float32Array.from(a.y, (k) => (k === POSITIVE_CLASS ? 1 : 0));

/**
 * Metrics under a decision threshold: a binary detector of the digit 5 on an MNIST split with POSITIVE_SHARE
 * positives. The variants differ in the model: the majority-class rule (never 5, score 0), logistic regression
 * and a one-hidden-layer MLP, both trained with BCE. Scores on the validation split give the PR and ROC curves.
 */
export const thresholdStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  await studyBackend();
  const seed = config.seed;
  const train = await arrays('mnist', 'train', binaryCounts(config.trainLimit ?? 2000), seed);
  const val = await arrays('mnist', 'val', binaryCounts(config.valLimit ?? 1000), seed + 1);
  const yTrain = binary(train);
  const yVal = binary(val);
  const model = String(variant.study?.model ?? 'majority') as ThresholdStudy['model'];
  const hidden = model === 'mlp' ? [64] : [];
  const layers = model === 'majority' ? [] : denseVars([train.dim, ...hidden, 1], seed, 'he');
  const variables = layers.flatMap((l) => [l.w, l.b]);
  const logit = (x: tf.Tensor): tf.Tensor1D =>
    tf.tidy(() => {
      let h = x as tf.Tensor2D;
      layers.forEach((l, i) => {
        h = tf.add(tf.matMul(h, l.w as tf.Tensor2D), l.b) as tf.Tensor2D;
        if (i + 1 < layers.length) h = tf.relu(h);
      });
      return h.reshape([-1]) as tf.Tensor1D;
    });
  const scoresOf = async (): Promise<Float32Array> => {
    if (model === 'majority') return new Float32Array(val.n);
    const out = new Float32Array(val.n);
    for (let s = 0; s < val.n; s += 256) {
      const idx = Array.from({ length: Math.min(256, val.n - s) }, (_, i) => s + i);
      const b = batch(val, idx);
      const p = tf.tidy(() => tf.sigmoid(logit(b.x)));
      out.set(await p.data(), s);
      tf.dispose([p, b.x, b.y]);
    }
    return out;
  };
  const bce = (scores: Float32Array): number => {
    let s = 0;
    scores.forEach((p, i) => (s -= yVal[i] ? Math.log(Math.max(p, 1e-7)) : Math.log(Math.max(1 - p, 1e-7))));
    return s / scores.length;
  };
  let scores = await scoresOf();
  const run =
    model === 'majority'
      ? { epochs: [{ epoch: 1, lr: 0, seconds: 0, trainLoss: NaN, valLoss: bce(scores), valAccuracy: rates(countsAt(scores, yVal, 0.5)).accuracy }], steps: [], stopped: false }
      : await trainLoop({
          variables,
          optimizer: optimizerOf(config),
          lr: config.optimizer.lr,
          epochs: config.epochs,
          batches: (e) => epochBatches(train.n, config.batchSize, seed, e),
          loss: (idx) => {
            const b = batch(train, idx);
            const labels = tf.tensor1d(idx.map((i) => yTrain[i]));
            const out = tf.tidy(() => tf.losses.sigmoidCrossEntropy(labels, logit(b.x)) as tf.Scalar);
            tf.dispose([b.x, b.y, labels]);
            return out;
          },
          epochEnd: async () => {
            scores = await scoresOf();
            return { valLoss: bce(scores), valAccuracy: rates(countsAt(scores, yVal, 0.5)).accuracy };
          },
          signal,
          onStep,
        });
  const table = thresholdTable(scores, yVal);
  const at05 = rates(countsAt(scores, yVal, 0.5));
  const best = bestF1(table);
  const study: ThresholdStudy = {
    model,
    prevalence: yVal.reduce((a, b) => a + b, 0) / val.n,
    positives: yVal.reduce((a, b) => a + b, 0),
    samples: val.n,
    ap: averagePrecision(scores, yVal),
    auc: rocAuc(scores, yVal),
    at05: { precision: at05.precision, recall: at05.recall, f1: at05.f1, accuracy: at05.accuracy },
    bestF1: best,
    table,
  };
  disposeAll(layers);
  return { epochs: run.epochs, steps: run.steps, study: study as unknown as Record<string, unknown>, valSamples: val.n, stopped: run.stopped };
};
