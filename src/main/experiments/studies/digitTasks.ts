import * as tf from '@tensorflow/tfjs';
import { BACKBONE_CONV, BACKBONE_UNITS, BN_EPS, BN_MOMENTUM, SOURCE_EPOCHS, SOURCE_PER_DIGIT, TASK_A_DIGITS } from '../../../shared/experiments/catalog/digitTasks';
import { arrays, batch, crossEntropy, epochBatches, evaluate, trainLoop, type Arrays } from './toolkit';

/**
 * The backbone of the transfer and forgetting studies (conv → BN → ReLU twice, Dense → BatchNorm1d → ReLU) with one 5-way head per
 * task, trained on MNIST digit subsets, and task A's pretraining, cached per seed so every variant starts from the
 * same source weights.
 */

export interface BnDense {
  w: tf.Variable;
  gamma: tf.Variable;
  beta: tf.Variable;
  mean: tf.Variable;
  variance: tf.Variable;
}
export interface Head {
  w: tf.Variable;
  b: tf.Variable;
}
export interface TaskNet {
  layers: BnDense[];
  heads: Head[];
}
export type BnMode = 'train' | 'eval';

/** The digits of `digits` from a split (perDigit each, seeded), relabelled 0…4 in that order. */
export async function digitArrays(split: 'train' | 'val', digits: readonly number[], perDigit: number, seed: number): Promise<Arrays> {
  const want = new Array<number>(10).fill(0);
  digits.forEach((d) => (want[d] = perDigit));
  const a = await arrays('mnist', split, want, seed);
  const y = a.y.map((k) => digits.indexOf(k));
  return { ...a, y: Int32Array.from(y), classes: digits.length };
}

const FLAT = 7 * 7 * BACKBONE_CONV[BACKBONE_CONV.length - 1];
export const FEATURES = BACKBONE_UNITS[BACKBONE_UNITS.length - 1];

export function newHead(fanIn: number, classes: number, seed: number): Head {
  return { w: tf.variable(tf.randomNormal([fanIn, classes], 0, Math.sqrt(1 / fanIn), 'float32', seed), true), b: tf.variable(tf.zeros([classes]), true) };
}

const bnOf = (w: tf.Variable, u: number): BnDense => ({ w, gamma: tf.variable(tf.ones([u]), true), beta: tf.variable(tf.zeros([u]), true), mean: tf.variable(tf.zeros([u]), false), variance: tf.variable(tf.ones([u]), false) });

/** Conv 3×3 stride 2 → BN → ReLU per BACKBONE_CONV entry (28 → 14 → 7), flatten, then Dense → BatchNorm1d → ReLU per BACKBONE_UNITS. */
export function newNet(_dim: number, seed: number): TaskNet {
  let cin = 1;
  const convs = BACKBONE_CONV.map((f, i) => {
    const w = tf.variable(tf.randomNormal([3, 3, cin, f], 0, Math.sqrt(2 / (9 * cin)), 'float32', seed + 20 + i), true);
    cin = f;
    return bnOf(w, f);
  });
  let fanIn = FLAT;
  const dense = BACKBONE_UNITS.map((u, i) => {
    const w = tf.variable(tf.randomNormal([fanIn, u], 0, Math.sqrt(2 / fanIn), 'float32', seed + i), true);
    fanIn = u;
    return bnOf(w, u);
  });
  return { layers: [...convs, ...dense], heads: [newHead(fanIn, 5, seed + 7)] };
}

export const backboneVars = (n: TaskNet): tf.Variable[] => n.layers.flatMap((l) => [l.w, l.gamma, l.beta]);
export const layerVars = (l: BnDense): tf.Variable[] => [l.w, l.gamma, l.beta];
/** How many of the net's layers are convolutions (the rest are Dense layers). */
export const CONV_LAYERS = BACKBONE_CONV.length;
export const headVars = (h: Head): tf.Variable[] => [h.w, h.b];
export const sizeOf = (vars: readonly tf.Variable[]): number => vars.reduce((s, v) => s + v.size, 0);

