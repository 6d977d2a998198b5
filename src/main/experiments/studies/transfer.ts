import * as tf from '@tensorflow/tfjs';
import { TASK_A_DIGITS, TASK_B_DIGITS } from '../../../shared/experiments/catalog/digitTasks';
import type { TransferStudy } from '../../../shared/experiments/catalog/transferLearning';
import type { ForgettingStudy } from '../../../shared/experiments/catalog/forgetting';
import { CONV_LAYERS, FEATURES, layerVars, accuracyOn, backboneVars, digitArrays, disposeNet, features, headVars, logits, newHead, newNet, sizeOf, sourceNet, type BnMode } from './digitTasks';
import { batch, crossEntropy, epochBatches, evaluate, optimizerOf, studyBackend, trainLoop, type Arrays, type StudyProcedure } from './toolkit';

type TransferMode = 'scratch' | 'finetune' | 'frozen' | 'frozen_bn_train';

/**
 * Transfer learning: task B (digits 5–9) from a few labelled images, starting from scratch, from task A's trained
 * conv backbone fine-tuned whole, frozen (BN in eval mode, running statistics of task A), or frozen with BN left in
 * train mode (batch statistics in training, running statistics moving to task B). The Dense layer after the convs
 * and the 5-way head start afresh in every variant; they are all that is trained when frozen.
 */
export const transferStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  await studyBackend();
  const seed = config.seed;
  const mode = String(variant.study?.mode ?? 'scratch') as TransferMode;
  const perDigit = Math.max(1, Math.floor((config.trainLimit ?? 250) / 5));
  const train = await digitArrays('train', TASK_B_DIGITS, perDigit, seed);
  const val = await digitArrays('val', TASK_B_DIGITS, Math.max(1, Math.floor((config.valLimit ?? 500) / 5)), seed + 1);
  const source = mode === 'scratch' ? { net: newNet(train.dim, seed + 300), seconds: 0 } : await sourceNet(seed);
  const net = source.net;
  // What transfers is the convolutional backbone; the Dense layer after it starts afresh with the new head.
  const fresh = newNet(train.dim, seed + 300);
  net.layers.slice(CONV_LAYERS).forEach((l, i) => layerVars(l).forEach((v, k) => v.assign(layerVars(fresh.layers[CONV_LAYERS + i])[k])));
  disposeNet(fresh);
  const head = newHead(FEATURES, 5, seed + 11);
  const frozen = mode === 'frozen' || mode === 'frozen_bn_train';
  const bnModes: BnMode[] = net.layers.map((_, i) => (i < CONV_LAYERS && mode === 'frozen' ? 'eval' : 'train'));
  const trained = frozen ? net.layers.slice(CONV_LAYERS) : net.layers;
  const variables = [...trained.flatMap(layerVars), ...headVars(head)];
  const optimizer = optimizerOf(config);
  const t0 = performance.now();
  let evalSeconds = 0;
  const run = await trainLoop({
    variables,
    optimizer,
    lr: config.optimizer.lr,
    epochs: config.epochs,
    batches: (e) => epochBatches(train.n, config.batchSize, seed, e),
    loss: (idx) => {
      const b = batch(train, idx);
      const loss = crossEntropy(logits(features(net, b.x, bnModes, true), head), b.y, 5);
      tf.dispose([b.x, b.y]);
      return loss;
    },
    epochEnd: async () => {
      const e0 = performance.now();
      const v = await evaluate(val, (x) => logits(features(net, x, 'eval'), head));
      evalSeconds += (performance.now() - e0) / 1000;
      return { valLoss: v.loss, valAccuracy: v.accuracy };
    },
    signal,
    onStep,
  });
  const trainSeconds = (performance.now() - t0) / 1000 - evalSeconds;
  const accuracy = await accuracyOn(net, head, val);
  const study: TransferStudy = {
    mode,
    labelled: train.n,
    accuracy,
    firstEpochAccuracy: run.epochs[0]?.valAccuracy ?? null,
    trainSeconds,
    sourceSeconds: source.seconds,
    trainable: sizeOf(variables),
    bars: [{ key: 'target', label: `task B accuracy after ${run.epochs.length} epochs`, value: accuracy }],
  };
  const params = sizeOf([...backboneVars(net), ...headVars(head)]);
  optimizer.dispose();
  disposeNet(net);
  tf.dispose(headVars(head));
  return { epochs: run.epochs, steps: run.steps, study: study as unknown as Record<string, unknown>, valSamples: val.n, params, stopped: run.stopped };
};

type ForgettingMode = 'finetune' | 'frozen' | 'replay';

/**
 * Catastrophic forgetting: task A's trained net (digits 0–4, its own head) is trained on task B (digits 5–9, a new
 * head). Task A's accuracy is measured with its head before and after: plain fine-tuning moves the shared backbone,
 * a frozen backbone keeps it, and replay mixes a few task-A images (their loss on head A) into every epoch.
 */
