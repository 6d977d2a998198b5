import * as tf from '@tensorflow/tfjs';
import { batchNorm as def } from './definition';
import { applyLayer, isTraining, one, type Kwargs } from '../../main/engine/blocks/layer';
import { batchNormTraining } from '../../main/engine/backend/batchNormTraining';
import { channelAffine } from '../../main/engine/export/onnx/ops';
import { ExportError } from '../../main/engine/export/errors';
import { twin } from '../../main/engine/blocks/types';
import { PlainBatchNorm } from './layer';
import { inferenceWhenFrozen } from '../../main/engine/train/frozenMode';

export * from './layer';

interface BatchNormInternals {
  gamma: tf.LayerVariable;
  beta: tf.LayerVariable;
  movingMean: tf.LayerVariable;
  movingVariance: tf.LayerVariable;
  momentum: number;
  epsilon: number;
}

/**
 * tfjs' BatchNormalization (weights, serialization and inference its own) whose training step runs on
 * the fused training op (src/main/engine/backend/batchNormTraining.ts: on wasm ~5 passes over x and its
 * gradient instead of ~20 elementwise ops; elsewhere tf.moments + tf.batchNorm, as tfjs does). The moving
 * statistics are updated exactly as tfjs does (biased batch variance).
 */
export function batchNormalization(args: { momentum: number; epsilon: number; name: string }): tf.layers.Layer {
  const layer = tf.layers.batchNormalization({ axis: -1, ...args });
  const bn = layer as unknown as BatchNormInternals;
  const tfjsCall = layer.call.bind(layer);
  layer.call = (inputs, kwargs) => {
    const x = one(inputs as tf.Tensor | tf.Tensor[]);
    // A frozen BatchNorm normalises with its running statistics (train/frozen.ts).
    if (isTraining(kwargs as Kwargs) && inferenceWhenFrozen(layer)) return tfjsCall(inputs, { ...kwargs, training: false });
    if (!isTraining(kwargs as Kwargs) || x.dtype !== 'float32') return tfjsCall(inputs, kwargs);
    return tf.tidy(() => {
      const { y, mean, variance } = batchNormTraining(x, bn.gamma.read() as tf.Tensor1D, bn.beta.read() as tf.Tensor1D, bn.epsilon);
      for (const [v, value] of [[bn.movingMean, mean], [bn.movingVariance, variance]] as const) {
        const old = v.read();
        v.write(tf.sub(old, tf.mul(tf.sub(old, value), 1 - bn.momentum)));
      }
      return y;
    });
  };
  return layer;
}

/** tfjs' BatchNormalization; Keras' momentum is the weight of the old running value, so PyTorch's m becomes 1 − m. */
export const batchNorm = twin(def, (ctx, [x], p) => {
  if (!p.affine) return applyLayer(new PlainBatchNorm({ name: ctx.name(), opts: { momentum: p.momentum, epsilon: p.epsilon } }), x);
  return applyLayer(batchNormalization({ momentum: 1 - p.momentum, epsilon: p.epsilon, name: ctx.name() }), x);
}, {
  // Inference: ONNX BatchNormalization on images and vectors (channels on axis 1, so importers see the
  // statistics); on tokens, the running statistics folded into one per-channel scale and shift.
  onnx: (ctx, [x], p) => {
    const w = ctx.weights();
    const rank = ctx.inputShapes[0].length;
    if (rank === 2 || rank === 4) {
      const c = w.moving_mean.data.length;
      const stat = (t: { data: Float32Array } | undefined, fill: number, name: string): string => ctx.constant(t?.data ?? new Float32Array(c).fill(fill), [c], name);
      const inputs = [x, stat(w.gamma, 1, 'gamma'), stat(w.beta, 0, 'beta'), stat(w.moving_mean, 0, 'mean'), stat(w.moving_variance, 1, 'var')];
      return ctx.op('BatchNormalization', inputs, { epsilon: { float: p.epsilon }, momentum: { float: 1 - p.momentum } });
    }
    const mean = w.moving_mean.data;
    const variance = w.moving_variance.data;
    const scale = new Float32Array(mean.length);
    const shift = new Float32Array(mean.length);
    for (let i = 0; i < mean.length; i++) {
      scale[i] = (w.gamma?.data[i] ?? 1) / Math.sqrt(variance[i] + p.epsilon);
      shift[i] = (w.beta?.data[i] ?? 0) - mean[i] * scale[i];
    }
    return channelAffine(ctx, x, ctx.inputShapes[0].length, scale, shift, 'affine');
  },
  // nn.BatchNorm2d on images, BatchNorm1d on vectors and on tokens (features moved to axis 1 and back);
  // PyTorch's momentum is the block's own.
  pytorch: (ctx, p) => {
    const rank = ctx.inputShapes[0].length;
    if (rank > 4) throw new ExportError(`BatchNorm on rank-${rank} tensors has no PyTorch layer`);
    const w = ctx.weights();
    const c = w.moving_mean.shape[0];
    const state: Record<string, { data: Float32Array; shape: number[] }> = { running_mean: w.moving_mean, running_var: w.moving_variance };
    if (p.affine) Object.assign(state, { weight: w.gamma, bias: w.beta });
    return {
      module: `nn.BatchNorm${rank === 4 ? 2 : 1}d(${c}, eps=${p.epsilon}, momentum=${p.momentum}${p.affine ? '' : ', affine=False'})`,
      forward: (self, [x]) => (rank === 3 ? `${self}(${x}.transpose(1, 2)).transpose(1, 2)` : `${self}(${x})`),
      state,
    };
  },
});

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [batchNorm];
