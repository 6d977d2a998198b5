// A run's network rebuilt inside a data-parallel worker (see parallel.ts): the same graph compiled the same
// way, so its trainable variables come in the main model's order; its loss is the task's step loss (+ L1),
// a mean over the shard's samples, so shard gradients scaled by their share sum to the batch gradient.
import * as tf from '@tensorflow/tfjs';
import type { GraphDoc } from '../../../shared/graph/types';
import { trainConfigSchema } from '../../../shared/training/config';
import type { Replica } from '../backend/dataParallel/protocol';
import { compile, type CompileOptions } from '../compile/compile';
import type { Dataset, DatasetInfo } from '../data/types';
import { applyFreeze } from './frozen';
import { l1Penalty, regularizedWeights } from './regularization';
import { TASK_ADAPTERS } from './tasks';
import { seedMathRandom } from './seedRandom';

export interface RunReplicaArgs {
  /** The graph as compiled in the run (already adapted to the dataset). */
  graph: GraphDoc;
  compile: CompileOptions;
  config: unknown;
  dataset: DatasetInfo;
}

export async function createRunReplica(raw: unknown, index = 0): Promise<Replica> {
  const args = raw as RunReplicaArgs;
  const config = trainConfigSchema.parse(args.config);
  seedMathRandom('replica', config.seed, index);
  const compiled = compile(args.graph, args.compile);
  const { model } = compiled;
  applyFreeze(compiled, args.graph, config.frozenBatchNorm);
  const factory = TASK_ADAPTERS[args.dataset.task];
  if (!factory) throw new Error(`no training for ${args.dataset.task}`);
  // Only the step loss is used here; the classification adapter reads nothing from the dataset but its info.
  const adapter = factory({ info: args.dataset } as Dataset, config, model);
  const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const l1Weights = config.regularization.l1 > 0 ? regularizedWeights(variables).map((v) => v as tf.Tensor) : [];
  const trainable = new Set(model.trainableWeights.map((w) => w.name));
  return {
    variables,
    state: model.weights.filter((w) => !trainable.has(w.name)).map((w) => w.read() as tf.Variable),
    loss(x, y, labels) {
      const out = model.apply(x, { training: true }) as tf.Tensor | tf.Tensor[];
      const { loss, metric } = adapter.stepLoss(Array.isArray(out) ? out : [out], { x: x as tf.Tensor4D, y: y as tf.Tensor2D, labels: labels as tf.Tensor1D });
      return { loss: l1Weights.length ? loss.add(l1Penalty(l1Weights, config.regularization.l1)) : loss, metric };
    },
  };
}