/** Features of the backbone; in train mode BN uses the batch statistics and, when `update`, moves the running ones. */
export function features(n: TaskNet, x: tf.Tensor, modes: BnMode | readonly BnMode[], update = false): tf.Tensor2D {
  let h: tf.Tensor = x.reshape([x.shape[0], 28, 28, 1]);
  for (const [i, l] of n.layers.entries()) {
    const mode = typeof modes === 'string' ? modes : modes[i];
    const conv = l.w.rank === 4;
    if (!conv && h.rank === 4) h = h.reshape([h.shape[0], FLAT]);
    const z = conv ? tf.conv2d(h as tf.Tensor4D, l.w as tf.Tensor4D, 2, 'same') : tf.matMul(h as tf.Tensor2D, l.w as tf.Tensor2D);
    const axes = conv ? [0, 1, 2] : [0];
    let mean: tf.Tensor;
    let variance: tf.Tensor;
    if (mode === 'train') {
      ({ mean, variance } = tf.moments(z, axes));
      if (update) {
        const b = axes.reduce((p, a) => p * z.shape[a]!, 1);
        l.mean.assign(tf.add(tf.mul(l.mean, 1 - BN_MOMENTUM), tf.mul(mean, BN_MOMENTUM)));
        l.variance.assign(tf.add(tf.mul(l.variance, 1 - BN_MOMENTUM), tf.mul(tf.mul(variance, b / Math.max(1, b - 1)), BN_MOMENTUM)));
      }
    } else {
      mean = l.mean;
      variance = l.variance;
    }
    h = tf.relu(tf.add(tf.mul(tf.div(tf.sub(z, mean), tf.sqrt(tf.add(variance, BN_EPS))), l.gamma), l.beta));
  }
  return h as tf.Tensor2D;
}

export const logits = (h: tf.Tensor2D, head: Head): tf.Tensor2D => tf.add(tf.matMul(h, head.w as tf.Tensor2D), head.b);

export const accuracyOn = async (n: TaskNet, head: Head, a: Arrays): Promise<number> => (await evaluate(a, (x) => logits(features(n, x, 'eval'), head))).accuracy;

/** The weights after task A's training, by seed (plain arrays: every variant builds its own variables from them). */
const sources = new Map<number, Promise<{ values: Float32Array[]; shapes: number[][]; seconds: number }>>();

/** A fresh net with task A's trained backbone and head (trained once per seed, then copied). */
export async function sourceNet(seed: number): Promise<{ net: TaskNet; seconds: number }> {
  if (!sources.has(seed)) sources.set(seed, trainSource(seed));
  const s = await sources.get(seed)!;
  const net = newNet(s.shapes[0][0], seed);
  const vars = allVars(net);
  vars.forEach((v, i) => v.assign(tf.tensor(s.values[i], s.shapes[i])));
  return { net, seconds: s.seconds };
}

const allVars = (n: TaskNet): tf.Variable[] => [...n.layers.flatMap((l) => [l.w, l.gamma, l.beta, l.mean, l.variance]), ...n.heads.flatMap(headVars)];

async function trainSource(seed: number) {
  const t0 = performance.now();
  const train = await digitArrays('train', TASK_A_DIGITS, SOURCE_PER_DIGIT, seed + 100);
  const val = await digitArrays('val', TASK_A_DIGITS, 50, seed + 101);
  const net = newNet(train.dim, seed + 200);
  const opt = tf.train.adam(1e-3);
  await trainLoop({
    variables: [...backboneVars(net), ...headVars(net.heads[0])],
    optimizer: opt,
    lr: 1e-3,
    epochs: SOURCE_EPOCHS,
    batches: (e) => epochBatches(train.n, 64, seed + 100, e),
    loss: (idx) => {
      const b = batch(train, idx);
      const loss = crossEntropy(logits(features(net, b.x, 'train', true), net.heads[0]), b.y, 5);
      tf.dispose([b.x, b.y]);
      return loss;
    },
    epochEnd: async () => {
      const v = await evaluate(val, (x) => logits(features(net, x, 'eval'), net.heads[0]));
      return { valLoss: v.loss, valAccuracy: v.accuracy };
    },
  });
  opt.dispose();
  const vars = allVars(net);
  const values = await Promise.all(vars.map(async (v) => (await v.data()) as Float32Array));
  const shapes = vars.map((v) => v.shape);
  disposeNet(net);
  return { values, shapes, seconds: (performance.now() - t0) / 1000 };
}

export const disposeNet = (n: TaskNet): void => tf.dispose(allVars(n));
