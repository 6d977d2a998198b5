import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';

// Weight initialisation with PyTorch's formulas (torch.nn.init) and correct fans for tfjs kernel layouts.
//
//   heNormal      N(0, σ²),  σ = gain/√fan          gain = √(2/(1+a²)), a = negativeSlope (√2 for ReLU)
//   heUniform     U(−b, b),  b = gain·√(3/fan)       fan = fan_in (default) or fan_out
//   glorotNormal  N(0, σ²),  σ = gain·√(2/(fan_in+fan_out))
//   glorotUniform U(−b, b),  b = gain·√(6/(fan_in+fan_out))
//   normal        N(mean, std²);  zeros, ones, constant
//
// Why not tfjs's own heNormal/glorotNormal: tfjs draws them from a normal truncated at 2σ *without*
// rescaling σ, so their variance is ≈ 0.77 of the intended 2/fan_in (Keras rescales by 1/0.8796);
// and tfjs computes depthwise fans as if the kernel mixed channels.
//
// Fans in tfjs layouts (rf = product of the spatial kernel dims):
//   dense          [in, out]                 fan_in = in,        fan_out = out
//   conv           [kh, kw, cin, cout] (HWIO; also 1-D/3-D)  fan_in = rf·cin,  fan_out = rf·cout
//   depthwise      [kh, kw, cin, mult]       fan_in = rf,        fan_out = rf·mult   (each output sees one channel)
//   convTranspose  [kh, kw, cout, cin]       fan_in = rf·cin,    fan_out = rf·cout   (stride overlap ignored)
// PyTorch differs for grouped/depthwise fan_out (it multiplies by all output channels) and for transposed
// convs (it reads the layout literally); our fans are the number of connections per unit.

export type KernelKind = 'dense' | 'conv' | 'depthwise' | 'convTranspose';

export interface Fans {
  fanIn: number;
  fanOut: number;
}

function product(xs: readonly number[]): number {
  return xs.reduce((a, b) => a * b, 1);
}

/** Kind inferred from rank when not given: 2 → dense, 3–5 → conv. Rank 0/1 use the size for both fans. */
export function computeFans(shape: readonly number[], kind?: KernelKind): Fans {
  const rank = shape.length;
  if (rank < 2) {
    const n = rank === 0 ? 1 : shape[0];
    return { fanIn: n, fanOut: n };
  }
  const k = kind ?? (rank === 2 ? 'dense' : 'conv');
  if (k === 'dense') {
    if (rank !== 2) throw new Error(`a dense kernel has rank 2, got [${shape}]`);
    return { fanIn: shape[0], fanOut: shape[1] };
  }
  if (rank < 3) throw new Error(`a ${k} kernel has rank ≥ 3, got [${shape}]`);
  const rf = product(shape.slice(0, rank - 2));
  const a = shape[rank - 2];
  const b = shape[rank - 1];
  switch (k) {
    case 'conv':
      return { fanIn: rf * a, fanOut: rf * b };
    case 'depthwise':
      return { fanIn: rf, fanOut: rf * b };
    case 'convTranspose':
      return { fanIn: rf * b, fanOut: rf * a };
  }
}

const gainField = z.number().positive().optional();

export const InitializerConfigSchema = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('heNormal'),
    mode: z.enum(['fanIn', 'fanOut']).default('fanIn'),
    negativeSlope: z.number().min(0).default(0),
  }),
  z.object({
    kind: z.literal('heUniform'),
    mode: z.enum(['fanIn', 'fanOut']).default('fanIn'),
    negativeSlope: z.number().min(0).default(0),
  }),
  z.object({ kind: z.literal('glorotNormal'), gain: gainField.default(1) }),
  z.object({ kind: z.literal('glorotUniform'), gain: gainField.default(1) }),
  z.object({ kind: z.literal('normal'), mean: z.number().default(0), std: z.number().positive().default(0.01) }),
  z.object({ kind: z.literal('zeros') }),
  z.object({ kind: z.literal('ones') }),
  z.object({ kind: z.literal('constant'), value: z.number().default(0) }),
]);
export type InitializerConfig = z.infer<typeof InitializerConfigSchema>;
export type InitializerConfigInput = z.input<typeof InitializerConfigSchema>;
export type InitializerKind = InitializerConfig['kind'];

