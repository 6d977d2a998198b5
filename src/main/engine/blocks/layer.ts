import * as tf from '@tensorflow/tfjs';
import type { TfInitializer } from '../train/initializers';

export type LayerArgs = NonNullable<ConstructorParameters<typeof tf.layers.Layer>[0]>;
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Kwargs = { [key: string]: any };
type Config = tf.serialization.ConfigDict;

/**
 * Base of Netsmith's custom layers. Block options live in `opts` and are serialized as they are; tfjs
 * snake-cases keys and string values on save and camel-cases them on load, so option names and string
 * values must survive that round trip (`spatialKernel`, `geluTanh`: yes; `leaky_relu`: no).
 * Initializers are not serialized: a reloaded model gets its weights from the saved artifacts.
 */
export abstract class NetsmithLayer<O extends Config> extends tf.layers.Layer {
  readonly opts: O;
  protected readonly inits: Readonly<Record<string, TfInitializer>>;

  constructor(args: LayerArgs & { opts: O; inits?: Record<string, TfInitializer> }) {
    const { opts, inits, ...base } = args;
    super(base);
    this.opts = opts;
    this.inits = inits ?? {};
  }

  /** The initializer handed in for `key`, else `fallback`. */
  protected initOf(key: string, fallback: TfInitializer = tf.initializers.zeros()): TfInitializer {
    return this.inits[key] ?? fallback;
  }

  override getConfig(): Config {
    return { ...super.getConfig(), opts: this.opts };
  }
}

type LayerClass = (new (args: never) => tf.layers.Layer) & { className: string };

/** Registers a custom layer class for (de)serialization under its `className` ('Netsmith>…'). */
export function registerLayer<C extends LayerClass>(cls: C): C {
  tf.serialization.registerClass(cls as unknown as tf.serialization.SerializableConstructor<tf.serialization.Serializable>);
  return cls;
}

export const isTraining = (kwargs: Kwargs | undefined): boolean => kwargs?.['training'] === true;

/** The one input tensor of a single-input layer. */
export function one(inputs: tf.Tensor | tf.Tensor[]): tf.Tensor {
  return Array.isArray(inputs) ? inputs[0] : inputs;
}

export function oneShape(shape: tf.Shape | tf.Shape[]): tf.Shape {
  return Array.isArray(shape[0]) ? (shape[0] as tf.Shape) : (shape as tf.Shape);
}

/** Applies a layer to symbolic inputs and returns its single output. */
export function applyLayer(layer: tf.layers.Layer, inputs: tf.SymbolicTensor | tf.SymbolicTensor[]): tf.SymbolicTensor {
  return layer.apply(inputs) as tf.SymbolicTensor;
}
