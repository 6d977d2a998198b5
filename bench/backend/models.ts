// The three benchmark networks, built with tf.layers (plus two small custom
// layers for the ViT). They mirror bench/torch_ref.py layer for layer; the
// graph compiler will later produce these from templates.
import * as tf from '@tensorflow/tfjs';
import { batchNormTraining } from '../../src/main/engine/backend/batchNormTraining';

/** 'resnet' uses our fused training BatchNorm op; 'resnet-layersbn' the same net with tf.layers' BatchNormalization. */
export type ModelName = 'lenet' | 'resnet' | 'resnet-layersbn' | 'vit';
export const MODEL_NAMES: ModelName[] = ['lenet', 'resnet', 'vit'];

export const INPUT_SHAPES: Record<ModelName, [number, number, number]> = {
  lenet: [28, 28, 1],
  resnet: [32, 32, 3],
  'resnet-layersbn': [32, 32, 3],
  vit: [32, 32, 3],
};

/** The network bench/torch_ref.py trains for a model name. */
export const torchName = (name: ModelName): string => (name.startsWith('resnet') ? 'resnet' : name);
export const NUM_CLASSES = 10;

export function buildModel(name: ModelName): tf.LayersModel {
  switch (name) {
    case 'lenet': return lenet();
    case 'resnet': return resnet(fusedBn);
    case 'resnet-layersbn': return resnet(() => tf.layers.batchNormalization({ epsilon: 1e-3, momentum: 0.99 }));
    case 'vit': return vit();
  }
}

function lenet(): tf.LayersModel {
  return tf.sequential({
    layers: [
      tf.layers.conv2d({ inputShape: INPUT_SHAPES.lenet, filters: 16, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.conv2d({ filters: 32, kernelSize: 3, padding: 'same', activation: 'relu' }),
      tf.layers.maxPooling2d({ poolSize: 2 }),
      tf.layers.flatten(),
      tf.layers.dense({ units: NUM_CLASSES }),
    ],
  });
}

/**
 * BatchNormalization (over all axes but channels) on the backend's fused
 * training op: what the engine's BatchNorm block is meant to use.
 */
export class FusedBatchNorm extends tf.layers.Layer {
  static className = 'NetsmithFusedBatchNorm';
  private gamma!: tf.LayerVariable;
  private beta!: tf.LayerVariable;
  private movingMean!: tf.LayerVariable;
  private movingVariance!: tf.LayerVariable;

  constructor(readonly config: { epsilon?: number; momentum?: number; name?: string } = {}) {
    super(config);
  }

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const c = (inputShape as number[])[(inputShape as number[]).length - 1];
    this.gamma = this.addWeight('gamma', [c], 'float32', tf.initializers.ones());
    this.beta = this.addWeight('beta', [c], 'float32', tf.initializers.zeros());
    this.movingMean = this.addWeight('moving_mean', [c], 'float32', tf.initializers.zeros(), undefined, false);
    this.movingVariance = this.addWeight('moving_variance', [c], 'float32', tf.initializers.ones(), undefined, false);
    this.built = true;
  }

  override call(inputs: tf.Tensor | tf.Tensor[], kwargs: { training?: boolean }): tf.Tensor {
    const x = Array.isArray(inputs) ? inputs[0] : inputs;
    const eps = this.config.epsilon ?? 1e-3;
    const gamma = this.gamma.read() as tf.Tensor1D;
    const beta = this.beta.read() as tf.Tensor1D;
    if (!kwargs.training) return tf.batchNorm(x, this.movingMean.read(), this.movingVariance.read(), beta, gamma, eps);
    const { y, mean, variance } = batchNormTraining(x, gamma, beta, eps);
    const m = this.config.momentum ?? 0.99;
    const n = x.size / x.shape[x.rank - 1];
    tf.tidy(() => {
      this.movingMean.write(tf.add(tf.mul(this.movingMean.read(), m), tf.mul(mean, 1 - m)));
      this.movingVariance.write(tf.add(tf.mul(this.movingVariance.read(), m), tf.mul(variance, (1 - m) * n / Math.max(1, n - 1))));
    });
    return y;
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), epsilon: this.config.epsilon ?? 1e-3, momentum: this.config.momentum ?? 0.99 };
  }
}

