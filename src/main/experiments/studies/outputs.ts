import * as tf from '@tensorflow/tfjs';
import { DECISION, PROB_BINS, SUM_BINS, SUM_MAX, SUM_MIN, type OutputKind, type OutputStudy, type OutputTask } from '../../../shared/experiments/catalog/softmaxSigmoid';
import { calibration, predictedSet, rowSums, shareHistogram, topOne, topTwo } from '../../../shared/experiments/outputMeasures';
import { rocAuc } from '../../../shared/experiments/studyMeasures';
import { compile } from '../../engine/compile';
import { Rng } from '../../engine/data/rng';
import { lossConfig } from '../../engine/train/configMap';
import { makeLoss } from '../../engine/train/losses';
import { arrays, epochBatches, optimizerOf, studyBackend, trainLoop, type Arrays, type StudyProcedure } from './toolkit';

const K = 10;

/**
 * Images as the study feeds them: each row is one image, or the pixel maximum of two images of different digits
 * (`partner` ≥ 0), with its multi-hot target.
 */
interface Composite {
  base: Arrays;
  partner: Int32Array;
}

/** Every image of `base`, a share `pairShare` of them overlaid with a random image of another digit (seeded). */
function composite(base: Arrays, pairShare: number, seed: number): Composite {
  const rng = new Rng(seed);
  const partner = new Int32Array(base.n).fill(-1);
  for (let i = 0; i < base.n; i++) {
    if (rng.next() >= pairShare) continue;
    let j = Math.floor(rng.next() * base.n);
    while (base.y[j] === base.y[i]) j = Math.floor(rng.next() * base.n);
    partner[i] = j;
  }
  return { base, partner };
}

/** Rows `idx` as an image tensor [b, 28, 28, 1] and the multi-hot target [b, K]. */
function compositeBatch(c: Composite, idx: readonly number[]): { x: tf.Tensor4D; multiHot: Float32Array } {
  const { base, partner } = c;
  const buf = new Float32Array(idx.length * base.dim);
  const multiHot = new Float32Array(idx.length * K);
  idx.forEach((i, r) => {
    const row = buf.subarray(r * base.dim, (r + 1) * base.dim);
    row.set(base.x.subarray(i * base.dim, (i + 1) * base.dim));
    multiHot[r * K + base.y[i]] = 1;
    const j = partner[i];
    if (j >= 0) {
      const other = base.x.subarray(j * base.dim, (j + 1) * base.dim);
      for (let p = 0; p < row.length; p++) if (other[p] > row[p]) row[p] = other[p];
      multiHot[r * K + base.y[j]] = 1;
    }
  });
  return { x: tf.tensor4d(buf, [idx.length, ...base.shape]), multiHot };
}

/** The target each output learns: softmax a distribution (the true digits share the mass), sigmoids the multi-hot. */
function target(output: OutputKind, multiHot: Float32Array, rows: number): tf.Tensor2D {
  if (output === 'sigmoid') return tf.tensor2d(multiHot, [rows, K]);
  const q = Float32Array.from(multiHot);
  for (let r = 0; r < rows; r++) {
    let s = 0;
    for (let c = 0; c < K; c++) s += q[r * K + c];
    for (let c = 0; c < K; c++) q[r * K + c] /= Math.max(1, s);
  }
  return tf.tensor2d(q, [rows, K]);
}

/**
 * Softmax vs sigmoid outputs: the variant's graph compiled by the engine, trained with the engine's loss
 * (cross_entropy or bce, from the variant's config) on single digits or on one-or-two overlaid digits, then
 * measured on single digits (accuracy, Σp, calibration), on pairs of overlaid digits (the set at p ≥ 0.5) and on
 * Fashion-MNIST clothes (out of distribution: does any digit still reach 0.5?).
 */