export function defaultInitializerConfig<K extends InitializerKind>(kind: K): Extract<InitializerConfig, { kind: K }> {
  return InitializerConfigSchema.parse({ kind }) as Extract<InitializerConfig, { kind: K }>;
}

/** The standard deviation the config aims for on this shape (0 for constants); used by tests and the UI. */
export function targetStd(config: InitializerConfigInput, shape: readonly number[], kind?: KernelKind): number {
  const c = InitializerConfigSchema.parse(config);
  const { fanIn, fanOut } = computeFans(shape, kind);
  switch (c.kind) {
    case 'heNormal':
    case 'heUniform':
      return Math.sqrt(2 / (1 + c.negativeSlope ** 2)) / Math.sqrt(c.mode === 'fanIn' ? fanIn : fanOut);
    case 'glorotNormal':
    case 'glorotUniform':
      return c.gain * Math.sqrt(2 / (fanIn + fanOut));
    case 'normal':
      return c.std;
    default:
      return 0;
  }
}

/** A fresh float32 tensor of initial values. Give each weight its own seed for reproducible, distinct draws. */
export function initialValue(config: InitializerConfigInput, shape: readonly number[], kind?: KernelKind, seed?: number): tf.Tensor {
  const c = InitializerConfigSchema.parse(config);
  const s = [...shape];
  switch (c.kind) {
    case 'zeros':
      return tf.zeros(s, 'float32');
    case 'ones':
      return tf.ones(s, 'float32');
    case 'constant':
      return tf.fill(s, c.value, 'float32');
    case 'normal':
      return tf.randomNormal(s, c.mean, c.std, 'float32', seed);
    case 'heNormal':
    case 'glorotNormal':
      return tf.randomNormal(s, 0, targetStd(c, shape, kind), 'float32', seed);
    case 'heUniform':
    case 'glorotUniform': {
      const bound = Math.sqrt(3) * targetStd(c, shape, kind);
      return tf.randomUniform(s, -bound, bound, 'float32', seed);
    }
  }
}

/** tfjs's Initializer base class (exported by tfjs-layers only as a type, so reached through Zeros). */
export type TfInitializer = ReturnType<typeof tf.initializers.constant>;
const InitializerBase = Object.getPrototypeOf(tf.initializers.zeros().constructor) as abstract new () => TfInitializer;

interface NetsmithInitializerArgs {
  init: InitializerConfigInput;
  kernelKind?: KernelKind;
  seed?: number;
}

/**
 * A tfjs Initializer (usable as kernelInitializer/biasInitializer of tf.layers) that calls initialValue.
 * Registered for (de)serialisation as 'NetsmithInitializer': a saved topology that mentions it loads only
 * in a process that has imported this module.
 */
export class NetsmithInitializer extends InitializerBase {
  static className = 'NetsmithInitializer';
  private readonly args: NetsmithInitializerArgs;

  constructor(args: NetsmithInitializerArgs) {
    super();
    this.args = { ...args, init: InitializerConfigSchema.parse(args.init) };
  }

  override apply(shape: number[], dtype?: tf.DataType): tf.Tensor {
    if (dtype !== undefined && dtype !== 'float32') throw new Error(`NetsmithInitializer makes float32, not ${dtype}`);
    return initialValue(this.args.init, shape, this.args.kernelKind, this.args.seed);
  }

  override getConfig(): tf.serialization.ConfigDict {
    return JSON.parse(JSON.stringify(this.args)) as tf.serialization.ConfigDict;
  }
}
tf.serialization.registerClass(NetsmithInitializer as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);

export function toTfInitializer(init: InitializerConfigInput, kernelKind?: KernelKind, seed?: number): TfInitializer {
  return new NetsmithInitializer({ init, kernelKind, seed });
}
