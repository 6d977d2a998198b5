// Messages between GradientWorkerPool (pool.ts) and its workers (workerMain.ts).
import type * as tf from '@tensorflow/tfjs';

/** Where a worker finds the code that builds its model replica. */
export interface ReplicaSpec {
  /** Module to import in each worker: an absolute file path or a file: URL. */
  module: string;
  /** Its export, called as `(args) => Replica | Promise<Replica>`. Default: 'createReplica'. */
  exportName?: string;
  /** Structured-cloneable arguments for that export (e.g. the graph IR). */
  args?: unknown;
}

/** What a replica builder returns inside a worker. */
export interface Replica {
  /** Trainable variables; gradients and weights are exchanged in this order. */
  variables: tf.Variable[];
  /**
   * Mean loss over the samples of a batch (evaluated inside tf.variableGrads); `extras` are the step's
   * further arrays (e.g. hard labels). May also return a per-step metric (a mean over the samples too).
   */
  loss(x: tf.Tensor, y: tf.Tensor, ...extras: tf.Tensor[]): tf.Scalar | { loss: tf.Scalar; metric?: tf.Scalar };
  /** Non-trainable state that training updates (BatchNorm moving statistics). */
  state?: tf.Variable[];
}

/** Builds a replica from its spec's args; `index` numbers the replica threads from 0. */
export type ReplicaBuilder = (args: unknown, index: number) => Replica | Promise<Replica>;

export interface ArrayData {
  data: Float32Array | Int32Array;
  shape: number[];
}

export type ToWorker =
  | { type: 'init'; index: number; spec: ReplicaSpec }
  | { type: 'buffers'; weights: SharedArrayBuffer; grads: SharedArrayBuffer; offsets: number[]; total: number }
  | { type: 'exportWeights'; version: number }
  | { type: 'step'; id: number; version: number; x: ArrayData; y: ArrayData; extras?: ArrayData[]; scale: number }
  | { type: 'readState' }
  | { type: 'close' };

export type FromWorker =
  | { type: 'ready'; shapes: number[][]; stateShapes: number[][]; backend: string }
  | { type: 'exported' }
  | { type: 'stepDone'; id: number; loss: number; metric: number; cpuMs: number }
  | { type: 'state'; values: Float32Array[] }
  | { type: 'error'; message: string };
