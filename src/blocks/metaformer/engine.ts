import * as tf from '@tensorflow/tfjs';
import { metaformer as def, metaformerHidden } from './definition';
import { Activation } from '../activations/engine';
import { applyLayer } from '../../main/engine/blocks/layer';
import { activationNodes, channelAffine, convNode } from '../../main/engine/export/onnx/ops';
import { torchConvWeight } from '../../main/engine/export/pytorch/ops';
import type { WeightArray } from '../../main/engine/blocks/types';
import { twin } from '../../main/engine/blocks/types';
import { TokenMixer } from './layer';

export * from './layer';

const bnLayer = (name: string) => tf.layers.batchNormalization({ axis: -1, momentum: 0.9, epsilon: 1e-5, name });

/**
 * `<node>__norm1 → __mixer → __add1 → __fc1 → __norm2 → __gelu → __fc2 → __norm3 → <node>` (the final add), so
 * probes see each part. BatchNorms as PyTorch's defaults (momentum 0.1, ε 1e-5).
 */
export const metaformer = twin(def, (ctx, [x], p) => {
  const c = x.shape[3] as number;
  const m = metaformerHidden(c, p.mlpRatio);
  let h = applyLayer(bnLayer(ctx.name('norm1')), x);
  // γ ~ U(−1, 1), PyTorch's default for RiFormer's depthwise 1×1 conv (γ = 1 would make the mixer 0 and cut BN₁'s gradient).
  const gamma = tf.initializers.randomUniform({ minval: -1, maxval: 1, seed: ctx.seed() });
  h = applyLayer(new TokenMixer({ name: ctx.name('mixer'), opts: { mixer: p.mixer, poolSize: p.poolSize }, inits: { gamma } }), h);
  const x1 = applyLayer(tf.layers.add({ name: ctx.name('add1') }), [x, h]);
  h = applyLayer(tf.layers.conv2d({ filters: m, kernelSize: 1, kernelInitializer: ctx.kernelInit('conv'), name: ctx.name('fc1') }), x1);
  h = applyLayer(bnLayer(ctx.name('norm2')), h);
  h = applyLayer(new Activation({ name: ctx.name('gelu'), opts: { fn: 'gelu', alpha: 1 } }), h);
  h = applyLayer(tf.layers.conv2d({ filters: c, kernelSize: 1, kernelInitializer: ctx.kernelInit('conv'), name: ctx.name('fc2') }), h);
  h = applyLayer(bnLayer(ctx.name('norm3')), h);
  return applyLayer(tf.layers.add({ name: ctx.name() }), [x1, h]);
}, {
  // Inference: the BatchNorms folded into per-channel scales and shifts.
  onnx: (ctx, [x], p) => {
    const bn = (t: string, s: string) => {
      const { scale, shift } = foldBn(ctx.weights(s));
      return channelAffine(ctx, t, 4, scale, shift, s);
    };
    const h = bn(x, 'norm1');
    let mixed: string;
    if (p.mixer === 'pool') {
      const k = p.poolSize;
      const r = k >> 1;
      mixed = ctx.op('AveragePool', [h], { kernel_shape: [k, k], strides: [1, 1], pads: [r, r, r, r], count_include_pad: 0 }, 'pool');
    } else {
      const w = ctx.weights('mixer');
      mixed = channelAffine(ctx, h, 4, w.gamma.data, w.beta.data, 'affine');
    }
    const x1 = ctx.op('Add', [x, ctx.op('Sub', [mixed, h], {}, 'mix')], {}, 'add1');
    const pointwise = { kernel: 1, stride: 1, padding: 'valid' as const, pad: 0, groups: 1, depthwise: false };
    let y = bn(convNode(ctx, x1, pointwise, 'fc1'), 'norm2');
    y = activationNodes(ctx, y, 'gelu', 1, 'gelu');
    y = bn(convNode(ctx, y, pointwise, 'fc2'), 'norm3');
    return ctx.op('Add', [x1, y]);
  },
  pytorch: (ctx, p) => {
    const c = ctx.inputShapes[0][3] as number;
    const m = metaformerHidden(c, p.mlpRatio);
    const bn = (s: string, prefix: string): Record<string, WeightArray> => {
      const w = ctx.weights(s);
      return { [`${prefix}.weight`]: w.gamma, [`${prefix}.bias`]: w.beta, [`${prefix}.running_mean`]: w.moving_mean, [`${prefix}.running_var`]: w.moving_variance };
    };
    const conv = (s: string, prefix: string): Record<string, WeightArray> => {
      const w = ctx.weights(s);
      return { [`${prefix}.weight`]: torchConvWeight(w.kernel, false), [`${prefix}.bias`]: w.bias };
    };
    const mixerState: Record<string, WeightArray> = {};
    if (p.mixer === 'affine') {
      // RiFormer's Affine: a depthwise 1×1 conv with bias (mmpretrain), weight [C, 1, 1, 1].
      const w = ctx.weights('mixer');
      mixerState['mixer.weight'] = { data: w.gamma.data, shape: [c, 1, 1, 1] };
      mixerState['mixer.bias'] = w.beta;
    }
    const modules = [`'norm1': nn.BatchNorm2d(${c})`];
    if (p.mixer === 'affine') modules.push(`'mixer': nn.Conv2d(${c}, ${c}, 1, groups=${c}, bias=True)`);
    modules.push(`'mlp': nn.Sequential(nn.Conv2d(${c}, ${m}, 1), nn.BatchNorm2d(${m}), nn.GELU(), nn.Conv2d(${m}, ${c}, 1), nn.BatchNorm2d(${c}))`);
    const k = p.poolSize;
    return {
      module: `nn.ModuleDict({${modules.join(', ')}})`,
      forward: (self, [x]) => {
        const mix = p.mixer === 'pool' ? `F.avg_pool2d(h, ${k}, 1, ${k >> 1}, count_include_pad=False)` : `${self}['mixer'](h)`;
        return `(lambda x, h: (lambda y: y + ${self}['mlp'](y))(x + ${mix} - h))(${x}, ${self}['norm1'](${x}))`;
      },
      state: { ...bn('norm1', 'norm1'), ...mixerState, ...conv('fc1', 'mlp.0'), ...bn('norm2', 'mlp.1'), ...conv('fc2', 'mlp.3'), ...bn('norm3', 'mlp.4') },
    };
  },
});

function foldBn(w: Record<string, WeightArray>, epsilon = 1e-5): { scale: Float32Array; shift: Float32Array } {
  const mean = w.moving_mean.data;
  const scale = new Float32Array(mean.length);
  const shift = new Float32Array(mean.length);
  for (let i = 0; i < mean.length; i++) {
    scale[i] = w.gamma.data[i] / Math.sqrt(w.moving_variance.data[i] + epsilon);
    shift[i] = w.beta.data[i] - mean[i] * scale[i];
  }
  return { scale, shift };
}

/** The unit's engine twins (src/blocks/registry.ts). */
export const twins = [metaformer];