export const outputStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  await studyBackend();
  const seed = config.seed;
  const output = String(variant.study?.output ?? 'softmax') as OutputKind;
  const task = String(variant.study?.task ?? 'single') as OutputTask;
  const perClass = (limit: number | undefined, fallback: number): number => Math.max(2, Math.floor((limit ?? fallback) / K));
  const trainBase = await arrays('mnist', 'train', perClass(config.trainLimit, 2000), seed);
  const valBase = await arrays('mnist', 'val', perClass(config.valLimit, 500), seed + 1);
  const clothes = await arrays('fashion-mnist', 'val', perClass(config.valLimit, 500), seed + 2);
  const train = composite(trainBase, task === 'multi' ? 0.5 : 0, seed + 3);
  const singles = composite(valBase, 0, 0);
  const pairs = composite(valBase, 1, seed + 4);
  const ood = composite(clothes, 0, 0);

  const { model } = compile(variant.graph(), { seed });
  const lossFn = makeLoss(lossConfig(config, 'classification'));
  const variables = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
  const probsOf = (logits: tf.Tensor): tf.Tensor => (output === 'softmax' ? tf.softmax(logits) : tf.sigmoid(logits));

  /** Probabilities of every row (inference), and the mean loss against the rows' own targets. */
  const predict = async (c: Composite): Promise<{ probs: Float32Array; loss: number }> => {
    const probs = new Float32Array(c.base.n * K);
    let lossSum = 0;
    for (let s = 0; s < c.base.n; s += 256) {
      const idx = Array.from({ length: Math.min(256, c.base.n - s) }, (_, i) => s + i);
      const b = compositeBatch(c, idx);
      const y = target(output, b.multiHot, idx.length);
      const [p, l] = tf.tidy(() => {
        const logits = model.apply(b.x, { training: false }) as tf.Tensor;
        return [probsOf(logits), lossFn(logits, y)];
      });
      probs.set((await p.data()) as Float32Array, s * K);
      lossSum += (await l.data())[0] * idx.length;
      tf.dispose([p, l, b.x, y]);
    }
    return { probs, loss: lossSum / Math.max(1, c.base.n) };
  };

  const out = await trainLoop({
    variables,
    optimizer: optimizerOf(config),
    lr: config.optimizer.lr,
    epochs: config.epochs,
    batches: (e) => epochBatches(trainBase.n, config.batchSize, seed, e),
    loss: (idx) => {
      const b = compositeBatch(train, idx);
      const y = target(output, b.multiHot, idx.length);
      const logits = model.apply(b.x, { training: true }) as tf.Tensor;
      const loss = lossFn(logits, y);
      tf.dispose([b.x, y]);
      return loss;
    },
    epochEnd: async () => {
      const v = await predict(singles);
      const top = topOne(v.probs, K);
      let right = 0;
      top.cls.forEach((k, i) => (right += k === valBase.y[i] ? 1 : 0));
      return { valLoss: v.loss, valAccuracy: right / Math.max(1, valBase.n) };
    },
    signal,
    onStep,
  });

  const single = (await predict(singles)).probs;
  const pair = (await predict(pairs)).probs;
  const cloth = (await predict(ood)).probs;
  const params = model.countParams();
  model.dispose();

  const sums = rowSums(single, K);
  const top = topOne(single, K);
  const correct = Array.from(top.cls, (k, i) => k === valBase.y[i]);
  const cal = calibration(top.p, correct, PROB_BINS);
  let none = 0;
  for (let i = 0; i < valBase.n; i++) if (predictedSet(single, K, i, DECISION).length === 0) none++;

  let exact = 0;
  let labels = 0;
  let recalled = 0;
  const labelCounts = [0, 0, 0, 0];
  for (let i = 0; i < valBase.n; i++) {
    const truth = [valBase.y[i], valBase.y[pairs.partner[i]]];
    const set = predictedSet(pair, K, i, DECISION);
    labels += set.length;
    labelCounts[Math.min(3, set.length)]++;
    if (set.length === 2 && truth.every((t) => set.includes(t))) exact++;
    recalled += topTwo(pair, K, i).filter((c) => truth.includes(c)).length;
  }

  const oodMax = topOne(cloth, K).p;
  const scores = [...top.p, ...oodMax];
  const isDigit = [...top.p].map(() => 1).concat([...oodMax].map(() => 0));
  const n = Math.max(1, valBase.n);
  const study: OutputStudy = {
    output,
    task,
    single: {
      images: valBase.n,
      accuracy: correct.filter(Boolean).length / n,
      meanSum: sums.reduce((a, b) => a + b, 0) / n,
      meanSumError: sums.reduce((a, b) => a + Math.abs(b - 1), 0) / n,
      sumHistogram: shareHistogram(sums, SUM_MIN, SUM_MAX, SUM_BINS),
      meanConfidence: top.p.reduce((a, b) => a + b, 0) / n,
      ece: cal.ece,
      reliability: cal.reliability,
      noneShare: none / n,
    },
    pairs: { images: valBase.n, exactSet: exact / n, meanLabels: labels / n, top2Recall: recalled / (2 * n), labelCounts: labelCounts.map((c) => c / n) },
    ood: {
      images: clothes.n,
      meanMax: oodMax.reduce((a, b) => a + b, 0) / Math.max(1, clothes.n),
      confidentShare: oodMax.filter((p) => p >= DECISION).length / Math.max(1, clothes.n),
      maxHistogram: shareHistogram(oodMax, 0, 1, PROB_BINS),
      auroc: rocAuc(scores, isDigit),
    },
  };
  return { epochs: out.epochs, steps: out.steps, study: study as unknown as Record<string, unknown>, valSamples: valBase.n, params, stopped: out.stopped };
};
