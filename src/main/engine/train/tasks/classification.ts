import * as tf from '@tensorflow/tfjs';
import { argmaxRows, classificationReport, confusionMatrix, topKAccuracy } from '../../../../shared/metrics';
import { BatchIterator, type Batch } from '../../data/batch';
import { batchToTensors, disposeBatchTensors, type BatchTensors } from '../../data/tensors';
import { lossConfig } from '../configMap';
import { makeLoss, type LossFn } from '../losses';
import type { Evaluation, TaskAdapterFactory } from './types';

/** Validation images kept per confusion-matrix cell (the dashboard shows them). */
const CELL_SAMPLES = 64;

export const classification: TaskAdapterFactory = (dataset, config) => {
  const lossFn = makeLoss(lossConfig(config, 'classification'));
  return {
    metric: 'accuracy',
    stepLoss(outputs, batch) {
      const logits = outputs[0];
      return { loss: lossFn(logits, batch.y), metric: tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), batch.labels), 'float32')) as tf.Scalar };
    },
    evaluate: (model, ds, split, opts) =>
      evaluateClassifier(typeof model === 'function' ? async (b, t) => firstOf(await model(b, t)) : model, ds, split, lossFn, opts),
  };
};

function firstOf(outputs: tf.Tensor[]): tf.Tensor {
  tf.dispose(outputs.slice(1));
  return outputs[0];
}

/** Logits of a batch from another engine (the PyTorch runner); the caller of evaluateClassifier owns nothing else. */
export type ForwardFn = (batch: Batch, t: BatchTensors) => Promise<tf.Tensor>;

/** Loss, top-1/top-5, the confusion matrix with its sample indices, per-class P/R/F1. */
export async function evaluateClassifier(
  model: tf.LayersModel | ForwardFn,
  dataset: Parameters<TaskAdapterFactory>[0],
  split: 'train' | 'val' | 'test',
  lossFn: LossFn,
  opts: { batchSize: number; limit?: number },
): Promise<Evaluation> {
  const k = dataset.info.classes.length;
  const iter = new BatchIterator(dataset, split, { batchSize: opts.batchSize, shuffle: false, limit: opts.limit });
  const n = iter.length;
  const probs = new Float32Array(n * k);
  const labels = new Int32Array(n);
  let lossSum = 0;
  let offset = 0;
  for (const batch of iter.epoch(0)) {
    const t = batchToTensors(batch);
    const external = typeof model === 'function' ? await model(batch, t) : undefined;
    const [loss, p] = tf.tidy(() => {
      const logits = external ?? (model as tf.LayersModel).predict(t.x) as tf.Tensor;
      return [lossFn(logits, t.y), tf.softmax(logits)] as const;
    });
    external?.dispose();
    lossSum += (await loss.data())[0] * batch.size;
    probs.set(await p.data(), offset * k);
    labels.set(batch.labels, offset);
    offset += batch.size;
    tf.dispose([loss, p]);
    disposeBatchTensors(t);
  }
  const predictions = argmaxRows(probs, k);
  const confusion = confusionMatrix(labels, predictions, k);
  const report = classificationReport(confusion);
  const cellSamples: Record<string, number[]> = {};
  const sampleTop: Record<number, [number, number][]> = {};
  for (let i = 0; i < n; i++) {
    const list = (cellSamples[`${labels[i]},${predictions[i]}`] ??= []);
    if (list.length >= CELL_SAMPLES) continue;
    list.push(i);
    const row = Array.from(probs.subarray(i * k, (i + 1) * k), (p, c) => [c, Math.round(p * 1e4) / 1e4] as [number, number]);
    sampleTop[i] = row.sort((a, b) => b[1] - a[1]).slice(0, 3);
  }
  return {
    loss: lossSum / Math.max(1, n),
    accuracy: report.accuracy,
    headline: report.accuracy,
    top5: k > 5 ? topKAccuracy(probs, k, labels, 5) : undefined,
    confusion,
    perClass: report.perClass.map((s) => ({ precision: s.precision, recall: s.recall, f1: s.f1, support: s.support })),
    cellSamples,
    sampleTop,
  };
}
