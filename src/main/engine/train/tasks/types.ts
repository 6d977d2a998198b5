import type * as tf from '@tensorflow/tfjs';
import type { TrainConfig } from '../../../../shared/training/config';
import type { EvaluationReport } from '../../../../shared/training/telemetry';
import type { Batch } from '../../data/batch';
import type { BatchTensors } from '../../data/tensors';
import type { Dataset, SplitName } from '../../data/types';

export interface Evaluation extends EvaluationReport {
  /** The task's headline metric (accuracy, mAP@0.5, mIoU), higher is better. */
  headline: number;
}

/** A model run elsewhere (the PyTorch engine): every output of a batch, channels-last like the TF.js model's. The caller disposes them. */
export type OutputsFn = (batch: Batch, t: BatchTensors) => Promise<tf.Tensor[]>;

/**
 * What differs between tasks: the training loss (and a cheap per-step metric) from the model's outputs, and
 * the evaluation. The trainer is the same loop for all of them.
 */
export interface TaskAdapter {
  /** Name of the headline metric, e.g. 'accuracy', 'mAP50', 'mIoU'. */
  metric: string;
  /** Inside the gradient tape: the loss to minimise and a per-step metric (both scalars). */
  stepLoss(outputs: readonly tf.Tensor[], batch: BatchTensors): { loss: tf.Scalar; metric: tf.Scalar };
  evaluate(model: tf.LayersModel | OutputsFn, dataset: Dataset, split: SplitName, opts: { batchSize: number; limit?: number }): Promise<Evaluation>;
}

export type TaskAdapterFactory = (dataset: Dataset, config: TrainConfig, model: tf.LayersModel) => TaskAdapter;
