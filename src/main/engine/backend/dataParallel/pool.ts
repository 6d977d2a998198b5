// Data parallelism over worker threads: each worker holds a replica of the
// model on its own wasm backend, computes the gradients of its slice of the
// batch, and the pool returns the batch-mean loss and gradients. Weights go
// out through one SharedArrayBuffer (workers reload them when the version
// changes), gradients come back through another: no per-step copies besides
// the batch itself.
//
// Note: BatchNorm statistics are per shard (as in PyTorch DDP without
// SyncBatchNorm), so with BN the gradient differs slightly from a
// single-process step on the whole batch.
import { availableParallelism } from 'node:os';
import { Worker } from 'node:worker_threads';
import type { ArrayData, FromWorker, ReplicaSpec, ToWorker } from './protocol';

export type { ArrayData, Replica, ReplicaBuilder, ReplicaSpec } from './protocol';

export interface PoolOptions {
  replica: ReplicaSpec;
  /** Number of worker threads; default: the number of cores. */
  workers?: number;
  /** The worker's entry module: one that calls `serveReplicas` (workerMain.ts); a `.ts` entry runs under tsx. */
  workerUrl: URL;
}

export interface GradientResult {
  /** Mean loss over the whole batch (over the rows sent, for computeShards). */
  loss: number;
  /** Same for the replica's per-step metric; NaN when the replica returns none. */
  metric: number;
  /** Batch-mean gradient per variable (views into a buffer reused by the next call). */
  grads: Float32Array[];
  /** CPU time each worker thread spent on its shard (NaN where the OS does not say). */
  workerCpuMs: number[];
}

interface Pending {
  resolve: (m: FromWorker) => void;
  reject: (e: Error) => void;
}

function spawn(url: URL): Worker {
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  // Running from sources under tsx: Node 20 does not apply the inherited
  // `--import tsx` hooks to a worker's entry module, so register them first.
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true });
}

class WorkerHandle {
  private waiting: Pending[] = [];

  constructor(readonly worker: Worker) {
    worker.on('message', (m: FromWorker) => {
      const p = this.waiting.shift();
      if (p == null) return;
      if (m.type === 'error') p.reject(new Error(`data-parallel worker failed: ${m.message}`));
      else p.resolve(m);
    });
    worker.on('error', (e) => this.failAll(e));
    worker.on('exit', (code) => this.failAll(new Error(`data-parallel worker exited with code ${code}`)));
  }

  private failAll(e: Error): void {
    for (const p of this.waiting.splice(0)) p.reject(e);
  }

  /** Sends a message that gets exactly one reply. */
  request<T extends FromWorker['type']>(m: ToWorker, expect: T): Promise<Extract<FromWorker, { type: T }>> {
    return new Promise((resolve, reject) => {
      this.waiting.push({
        resolve: (r) => (r.type === expect ? resolve(r as Extract<FromWorker, { type: T }>) : reject(new Error(`expected ${expect}, got ${r.type}`))),
        reject,
      });
      this.worker.postMessage(m);
    });
  }

  send(m: ToWorker): void {
    this.worker.postMessage(m);
  }
}

export class GradientWorkerPool {
  private version = 0;
  private nextId = 0;
  private readonly sum: Float32Array;

  private constructor(
    private readonly handles: WorkerHandle[],
    /** Shapes of the trainable variables, in order. */
    readonly shapes: number[][],
    readonly stateShapes: number[][],
    private readonly offsets: number[],
    private readonly total: number,
    private readonly weights: Float32Array,
    private readonly grads: Float32Array,
  ) {
    this.sum = new Float32Array(total);
  }

