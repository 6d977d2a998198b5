import * as tf from '@tensorflow/tfjs';
import { accumulateConfusion, confusionMatrix, segmentationMetricsFromConfusion, type ConfusionMatrix } from '../../../../shared/metrics';
import { segmentationSchema, type TrainConfig } from '../../../../shared/training/config';
import type { SamplePrediction, SegmentationReport } from '../../../../shared/training/telemetry';
import { BatchIterator } from '../../data/batch';
import { batchToTensors, disposeBatchTensors } from '../../data/tensors';
import type { Dataset, SplitName } from '../../data/types';
import { lossConfig } from '../configMap';
import { diceLoss, makeLoss, type LossFn } from '../losses';
import type { Evaluation, OutputsFn, TaskAdapterFactory } from './types';

/** Validation images reported with their true and predicted masks. */
export const SAMPLE_MASKS = 8;

/**
 * Per-pixel loss on the head's logits [N, h, w, K] against the masks [N, H, W]: the configured pixel loss
 * (cross-entropy, or multiclass focal) plus diceWeight × soft Dice (batch Dice, all classes). Logits of a
 * coarser map are resized bilinearly to the mask first.
 */
export function segmentationLoss(config: Pick<TrainConfig, 'loss' | 'segmentation'>): LossFn {
  const pixelConfig = lossConfig(config as TrainConfig, 'segmentation');
  if (pixelConfig.name !== 'cross_entropy' && pixelConfig.name !== 'focal') {
    throw new Error(`segmentation trains with cross_entropy or focal (plus Dice), not ${config.loss.name}`);
  }
  const pixel = makeLoss(pixelConfig);
  const { diceWeight } = segmentationSchema.parse(config.segmentation ?? {});
  return (logits, masks) =>
    tf.tidy(() => {
      const fitted = fitToMask(logits, masks);
      const ce = pixel(fitted, masks);
      return (diceWeight > 0 ? ce.add(diceLoss(fitted, masks).mul(diceWeight)) : ce) as tf.Scalar;
    });
}

function fitToMask(logits: tf.Tensor, masks: tf.Tensor): tf.Tensor4D {
  const [, h, w] = masks.shape;
  const l = logits as tf.Tensor4D;
  return l.shape[1] === h && l.shape[2] === w ? l : tf.image.resizeBilinear(l, [h, w]);
}

export const segmentation: TaskAdapterFactory = (dataset, config, model) => {
  const k = dataset.info.classes.length;
  const out = model.outputs[0].shape;
  if (out.length !== 4 || out[3] !== k) throw new Error(`the network's output has ${out[out.length - 1]} channels per pixel but ${dataset.info.name} has ${k} classes (background included): set the head's classes to ${k}`);
  const lossFn = segmentationLoss(config);
  return {
    metric: 'mIoU',
    stepLoss(outputs, batch) {
      if (!batch.masks) throw new Error('a segmentation batch carries masks');
      const logits = fitToMask(outputs[0], batch.masks);
      return { loss: lossFn(logits, batch.masks), metric: tf.mean(tf.cast(tf.equal(tf.argMax(logits, -1), batch.masks), 'float32')) as tf.Scalar };
    },
    evaluate: (m, ds, split, opts) => evaluateSegmenter(m, ds, split, lossFn, opts),
  };
};

const orNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
const base64 = (a: Uint8Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');

/** Loss, pixel accuracy, per-class IoU and Dice and their means (classes absent from the truth left out), sample masks. */
export async function evaluateSegmenter(
  model: tf.LayersModel | OutputsFn,
  dataset: Dataset,
  split: SplitName,
  lossFn: LossFn,
  opts: { batchSize: number; limit?: number },
): Promise<Evaluation> {
  const k = dataset.info.classes.length;
  const [h, w] = dataset.info.shape;
  const iter = new BatchIterator(dataset, split, { batchSize: opts.batchSize, shuffle: false, limit: opts.limit });
  let confusion: ConfusionMatrix = Array.from({ length: k }, () => new Array<number>(k).fill(0));
  const samples: SamplePrediction[] = [];
  let lossSum = 0;
  let seen = 0;
  for (const batch of iter.epoch(0)) {
    const t = batchToTensors(batch);
    const external = typeof model === 'function' ? await model(batch, t) : undefined;
    const [loss, predicted] = tf.tidy(() => {
      const out = external ?? (model as tf.LayersModel).predict(t.x);
      const logits = fitToMask(Array.isArray(out) ? out[0] : out, t.masks!);
      return [lossFn(logits, t.masks!), tf.argMax(logits, -1)] as const;
    });
    if (external) tf.dispose(external);
    lossSum += (await loss.data())[0] * batch.size;
    const pred = Uint8Array.from(await predicted.data());
    tf.dispose([loss, predicted]);
    disposeBatchTensors(t);
    confusion = accumulateConfusion(confusion, confusionMatrix(batch.masks!, pred, k));
    for (let j = 0; j < batch.size && samples.length < SAMPLE_MASKS; j++) {
      const range = [j * h * w, (j + 1) * h * w] as const;
      samples.push({ index: batch.indices[j], mask: { width: w, height: h, truth: base64(batch.masks!.subarray(...range)), predicted: base64(pred.subarray(...range)) } });
    }
    seen += batch.size;
  }
  const m = segmentationMetricsFromConfusion(confusion);
  const report: SegmentationReport = {
    pixelAccuracy: m.pixelAccuracy,
    mIoU: m.meanIoU,
    meanDice: m.meanDice,
    meanClassAccuracy: m.meanClassAccuracy,
    perClassIoU: m.iou.map(orNull),
    perClassDice: m.dice.map(orNull),
  };
  const headline = Number.isFinite(m.meanIoU) ? m.meanIoU : 0;
  return { loss: lossSum / Math.max(1, seen), accuracy: Number.isFinite(m.pixelAccuracy) ? m.pixelAccuracy : 0, headline, confusion, segmentation: report, samples };
}
