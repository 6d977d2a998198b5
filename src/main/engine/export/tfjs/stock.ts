// What a stock `tf.loadLayersModel` (no netsmith-layers.js) needs from an exported topology.

/** Class names of the layers only netsmith-layers.js defines. */
export const CUSTOM_LAYER_PREFIX = 'Netsmith>';

interface SerializedObject {
  class_name: string;
  config: Record<string, unknown>;
}

const isSerialized = (v: unknown): v is SerializedObject =>
  typeof v === 'object' && v !== null && typeof (v as SerializedObject).class_name === 'string' && typeof (v as SerializedObject).config === 'object';

/**
 * The stock initializer closest to a NetsmithInitializer config. Only the class name matters for loading
 * (the weights come from weights.bin); the stock one re-initialises a layer a user rebuilds or trains anew.
 */
function stockInitializer(args: Record<string, unknown>): SerializedObject {
  const init = (args.init ?? {}) as { kind?: string; value?: number; mean?: number; std?: number };
  const seed = typeof args.seed === 'number' ? { seed: args.seed } : {};
  switch (init.kind) {
    case 'zeros':
      return { class_name: 'Zeros', config: {} };
    case 'ones':
      return { class_name: 'Ones', config: {} };
    case 'constant':
      return { class_name: 'Constant', config: { value: init.value ?? 0 } };
    case 'normal':
      return { class_name: 'RandomNormal', config: { mean: init.mean ?? 0, stddev: init.std ?? 1, ...seed } };
    case 'heNormal':
      return { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'normal', ...seed } };
    case 'heUniform':
      return { class_name: 'VarianceScaling', config: { scale: 2, mode: 'fan_in', distribution: 'uniform', ...seed } };
    case 'glorotNormal':
      return { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'normal', ...seed } };
    default:
      return { class_name: 'VarianceScaling', config: { scale: 1, mode: 'fan_avg', distribution: 'uniform', ...seed } };
  }
}

/** A copy of a saved topology with every NetsmithInitializer replaced by its stock counterpart. */
export function withStockInitializers<T>(topology: T): T {
  const walk = (v: unknown): unknown => {
    if (Array.isArray(v)) return v.map(walk);
    if (typeof v !== 'object' || v === null) return v;
    if (isSerialized(v) && v.class_name === 'NetsmithInitializer') return stockInitializer(v.config);
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
  };
  return walk(topology) as T;
}

/** The distinct custom layer classes a saved topology names (each needs netsmith-layers.js to load). */
export function customLayerClasses(topology: unknown): string[] {
  const found = new Set<string>();
  const walk = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(walk);
    else if (typeof v === 'object' && v !== null) {
      if (isSerialized(v) && v.class_name.startsWith(CUSTOM_LAYER_PREFIX)) found.add(v.class_name);
      Object.values(v).forEach(walk);
    }
  };
  walk(topology);
  return [...found].sort();
}
