import * as tf from '@tensorflow/tfjs';
import { argmaxRows, classificationReport, confusionMatrix, topKAccuracy } from '../../../shared/metrics';
import type { EvaluationReport } from '../../../shared/training/telemetry';
import { BatchIterator } from '../data/batch';
import { batchToTensors, disposeBatchTensors } from '../data/tensors';
import type { Dataset, SplitName } from '../data/types';
import type { LossFn } from './losses';

/** Validation images kept per confusion-matrix cell (the dashboard shows them). */
const CELL_SAMPLES = 64;

export interface Evaluation extends EvaluationReport {
  /** Per-sample predicted class and its probability, in split order. */
  predictions: Int32Array;
}

/** Classification evaluation over a split: loss, top-1/top-5, confusion matrix, per-class P/R/F1. */
export function evaluateClassifier(model: tf.LayersModel, dataset: Dataset, split: SplitName, lossFn: LossFn, opts: { batchSize: number; limit?: number }): Evaluation {
  const k = dataset.info.classes.length;
  const iter = new BatchIterator(dataset, split, { batchSize: opts.batchSize, shuffle: false, limit: opts.limit });
  const n = iter.length;
  const probs = new Float32Array(n * k);
  const labels = new Int32Array(n);
  let lossSum = 0;
  let offset = 0;
  for (const batch of iter.epoch(0)) {
    const t = batchToTensors(batch);
    const [loss, p] = tf.tidy(() => {
      const logits = model.predict(t.x) as tf.Tensor;
      return [lossFn(logits, t.y), tf.softmax(logits)] as const;
    });
    lossSum += loss.dataSync()[0] * batch.size;
    probs.set(p.dataSync(), offset * k);
    labels.set(batch.labels, offset);
    offset += batch.size;
    tf.dispose([loss, p]);
    disposeBatchTensors(t);
  }
  const predictions = argmaxRows(probs, k);
  const confusion = confusionMatrix(labels, predictions, k);
  const report = classificationReport(confusion);
  const cellSamples: Record<string, number[]> = {};
  for (let i = 0; i < n; i++) {
    const key = `${labels[i]},${predictions[i]}`;
    const list = (cellSamples[key] ??= []);
    if (list.length < CELL_SAMPLES) list.push(i);
  }
  return {
    loss: lossSum / Math.max(1, n),
    accuracy: report.accuracy,
    top5: k > 5 ? topKAccuracy(probs, k, labels, 5) : undefined,
    confusion,
    perClass: report.perClass.map((s) => ({ precision: s.precision, recall: s.recall, f1: s.f1, support: s.support })),
    cellSamples,
    predictions,
  };
}