  /** Starts the workers, builds a replica in each and aligns all replicas on worker 0's initial weights. */
  static async create(opts: PoolOptions): Promise<GradientWorkerPool> {
    const count = Math.max(1, opts.workers ?? availableParallelism());
    const url = opts.workerUrl;
    const handles = Array.from({ length: count }, () => new WorkerHandle(spawn(url)));
    try {
      const ready = await Promise.all(handles.map((h, index) => h.request({ type: 'init', index, spec: opts.replica }, 'ready')));
      const { shapes, stateShapes } = ready[0];
      const sizes = shapes.map((s) => s.reduce((a, b) => a * b, 1));
      const offsets = sizes.map((_, i) => sizes.slice(0, i).reduce((a, b) => a + b, 0));
      const total = sizes.reduce((a, b) => a + b, 0);
      const weightsSab = new SharedArrayBuffer(4 * total);
      const gradsSab = new SharedArrayBuffer(4 * total * count);
      for (const h of handles) h.send({ type: 'buffers', weights: weightsSab, grads: gradsSab, offsets, total });
      const pool = new GradientWorkerPool(handles, shapes, stateShapes, offsets, total, new Float32Array(weightsSab), new Float32Array(gradsSab));
      await handles[0].request({ type: 'exportWeights', version: 0 }, 'exported');
      return pool;
    } catch (e) {
      await Promise.all(handles.map((h) => h.worker.terminate()));
      throw e;
    }
  }

  get size(): number {
    return this.handles.length;
  }

  /** Current weights (all variables, flattened in order); a copy. */
  getWeights(): Float32Array[] {
    return this.shapes.map((_, i) => this.weights.slice(this.offsets[i], this.offsets[i] + this.sizeOf(i)));
  }

  /** New weights for every variable, in order; workers load them before their next step. */
  setWeights(values: ArrayLike<number>[]): void {
    if (values.length !== this.shapes.length) throw new Error(`expected ${this.shapes.length} weight arrays, got ${values.length}`);
    values.forEach((v, i) => {
      if (v.length !== this.sizeOf(i)) throw new Error(`weight ${i}: expected ${this.sizeOf(i)} values, got ${v.length}`);
      this.weights.set(v, this.offsets[i]);
    });
    this.version++;
  }

  /** Splits the batch (axis 0 of x and y) over the workers; returns batch-mean loss and gradients. */
  computeGradients(x: ArrayData, y: ArrayData): Promise<GradientResult> {
    return this.computeShards({ x, y });
  }

  /**
   * Rows [from, n) of the arrays (axis 0), split evenly over the workers; each worker scales its results by
   * its rows / `total` (default n), so the sums returned are those rows' share of the batch mean. The
   * messages go out before this returns: the caller may compute rows [0, from) itself meanwhile.
   */
  async computeShards(batch: { x: ArrayData; y: ArrayData; extras?: ArrayData[] }, opts: { from?: number; total?: number } = {}): Promise<GradientResult> {
    const n = batch.x.shape[0];
    const from = opts.from ?? 0;
    const total = opts.total ?? n;
    const rows = n - from;
    const shards = Math.min(this.handles.length, rows);
    const id = this.nextId++;
    const replies = await Promise.all(this.handles.slice(0, shards).map((h, w) => {
      const a = from + Math.floor((w * rows) / shards);
      const b = from + Math.floor(((w + 1) * rows) / shards);
      return h.request({
        type: 'step', id, version: this.version, scale: (b - a) / total,
        x: slice(batch.x, a, b), y: slice(batch.y, a, b), extras: batch.extras?.map((e) => slice(e, a, b)),
      }, 'stepDone');
    }));
    this.sum.fill(0);
    for (let w = 0; w < shards; w++) {
      const g = this.grads.subarray(w * this.total, (w + 1) * this.total);
      for (let j = 0; j < this.total; j++) this.sum[j] += g[j];
    }
    return {
      loss: replies.reduce((s, r) => s + r.loss, 0),
      metric: replies.reduce((s, r) => s + r.metric, 0),
      grads: this.shapes.map((_, i) => this.sum.subarray(this.offsets[i], this.offsets[i] + this.sizeOf(i))),
      workerCpuMs: replies.map((r) => r.cpuMs),
    };
  }

  /** Non-trainable state (BatchNorm moving statistics) of worker 0's replica. */
  async readState(): Promise<Float32Array[]> {
    return (await this.handles[0].request({ type: 'readState' }, 'state')).values;
  }

  async close(): Promise<void> {
    await Promise.all(this.handles.map((h) => h.worker.terminate()));
  }

  private sizeOf(i: number): number {
    return this.shapes[i].reduce((a, b) => a * b, 1);
  }
}

function slice(a: ArrayData, from: number, to: number): ArrayData {
  const row = a.shape.slice(1).reduce((p, d) => p * d, 1);
  return { data: a.data.slice(from * row, to * row) as ArrayData['data'], shape: [to - from, ...a.shape.slice(1)] };
}
