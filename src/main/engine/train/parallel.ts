// Data-parallel training for real runs. The run's own thread is replica 0: it computes the first share of
// each batch with its own model (so probes, BatchNorm statistics and checkpoints are those of the model
// it already has), while helper worker threads (each with its own wasm backend: wasm threads are off in
// Node) compute the other shares concurrently. Shares are weighted by their row counts, so for losses that
// are means over samples the combined gradient is the whole batch's (BatchNorm normalises per share, as in
// PyTorch DataParallel/DDP without SyncBatchNorm). The optimizer runs once, on the run's thread, on the
// combined gradient; the new weights go to the helpers through shared memory before the next step.
//
// BatchNorm moving statistics: the run's model keeps its own (replica 0's, computed on its share), as
// PyTorch DataParallel does; the helpers' copies are never read (training-mode BN uses batch statistics).
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as tf from '@tensorflow/tfjs';
import type { Task } from '../../../shared/graph/types';
import type { TrainConfig } from '../../../shared/training/config';
import type { BackendName } from '../backend/select';
import { type GradientResult, GradientWorkerPool } from '../backend/dataParallel/pool';
import type { Batch } from '../data/batch';
import type { RunReplicaArgs } from './runReplica';

/** `workers: 'auto'` splits batches only from this size (smaller shards waste the helpers' time on overhead). */
export const AUTO_MIN_BATCH = 32;
/** …and gives each thread at least this many samples. */
export const AUTO_MIN_SHARD = 16;
const AUTO_MAX_THREADS = 4;

export interface ParallelPlan {
  /** Threads that compute each batch's gradients, the run's own included (1 = no data parallelism). */
  threads: number;
  /** Why, for the run's log. */
  reason: string;
}

/** How many threads a run trains on, from `config.workers` and what the run uses. */
export function planParallel(config: Pick<TrainConfig, 'workers' | 'batchSize'>, ctx: { backend: BackendName; task: Task; cores?: number }): ParallelPlan {
  const cores = ctx.cores ?? availableParallelism();
  const single = (reason: string): ParallelPlan => ({ threads: 1, reason });
  if (config.workers === 1) return single('workers is 1 in the training config');
  if (ctx.backend !== 'wasm') return single(`data-parallel training is for the wasm backend; this run uses ${ctx.backend}`);
  if (ctx.task !== 'classification') {
    return single(`${ctx.task} losses are not means over samples (detection divides by the batch's positives, segmentation's Dice spans the batch), so per-thread shares would not add up to the batch gradient`);
  }
  if (config.workers === 'auto') {
    if (cores < 2) return single('this machine has one core');
    if (config.batchSize < AUTO_MIN_BATCH) return single(`batches of ${config.batchSize} are too small to split (auto splits from ${AUTO_MIN_BATCH})`);
    const threads = Math.min(cores, AUTO_MAX_THREADS, Math.floor(config.batchSize / AUTO_MIN_SHARD));
    return { threads, reason: `${threads} threads (workers: auto, ${cores} cores)` };
  }
  const threads = Math.min(config.workers, config.batchSize);
  const note = threads > cores ? `; more threads than the ${cores} cores slows training down` : '';
  return { threads, reason: `${threads} threads (workers: ${config.workers})${note}` };
}

/** Rows of an n-sample batch that the run's own thread computes (the first share). */
export function ownRows(n: number, threads: number): number {
  return Math.ceil(n / threads);
}

/** The helper threads of a data-parallel run. */
export class ParallelGradients {
  private constructor(
    private readonly pool: GradientWorkerPool,
    private readonly variables: readonly tf.Variable[],
  ) {}

  /** Starts threads − 1 helpers, each building the run's network; they start from `variables`' values. */
  static async create(opts: { threads: number; replica: RunReplicaArgs; variables: readonly tf.Variable[]; workerUrl?: URL }): Promise<ParallelGradients> {
    if (opts.threads < 2) throw new Error('data-parallel training needs at least 2 threads');
    const pool = await GradientWorkerPool.create({
      workers: opts.threads - 1,
      replica: { module: 'builtin', args: opts.replica },
      workerUrl: opts.workerUrl ?? defaultWorkerUrl(),
    });
    const mismatch = opts.variables.findIndex((v, i) => !tf.util.arraysEqual(v.shape, pool.shapes[i] ?? []));
    if (opts.variables.length !== pool.shapes.length || mismatch >= 0) {
      await pool.close();
      throw new Error(`the helper's network does not match the run's (variables differ from #${mismatch})`);
    }
    const p = new ParallelGradients(pool, opts.variables);
    p.pushWeights();
    return p;
  }

  /** Threads in all, the run's own included. */
  get threads(): number {
    return this.pool.size + 1;
  }

  /**
   * Sends rows [from, n) of the batch to the helpers; resolves with their share of the batch-mean loss,
   * metric and gradients (in variable order). Returns at once: the caller computes rows [0, from) meanwhile.
   */
  start(batch: Batch, from: number): Promise<GradientResult> {
    const [h, w, c] = batch.shape;
    const n = batch.size;
    const p = this.pool.computeShards({
      x: { data: batch.x, shape: [n, h, w, c] },
      y: { data: batch.y, shape: [n, batch.numClasses] },
      extras: [{ data: batch.labels, shape: [n] }],
    }, { from, total: n });
    p.catch(() => undefined); // the trainer awaits it; this keeps a failure during its own share from counting as unhandled
    return p;
  }

  /** Publishes the current weights; helpers load them before their next share. */
  pushWeights(): void {
    this.pool.setWeights(this.variables.map((v) => v.dataSync() as Float32Array));
  }

  close(): Promise<void> {
    return this.pool.close();
  }
}

/** The first rows of a batch, as a batch (typed-array views, no copies). */
export function headOfBatch(batch: Batch, rows: number): Batch {
  if (rows >= batch.size) return batch;
  const [h, w, c] = batch.shape;
  const px = h * w * c;
  return {
    ...batch,
    size: rows,
    x: batch.x.subarray(0, rows * px),
    y: batch.y.subarray(0, rows * batch.numClasses),
    labels: batch.labels.subarray(0, rows),
    indices: batch.indices.subarray(0, rows),
    boxes: batch.boxes?.slice(0, rows),
    masks: batch.masks?.subarray(0, rows * h * w),
  };
}

function defaultWorkerUrl(): URL {
  // Under tsx the sources run as they are; in the app the entry is bundled next to runWorker.js (this
  // code is in runWorker.js or, if the bundler moved it, in a chunk one folder below).
  if (import.meta.url.endsWith('.ts')) return new URL('./replicaWorker.ts', import.meta.url);
  const candidates = [new URL('./replicaWorker.js', import.meta.url), new URL('../replicaWorker.js', import.meta.url)];
  return candidates.find((u) => existsSync(fileURLToPath(u))) ?? candidates[0];
}