const fusedBn = () => new FusedBatchNorm({ epsilon: 1e-3, momentum: 0.99 });
type BnFactory = () => tf.layers.Layer;

function convBn(x: tf.SymbolicTensor, filters: number, kernelSize: number, strides: number, bn: BnFactory): tf.SymbolicTensor {
  const conv = tf.layers.conv2d({ filters, kernelSize, strides, padding: 'same', useBias: false });
  return bn().apply(conv.apply(x)) as tf.SymbolicTensor;
}

function basicBlock(x: tf.SymbolicTensor, filters: number, strides: number, bn: BnFactory): tf.SymbolicTensor {
  let y = tf.layers.reLU().apply(convBn(x, filters, 3, strides, bn)) as tf.SymbolicTensor;
  y = convBn(y, filters, 3, 1, bn);
  const inChannels = x.shape[3];
  const shortcut = strides !== 1 || inChannels !== filters ? convBn(x, filters, 1, strides, bn) : x;
  return tf.layers.reLU().apply(tf.layers.add().apply([y, shortcut])) as tf.SymbolicTensor;
}

function resnet(bn: BnFactory): tf.LayersModel {
  const input = tf.input({ shape: INPUT_SHAPES.resnet });
  let x = tf.layers.reLU().apply(convBn(input, 32, 3, 1, bn)) as tf.SymbolicTensor;
  x = basicBlock(x, 32, 1, bn);
  x = basicBlock(x, 64, 2, bn);
  x = tf.layers.globalAveragePooling2d({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: NUM_CLASSES }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Prepends a learned class token and adds a learned position embedding: [B, N, D] -> [B, N+1, D]. */
export class ClassTokenPosEmbedding extends tf.layers.Layer {
  static className = 'NetsmithClassTokenPosEmbedding';
  private cls!: tf.LayerVariable;
  private pos!: tf.LayerVariable;

  override build(inputShape: tf.Shape | tf.Shape[]): void {
    const [, n, d] = inputShape as number[];
    this.cls = this.addWeight('cls', [1, 1, d], 'float32', tf.initializers.zeros());
    this.pos = this.addWeight('pos', [1, n + 1, d], 'float32', tf.initializers.truncatedNormal({ stddev: 0.02 }));
    this.built = true;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, n, d] = inputShape as number[];
    return [b, n + 1, d];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const cls = tf.tile(this.cls.read(), [x.shape[0], 1, 1]);
      return tf.add(tf.concat([cls, x], 1), this.pos.read());
    });
  }
}

/** Scaled dot-product attention over a fused qkv projection: [B, T, 3D] -> [B, T, D]. */
export class MultiHeadAttentionCore extends tf.layers.Layer {
  static className = 'NetsmithMultiHeadAttentionCore';
  readonly heads: number;

  constructor(config: { heads: number; name?: string }) {
    super(config);
    this.heads = config.heads;
  }

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, t, d3] = inputShape as number[];
    return [b, t, d3 / 3];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const qkv = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, t, d3] = qkv.shape;
      const d = d3 / 3;
      const h = this.heads;
      const dh = d / h;
      const split = tf.transpose(tf.reshape(qkv, [b, t, 3, h, dh]), [2, 0, 3, 1, 4]); // [3, B, H, T, dh]
      const [q, k, v] = tf.unstack(split).map((z) => tf.reshape(z, [b * h, t, dh]));
      const att = tf.softmax(tf.mul(tf.matMul(q, k, false, true), 1 / Math.sqrt(dh)));
      const y = tf.reshape(tf.matMul(att, v), [b, h, t, dh]);
      return tf.reshape(tf.transpose(y, [0, 2, 1, 3]), [b, t, d]);
    });
  }

  override getConfig(): tf.serialization.ConfigDict {
    return { ...super.getConfig(), heads: this.heads };
  }
}

/** The class token's output: [B, T, D] -> [B, D]. */
export class ClassTokenOutput extends tf.layers.Layer {
  static className = 'NetsmithClassTokenOutput';

