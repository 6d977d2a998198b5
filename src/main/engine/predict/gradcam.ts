/**
 * Grad-CAM (Selvaraju et al., 2017) on any graph the lab compiles, through public tfjs API only.
 *
 * The chosen layer's `call` is wrapped for the duration of one pass so its output becomes A + ε, with ε a zero
 * tensor we differentiate against: ∂score/∂ε = ∂score/∂A, whatever the graph does around the layer (skip
 * connections, several heads). Then α_k = mean over (i, j) of ∂y^c/∂A^k_ij, and the map is
 * ReLU(Σ_k α_k A^k), min-max normalised to 0..1 (as the pytorch-grad-cam package does).
 */
import * as tf from '@tensorflow/tfjs';

type CallFn = (inputs: tf.Tensor | tf.Tensor[], kwargs: Record<string, unknown>) => tf.Tensor | tf.Tensor[];

interface Hooks {
  /** Layers whose output is copied out (kept: the caller disposes). */
  capture?: readonly string[];
  /** Adds `eps` to this layer's output. */
  perturb?: { layer: string; eps: tf.Tensor };
}

/** Runs the model on `x` (inference mode) with capture / perturbation hooks on some layers. */
export function applyWithHooks(model: tf.LayersModel, x: tf.Tensor, hooks: Hooks): { outputs: tf.Tensor[]; captured: Map<string, tf.Tensor> } {
  const captured = new Map<string, tf.Tensor>();
  const names = new Set([...(hooks.capture ?? []), ...(hooks.perturb ? [hooks.perturb.layer] : [])]);
  const restore: (() => void)[] = [];
  try {
    for (const name of names) {
      const layer = model.getLayer(name) as unknown as { call: CallFn };
      const original = layer.call;
      const hooked: CallFn = function (this: unknown, inputs, kwargs) {
        const raw = original.call(this, inputs, kwargs);
        let out = Array.isArray(raw) ? raw[0] : raw;
        if (hooks.perturb?.layer === name) out = out.add(hooks.perturb.eps);
        if (hooks.capture?.includes(name)) captured.set(name, tf.keep(out.clone()));
        return Array.isArray(raw) ? [out, ...raw.slice(1)] : out;
      };
      layer.call = hooked;
      restore.push(() => {
        // The original is the prototype's method: removing the own property brings it back.
        delete (layer as { call?: CallFn }).call;
        if (layer.call !== original) layer.call = original;
      });
    }
    const out = model.apply(x, { training: false }) as tf.Tensor | tf.Tensor[];
    return { outputs: Array.isArray(out) ? out : [out], captured };
  } finally {
    for (const r of restore) r();
  }
}

export interface CamResult {
  /** rows × cols, 0..1. */
  heat: Float32Array;
  rows: number;
  cols: number;
  /** The un-normalised ReLU(Σ α_k A^k) range, and whether every gradient was zero. */
  max: number;
  zeroGradient: boolean;
}

/**
 * Grad-CAM of `score` (a scalar function of the model's outputs, e.g. one class's logit) at `layer`, whose
 * output must be [1, H, W, C].
 */
export function gradCam(model: tf.LayersModel, x: tf.Tensor4D, layer: string, score: (outputs: tf.Tensor[]) => tf.Scalar): CamResult {
  const shape = model.getLayer(layer).outputShape as (number | null)[];
  if (shape.length !== 4) throw new Error(`layer '${layer}' has no spatial output (shape ${JSON.stringify(shape)})`);
  const [, rows, cols, channels] = shape as number[];
  let activation: tf.Tensor | undefined;
  const eps = tf.zeros([1, rows, cols, channels]);
  try {
    const grads = tf.grad((e: tf.Tensor) => {
      const { outputs, captured } = applyWithHooks(model, x, { capture: [layer], perturb: { layer, eps: e } });
      activation = captured.get(layer);
      return score(outputs);
    })(eps);
    const { cam, zero } = tf.tidy(() => {
      const weights = grads.mean([1, 2], true); // [1, 1, 1, C]
      const weighted = activation!.mul(weights).sum(-1).relu(); // [1, H, W]
      return { cam: weighted, zero: grads.abs().max() };
    });
    const raw = cam.dataSync() as Float32Array;
    const zeroGradient = zero.dataSync()[0] === 0;
    tf.dispose([grads, cam, zero]);
    return { ...normalise(raw), rows, cols, zeroGradient };
  } finally {
    tf.dispose([eps, ...(activation ? [activation] : [])]);
  }
}

/** (v − min)/(max − min); all zeros when flat. */
export function normalise(raw: Float32Array): { heat: Float32Array; max: number } {
  let lo = Infinity;
  let hi = -Infinity;
  for (const v of raw) {
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  const heat = new Float32Array(raw.length);
  const span = hi - lo;
  if (span > 0) for (let i = 0; i < raw.length; i++) heat[i] = (raw[i] - lo) / span;
  return { heat, max: hi };
}
