import * as tf from '@tensorflow/tfjs';
import { BN_EPS, BN_MOMENTUM, CONV_FILTERS, DENSE_UNITS, type BnModesStudy } from '../../../shared/experiments/catalog/bnTrainEval';
import { arrays, batch, crossEntropy, epochBatches, evaluate, optimizerOf, studyBackend, trainLoop, type Arrays, type StudyProcedure } from './toolkit';

interface ConvBn {
  w: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
  /** Running statistics (buffers, not trained): EMA of the batch statistics with momentum BN_MOMENTUM. */
  mean: tf.Variable;
  variance: tf.Variable;
}

type Mode = 'train' | 'eval';

/**
 * BatchNorm in train vs eval mode: conv(3×3, stride 2) → BN → ReLU twice, Dense → BN → ReLU, a Dense head, on MNIST. The
 * variants differ in the training batch size. After training the model is evaluated with running statistics
 * (eval mode), with batch statistics (left in train mode) on batches of 64 and of 1, and with BN folded into the
 * convolutions (W′ = W·γ/√(σ²+ε), b′ = β − γ·μ/√(σ²+ε)).
 */
export const bnModesStudy: StudyProcedure = async ({ config, signal, onStep }) => {
  await studyBackend();
  const seed = config.seed;
  const train = await arrays('mnist', 'train', Math.max(1, Math.floor((config.trainLimit ?? 1000) / 10)), seed);
  const val = await arrays('mnist', 'val', Math.max(1, Math.floor((config.valLimit ?? 500) / 10)), seed + 1);
  let cin = train.shape[2];
  const blocks: ConvBn[] = CONV_FILTERS.map((f, i) => {
    const w = tf.variable(tf.randomNormal([3, 3, cin, f], 0, Math.sqrt(2 / (9 * cin)), 'float32', seed + i), true);
    cin = f;
    return { w, gamma: tf.variable(tf.ones([f]), true), beta: tf.variable(tf.zeros([f]), true), mean: tf.variable(tf.zeros([f]), false), variance: tf.variable(tf.ones([f]), false) };
  });
  const side = Math.ceil(train.shape[0] / 2 ** CONV_FILTERS.length);
  const flat = side * side * cin;
  // Flatten → Dense (no bias) → BatchNorm1d → ReLU → Dense head (004's BatchNorm1d after Linear).
  const fc: ConvBn = { w: tf.variable(tf.randomNormal([flat, DENSE_UNITS], 0, Math.sqrt(2 / flat), 'float32', seed + 8), true), gamma: tf.variable(tf.ones([DENSE_UNITS]), true), beta: tf.variable(tf.zeros([DENSE_UNITS]), true), mean: tf.variable(tf.zeros([DENSE_UNITS]), false), variance: tf.variable(tf.ones([DENSE_UNITS]), false) };
  const head = { w: tf.variable(tf.randomNormal([DENSE_UNITS, 10], 0, Math.sqrt(1 / DENSE_UNITS), 'float32', seed + 9), true), b: tf.variable(tf.zeros([10]), true) };
  const variables = [...[...blocks, fc].flatMap((b) => [b.w, b.gamma, b.beta]), head.w, head.b];
  let updateRunning = false;

  /** BN of z over every axis but the last (batch × positions for a conv, the batch for a Dense layer). */
  const norm = (z: tf.Tensor, b: ConvBn, mode: Mode): tf.Tensor => {
      let mean: tf.Tensor;
      let variance: tf.Tensor;
      const axes = z.rank === 4 ? [0, 1, 2] : [0];
      if (mode === 'train') {
        ({ mean, variance } = tf.moments(z, axes));
        if (updateRunning) {
          // PyTorch's convention: the running variance uses the unbiased batch variance.
          const n = axes.reduce((p, a) => p * z.shape[a]!, 1);
          const unbiased = tf.mul(variance, n / Math.max(1, n - 1));
          b.mean.assign(tf.add(tf.mul(b.mean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
          b.variance.assign(tf.add(tf.mul(b.variance, 1 - BN_MOMENTUM), tf.mul(unbiased, BN_MOMENTUM)));
        }
      } else {
        mean = b.mean;
        variance = b.variance;
      }
      return tf.add(tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, BN_EPS))), b.gamma), b.beta);
  };
  const forward = (x: tf.Tensor, mode: Mode): tf.Tensor2D => {
    let h = x as tf.Tensor4D;
    for (const b of blocks) h = tf.relu(norm(tf.conv2d(h, b.w as tf.Tensor4D, 2, 'same'), b, mode)) as tf.Tensor4D;
    const f = tf.relu(norm(tf.matMul(h.reshape([h.shape[0], flat]), fc.w as tf.Tensor2D), fc, mode)) as tf.Tensor2D;
    return tf.add(tf.matMul(f, head.w as tf.Tensor2D), head.b) as tf.Tensor2D;
  };

  const run = await trainLoop({
    variables,
    optimizer: optimizerOf(config),
    lr: config.optimizer.lr,
    epochs: config.epochs,
    batches: (e) => epochBatches(train.n, config.batchSize, seed, e),
    loss: (idx) => {
      const b = batch(train, idx, true);
      updateRunning = true;
      const loss = crossEntropy(forward(b.x, 'train'), b.y, 10);
      updateRunning = false;
      tf.dispose([b.x, b.y]);
      return loss;
    },
    epochEnd: async () => {
      const v = await evaluate(val, (x) => forward(x, 'eval'), true);
      return { valLoss: v.loss, valAccuracy: v.accuracy };
    },
    signal,
    onStep,
  });

  const evalMode = await evaluate(val, (x) => forward(x, 'eval'), true);
  const trainMode64 = await evaluate(val, (x) => forward(x, 'train'), true, 64);
  const trainMode1 = await evaluate(val, (x) => forward(x, 'train'), true, 1);
  // Left in train mode on a stream in class order (batches of 64 mostly of one digit): the statistics follow the batch.
  const trainModeSorted = await evaluate(sortedByLabel(val), (x) => forward(x, 'train'), true, 64);
  // BN folded into each conv: one conv with a bias per channel, no normalisation left.
  const folded = [...blocks, fc].map((b) =>
    tf.tidy(() => {
      const scale = tf.div(b.gamma, tf.sqrt(tf.add(b.variance, BN_EPS)));
      return { w: tf.keep(tf.mul(b.w, scale)), bias: tf.keep(tf.sub(b.beta, tf.mul(scale, b.mean))) };
    }),
  );
  const foldedForward = (x: tf.Tensor): tf.Tensor2D => {
    let h = x as tf.Tensor4D;
    for (const f of folded.slice(0, blocks.length)) h = tf.relu(tf.add(tf.conv2d(h, f.w as tf.Tensor4D, 2, 'same'), f.bias));
    const d = folded[blocks.length];
    const g = tf.relu(tf.add(tf.matMul(h.reshape([h.shape[0], flat]), d.w as tf.Tensor2D), d.bias)) as tf.Tensor2D;
    return tf.add(tf.matMul(g, head.w as tf.Tensor2D), head.b) as tf.Tensor2D;
  };
  const foldedEval = await evaluate(val, foldedForward, true);
  const maxLogitDiff = await logitGap(val, (x) => forward(x, 'eval'), foldedForward);
  const study: BnModesStudy = {
    trainBatch: config.batchSize,
    steps: run.steps.length ? run.steps[run.steps.length - 1].step : 0,
    accuracy: { eval: evalMode.accuracy, train64: trainMode64.accuracy, trainSorted: trainModeSorted.accuracy, train1: trainMode1.accuracy, folded: foldedEval.accuracy },
    foldedMaxLogitDiff: maxLogitDiff,
    foldedParams: folded.reduce((s, f) => s + f.w.size + f.bias.size, 0),
    bnParams: [...blocks, fc].reduce((s, b) => s + b.w.size + 2 * b.gamma.size, 0),
  };
  tf.dispose([...[...blocks, fc].flatMap((b) => [b.w, b.gamma, b.beta, b.mean, b.variance]), head.w, head.b, ...folded.flatMap((f) => [f.w, f.bias])]);
  return { epochs: run.epochs, steps: run.steps, study: study as unknown as Record<string, unknown>, valSamples: val.n, stopped: run.stopped };
};

/** Largest |logit difference| between two forwards over the arrays. */
async function logitGap(a: Arrays, f: (x: tf.Tensor) => tf.Tensor2D, g: (x: tf.Tensor) => tf.Tensor2D): Promise<number> {
  let worst = 0;
  for (let s = 0; s < a.n; s += 256) {
    const b = batch(a, Array.from({ length: Math.min(256, a.n - s) }, (_, i) => s + i), true);
    const d = tf.tidy(() => tf.max(tf.abs(tf.sub(f(b.x), g(b.x)))));
    worst = Math.max(worst, (await d.data())[0]);
    tf.dispose([d, b.x, b.y]);
  }
  return worst;
}

/** The same samples ordered by label. */
function sortedByLabel(a: Arrays): Arrays {
  const order = Array.from({ length: a.n }, (_, i) => i).sort((i, j) => a.y[i] - a.y[j] || i - j);
  const x = new Float32Array(a.x.length);
  const y = new Int32Array(a.n);
  order.forEach((i, r) => {
    x.set(a.x.subarray(i * a.dim, (i + 1) * a.dim), r * a.dim);
    y[r] = a.y[i];
  });
  return { ...a, x, y };
}