  override computeOutputShape(inputShape: tf.Shape | tf.Shape[]): tf.Shape {
    const [b, , d] = inputShape as number[];
    return [b, d];
  }

  override call(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
    return tf.tidy(() => {
      const x = Array.isArray(inputs) ? inputs[0] : inputs;
      const [b, , d] = x.shape;
      return tf.reshape(tf.slice(x, [0, 0, 0], [-1, 1, -1]), [b, d]);
    });
  }
}

for (const cls of [ClassTokenPosEmbedding, MultiHeadAttentionCore, ClassTokenOutput, FusedBatchNorm]) tf.serialization.registerClass(cls);

export interface VitConfig { dim: number; depth: number; heads: number; mlp: number; patch: number }
export const VIT_CONFIG: VitConfig = { dim: 64, depth: 2, heads: 4, mlp: 128, patch: 4 };

function encoderBlock(x: tf.SymbolicTensor, c: VitConfig): tf.SymbolicTensor {
  const ln1 = tf.layers.layerNormalization({ epsilon: 1e-6 }).apply(x) as tf.SymbolicTensor;
  const qkv = tf.layers.dense({ units: 3 * c.dim }).apply(ln1) as tf.SymbolicTensor;
  const att = new MultiHeadAttentionCore({ heads: c.heads }).apply(qkv) as tf.SymbolicTensor;
  const proj = tf.layers.dense({ units: c.dim }).apply(att) as tf.SymbolicTensor;
  x = tf.layers.add().apply([x, proj]) as tf.SymbolicTensor;
  const ln2 = tf.layers.layerNormalization({ epsilon: 1e-6 }).apply(x) as tf.SymbolicTensor;
  const fc1 = tf.layers.dense({ units: c.mlp, activation: 'gelu' }).apply(ln2) as tf.SymbolicTensor;
  const fc2 = tf.layers.dense({ units: c.dim }).apply(fc1) as tf.SymbolicTensor;
  return tf.layers.add().apply([x, fc2]) as tf.SymbolicTensor;
}

function vit(c: VitConfig = VIT_CONFIG): tf.LayersModel {
  const [h, w] = INPUT_SHAPES.vit;
  const tokens = (h / c.patch) * (w / c.patch);
  const input = tf.input({ shape: INPUT_SHAPES.vit });
  let x = tf.layers.conv2d({ filters: c.dim, kernelSize: c.patch, strides: c.patch }).apply(input) as tf.SymbolicTensor;
  x = tf.layers.reshape({ targetShape: [tokens, c.dim] }).apply(x) as tf.SymbolicTensor;
  x = new ClassTokenPosEmbedding({}).apply(x) as tf.SymbolicTensor;
  for (let i = 0; i < c.depth; i++) x = encoderBlock(x, c);
  x = tf.layers.layerNormalization({ epsilon: 1e-6 }).apply(x) as tf.SymbolicTensor;
  x = new ClassTokenOutput({}).apply(x) as tf.SymbolicTensor;
  const out = tf.layers.dense({ units: NUM_CLASSES }).apply(x) as tf.SymbolicTensor;
  return tf.model({ inputs: input, outputs: out });
}

/** Synthetic batch: uniform images and one-hot labels (fixed seed). */
export function syntheticBatch(name: ModelName, batch: number, seed = 1): { x: tf.Tensor4D; y: tf.Tensor2D } {
  return tf.tidy(() => {
    const x = tf.randomUniform([batch, ...INPUT_SHAPES[name]], 0, 1, 'float32', seed) as tf.Tensor4D;
    const labels = tf.randomUniform([batch], 0, NUM_CLASSES, 'int32', seed + 1) as tf.Tensor1D;
    return { x, y: tf.oneHot(labels, NUM_CLASSES).toFloat() as tf.Tensor2D };
  });
}

/** Mean softmax cross-entropy of a training-mode forward pass. */
export function lossOf(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor): tf.Scalar {
  const logits = model.apply(x, { training: true }) as tf.Tensor;
  return tf.losses.softmaxCrossEntropy(y, logits) as tf.Scalar;
}