export const forgettingStudy: StudyProcedure = async ({ config, variant, signal, onStep }) => {
  await studyBackend();
  const seed = config.seed;
  const mode = String(variant.study?.mode ?? 'finetune') as ForgettingMode;
  const replayShare = Number(variant.study?.replay ?? 0);
  const perDigit = Math.max(1, Math.floor((config.trainLimit ?? 1500) / 5));
  const trainB = await digitArrays('train', TASK_B_DIGITS, perDigit, seed);
  // Replay images come from task A's training digits, a fresh seeded draw.
  const replay = replayShare > 0 ? await digitArrays('train', TASK_A_DIGITS, Math.max(1, Math.round(perDigit * replayShare)), seed + 5) : undefined;
  const valPer = Math.max(1, Math.floor((config.valLimit ?? 500) / 10));
  const valA = await digitArrays('val', TASK_A_DIGITS, valPer, seed + 1);
  const valB = await digitArrays('val', TASK_B_DIGITS, valPer, seed + 1);
  const { net } = await sourceNet(seed);
  const headA = net.heads[0];
  const headB = newHead(FEATURES, 5, seed + 11);
  const before = await accuracyOn(net, headA, valA);
  const frozen = mode === 'frozen';
  const bnMode: BnMode = frozen ? 'eval' : 'train';
  const variables = [...(frozen ? [] : backboneVars(net)), ...headVars(headB)];
  const optimizer = optimizerOf(config);
  const nB = trainB.n;
  const nR = replay?.n ?? 0;
  const taskAPerEpoch: number[] = [];
  const run = await trainLoop({
    variables,
    optimizer,
    lr: config.optimizer.lr,
    epochs: config.epochs,
    batches: (e) => epochBatches(nB + nR, config.batchSize, seed, e),
    loss: (idx) => lossOf(idx, nB, trainB, replay, (x) => features(net, x, bnMode, bnMode === 'train'), headA, headB),
    epochEnd: async () => {
      const v = await evaluate(valB, (x) => logits(features(net, x, 'eval'), headB));
      taskAPerEpoch.push(await accuracyOn(net, headA, valA));
      return { valLoss: v.loss, valAccuracy: v.accuracy };
    },
    signal,
    onStep,
  });
  const after = await accuracyOn(net, headA, valA);
  const taskB = await accuracyOn(net, headB, valB);
  const study: ForgettingStudy = {
    mode,
    replayImages: nR,
    taskBImages: nB,
    taskABefore: before,
    taskAAfter: after,
    taskB,
    taskAPerEpoch,
    bars: [
      { key: 'a_before', label: 'task A before', value: before },
      { key: 'a_after', label: 'task A after', value: after },
      { key: 'b_after', label: 'task B after', value: taskB },
    ],
  };
  optimizer.dispose();
  const params = sizeOf([...backboneVars(net), ...headVars(headA), ...headVars(headB)]);
  disposeNet(net);
  tf.dispose(headVars(headB));
  return { epochs: run.epochs, steps: run.steps, study: study as unknown as Record<string, unknown>, valSamples: valB.n, params, stopped: run.stopped };
};

/** Mean cross-entropy of a mixed batch: task-B rows (index < nB) on head B, replayed task-A rows on head A. */
function lossOf(idx: number[], nB: number, trainB: Arrays, replay: Arrays | undefined, feats: (x: tf.Tensor) => tf.Tensor2D, headA: Parameters<typeof logits>[1], headB: Parameters<typeof logits>[1]): tf.Scalar {
  const bIdx = idx.filter((i) => i < nB);
  const aIdx = idx.filter((i) => i >= nB).map((i) => i - nB);
  if (replay && bIdx.length === 0) {
    const a = batch(replay, aIdx);
    const loss = crossEntropy(logits(feats(a.x), headA), a.y, 5);
    tf.dispose([a.x, a.y]);
    return loss;
  }
  const b = batch(trainB, bIdx);
  if (!replay || aIdx.length === 0) {
    const loss = crossEntropy(logits(feats(b.x), headB), b.y, 5);
    tf.dispose([b.x, b.y]);
    return loss;
  }
  const a = batch(replay, aIdx);
  // One pass over the whole mixed batch, so BN sees the mix as its batch.
  const h = feats(tf.concat([b.x, a.x]));
  const [hb, ha] = tf.split(h, [bIdx.length, aIdx.length]);
  const loss = tf.div(tf.add(tf.mul(crossEntropy(logits(hb as tf.Tensor2D, headB), b.y, 5), bIdx.length), tf.mul(crossEntropy(logits(ha as tf.Tensor2D, headA), a.y, 5), aIdx.length)), idx.length) as tf.Scalar;
  tf.dispose([b.x, b.y, a.x, a.y]);
  return loss;
}
