// One optimizer step on a tf.LayersModel, plain or with gradient telemetry.
import * as tf from '@tensorflow/tfjs';
import { lossOf } from './models';

export interface Stepper {
  /** Runs one step; every `syncEvery` steps reads what the step kept (loss, grad norms) in one sync. */
  step(x: tf.Tensor, y: tf.Tensor): Promise<void>;
  /** Last values read in a sync. */
  last: { loss: number; gradNorms?: Float32Array };
  dispose(): void;
}

/**
 * telemetry: per-variable gradient L2 norms are computed inside the step (on
 * the backend, no sync) and read together with the loss every `syncEvery`
 * steps, as the trainer's probes will be.
 */
export function makeStepper(model: tf.LayersModel, opts: { telemetry?: boolean; syncEvery?: number; learningRate?: number } = {}): Stepper {
  const optimizer = tf.train.adam(opts.learningRate ?? 1e-3);
  const vars = model.trainableWeights.map((w) => w.read() as tf.Variable);
  const syncEvery = opts.syncEvery ?? 10;
  let pending: tf.Tensor[] = [];
  let count = 0;
  const stepper: Stepper = {
    last: { loss: NaN },
    async step(x, y) {
      const kept = tf.tidy(() => {
        const { value, grads } = tf.variableGrads(() => lossOf(model, x, y), vars);
        const norms = opts.telemetry ? tf.stack(vars.map((v) => tf.norm(grads[v.name]))) : null;
        optimizer.applyGradients(vars.map((v) => ({ name: v.name, tensor: grads[v.name] })));
        return norms ? tf.concat([tf.reshape(value, [1]), norms]) : tf.reshape(value, [1]);
      });
      pending.push(kept);
      if (++count % syncEvery === 0) {
        const all = tf.stack(pending);
        const data = await all.data();
        const width = pending[0].size;
        const lastRow = data.subarray(data.length - width);
        stepper.last = { loss: lastRow[0], gradNorms: opts.telemetry ? Float32Array.from(lastRow.subarray(1)) : undefined };
        tf.dispose([all, ...pending]);
        pending = [];
      }
    },
    dispose() {
      tf.dispose(pending);
      optimizer.dispose();
    },
  };
  return stepper;
}
