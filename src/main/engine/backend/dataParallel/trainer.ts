// The main-thread side of data-parallel training: the trainer keeps its own
// model and optimizer; the pool's workers compute the batch gradients, the
// optimizer applies them here, and the new weights go back to the workers.
import * as tf from '@tensorflow/tfjs';
import { type GradientResult, GradientWorkerPool, type PoolOptions } from './pool';

export type DataParallelStep = GradientResult;

export class DataParallelTrainer {
  private constructor(
    readonly pool: GradientWorkerPool,
    private readonly variables: tf.Variable[],
    private readonly optimizer: tf.Optimizer,
  ) {}

  /**
   * `variables` are the main model's trainable variables, in the order the
   * replica builder returns its own; the workers start from their values.
   */
  static async create(opts: PoolOptions & { variables: tf.Variable[]; optimizer: tf.Optimizer }): Promise<DataParallelTrainer> {
    const pool = await GradientWorkerPool.create(opts);
    const mismatch = opts.variables.findIndex((v, i) => !tf.util.arraysEqual(v.shape, pool.shapes[i] ?? []));
    if (opts.variables.length !== pool.shapes.length || mismatch >= 0) {
      await pool.close();
      throw new Error(`replica variables do not match the model's (first mismatch at ${mismatch})`);
    }
    const trainer = new DataParallelTrainer(pool, opts.variables, opts.optimizer);
    trainer.pushWeights();
    return trainer;
  }

  /** One optimizer step on a batch (x, y split along axis 0 over the workers). */
  async step(x: tf.Tensor, y: tf.Tensor): Promise<DataParallelStep> {
    const [xData, yData] = await Promise.all([x.data(), y.data()]);
    const result = await this.pool.computeGradients(
      { data: xData as Float32Array, shape: x.shape },
      { data: yData as Float32Array | Int32Array, shape: y.shape },
    );
    tf.tidy(() => {
      this.optimizer.applyGradients(this.variables.map((v, i) => ({ name: v.name, tensor: tf.tensor(result.grads[i], v.shape) })));
    });
    this.pushWeights();
    return result;
  }

  /** Copies the main model's BatchNorm statistics etc. from worker 0 into `state` (same order as the replica's). */
  async pullState(state: tf.Variable[]): Promise<void> {
    const values = await this.pool.readState();
    tf.tidy(() => state.forEach((v, i) => v.assign(tf.tensor(values[i], v.shape))));
  }

  async close(): Promise<void> {
    await this.pool.close();
  }

  private pushWeights(): void {
    this.pool.setWeights(this.variables.map((v) => v.dataSync() as Float32Array));
  }
}

/** L2 norm of each gradient, for telemetry (JS, no backend work). */
export function gradientNorms(grads: Float32Array[]): Float32Array {
  return Float32Array.from(grads, (g) => {
    let s = 0;
    for (let i = 0; i < g.length; i++) s += g[i] * g[i];
    return Math.sqrt(s);
  });
}
