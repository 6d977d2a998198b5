import * as tf from '@tensorflow/tfjs';
import { ACTIVATION_FNS, DEAD_SLOPE, HIDDEN, SATURATED_SLOPE, type ActivationName, type ActivationStudy } from '../../../shared/experiments/catalog/activationsStudy';
import { arrays, batch, crossEntropy, denseVars, disposeAll, epochBatches, evaluate, optimizerOf, studyBackend, trainLoop, type StudyProcedure } from './toolkit';

const GELU_C = Math.sqrt(2 / Math.PI);

/** The activation as a TF.js op (GELU in its tanh form, SiLU = z·σ(z)). */
function activate(name: ActivationName, z: tf.Tensor): tf.Tensor {
  switch (name) {
    case 'relu':
      return tf.relu(z);
    case 'leaky_relu':
      return tf.leakyRelu(z, 0.01);
    case 'gelu':
      return tf.mul(tf.mul(0.5, z), tf.add(1, tf.tanh(tf.mul(GELU_C, tf.add(z, tf.mul(0.044715, tf.pow(z, 3)))))));
    case 'silu':
      return tf.mul(z, tf.sigmoid(z));
    case 'tanh':
      return tf.tanh(z);
    case 'sigmoid':
      return tf.sigmoid(z);
  }
}

/**
 * Activations at a high learning rate: a 4×128 MLP on MNIST with plain SGD, one variant per hidden activation.
 * Every PROBE_EVERY steps the pre-activations of a fixed batch of validation images are read: a unit is dead when
 * its slope |f′(z)| is below DEAD_SLOPE for every image of the batch (no gradient flows through it); an activation
 * value is saturated when its slope is below SATURATED_SLOPE of the function's largest slope (sigmoid, tanh).
 */
export const activationStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  await studyBackend();
  const seed = config.seed;
  const train = await arrays('mnist', 'train', Math.max(1, Math.floor((config.trainLimit ?? 2000) / 10)), seed);
  const val = await arrays('mnist', 'val', Math.max(1, Math.floor((config.valLimit ?? 500) / 10)), seed + 1);
  const name = String(variant.study?.activation ?? 'relu') as ActivationName;
  const fn = ACTIVATION_FNS[name];
  const layers = denseVars([train.dim, ...HIDDEN, 10], seed);
  const variables = layers.flatMap((l) => [l.w, l.b]);
  /** Logits, and the pre-activations of every hidden layer when asked. */
  const run = (x: tf.Tensor, keep?: tf.Tensor[]): tf.Tensor2D => {
    let h = x as tf.Tensor2D;
    layers.forEach((l, i) => {
      const z = tf.add(tf.matMul(h, l.w as tf.Tensor2D), l.b) as tf.Tensor2D;
      if (i + 1 === layers.length) h = z;
      else {
        if (keep) keep.push(tf.keep(z));
        h = activate(name, z) as tf.Tensor2D;
      }
    });
    return h;
  };
  const probeIdx = Array.from({ length: Math.min(256, val.n) }, (_, i) => i);
  const probeBatch = batch(val, probeIdx);
  const deadOverTime: ActivationStudy['deadOverTime'] = [];
  const probe = async (step: number): Promise<void> => {
    const zs: tf.Tensor[] = [];
    tf.tidy(() => {
      run(probeBatch.x, zs);
    });
    let dead = 0;
    let units = 0;
    let saturated = 0;
    let values = 0;
    const perLayer: number[] = [];
    for (const z of zs) {
      const [n, width] = z.shape as [number, number];
      const data = (await z.data()) as Float32Array;
      const maxSlope = new Float32Array(width);
      for (let r = 0; r < n; r++)
        for (let u = 0; u < width; u++) {
          const s = Math.abs(fn.slope(data[r * width + u]));
          if (s > maxSlope[u]) maxSlope[u] = s;
          if (s < SATURATED_SLOPE * fn.maxSlope) saturated++;
        }
      const d = maxSlope.reduce((c, s) => c + (s < DEAD_SLOPE ? 1 : 0), 0);
      perLayer.push(d / width);
      dead += d;
      units += width;
      values += n * width;
    }
    tf.dispose(zs);
    deadOverTime.push({ step, dead: dead / units, saturated: fn.saturates ? saturated / values : null, perLayer });
  };
  await probe(0);
  const every = Math.max(1, Number(variant.study?.probeEvery ?? 25));
  const out = await trainLoop({
    variables,
    optimizer: optimizerOf(config),
    lr: config.optimizer.lr,
    epochs: config.epochs,
    batches: (e) => epochBatches(train.n, config.batchSize, seed, e),
    loss: (idx) => {
      const b = batch(train, idx);
      const loss = crossEntropy(run(b.x), b.y, 10);
      tf.dispose([b.x, b.y]);
      return loss;
    },
    afterStep: async (step) => {
      if (step % every === 0) await probe(step);
    },
    epochEnd: async () => {
      const v = await evaluate(val, (x) => run(x));
      return { valLoss: v.loss, valAccuracy: v.accuracy };
    },
    signal,
    onStep,
  });
  const last = deadOverTime[deadOverTime.length - 1];
  const study: ActivationStudy = { activation: name, units: HIDDEN.reduce((a, b) => a + b, 0), finalDead: last.dead, maxDead: Math.max(...deadOverTime.map((d) => d.dead)), finalSaturated: last.saturated, deadOverTime };
  tf.dispose([probeBatch.x, probeBatch.y]);
  disposeAll(layers);
  return { epochs: out.epochs, steps: out.steps, study: study as unknown as Record<string, unknown>, valSamples: val.n, stopped: out.stopped };
};
