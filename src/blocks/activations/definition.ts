import type { Shape } from '../../shared/graph/types';
import { ACTIVATION_OPS, resolveAxis } from '../../shared/blocks/common';
import { float, int, oneOf, type ParamSpecs, type ParamsOf } from '../../shared/blocks/params';
import { elements, lastDim } from '../../shared/blocks/shapeMath';
import { defineBlock, ShapeError, type BlockDef, type DocCard, type ProbeKind } from '../../shared/blocks/types';

type ActKey = keyof typeof ACTIVATION_OPS;

/** The function the activation probes report (dead-ReLU and saturation checks); the rest are 'other'. */
const PROBED_AS: Partial<Record<ActKey, Extract<ProbeKind, { kind: 'activation' }>['activation']>> = { relu: 'relu', relu6: 'relu', sigmoid: 'sigmoid', tanh: 'tanh' };

interface ActivationInit<S extends ParamSpecs> {
  key: ActKey;
  title: string;
  params: S;
  doc: Omit<DocCard, 'flopsFormula' | 'paramsFormula'> & { paramsFormula?: string };
  /** PReLU: one learned slope per channel (the last axis). */
  perChannel?: boolean;
  check?(x: Shape, p: ParamsOf<S>): void;
}

/** Every activation keeps the shape; only the element-wise op count (and PReLU's slopes) differ. */
function activation<S extends ParamSpecs>(init: ActivationInit<S>): BlockDef<S> {
  const opsPer = ACTIVATION_OPS[init.key];
  return defineBlock({
    type: `act/${init.key}`,
    title: init.title,
    family: 'activation',
    probe: { kind: 'activation', activation: PROBED_AS[init.key] ?? 'other' },
    trainable: init.perChannel === true,
    params: init.params,
    inferShape([x], p) {
      if (x.length < 2) throw new ShapeError(`${init.title} needs at least one feature dimension`);
      init.check?.(x, p);
      return x;
    },
    cost: ([x], out) => ({ params: init.perChannel ? lastDim(x) : 0, macs: 0, ops: opsPer * elements(out) }),
    doc: { paramsFormula: '0', flopsFormula: `0 MACs; ≈ ${opsPer} op${opsPer > 1 ? 's' : ''} per element`, ...init.doc },
  });
}

export const relu = activation({
  key: 'relu',
  title: 'ReLU',
  params: {},
  doc: {
    summary: 'Rectified linear unit: passes positives, zeroes negatives.',
    formula: "f(x) = max(0, x);  range [0, ∞);  f'(x) = 1 for x > 0, 0 for x < 0",
    use: "The default hidden activation: cheap, sparse, and its gradient of 1 for x > 0 does not shrink through depth (unlike sigmoid/tanh). Not zero-centred. Dead ReLU: a unit whose input stays negative (too high a learning rate, bad init, a large negative bias) gets zero gradient and never recovers — Leaky ReLU/PReLU/ELU keep a small slope. Place after BN: Conv → BN → ReLU.",
    notes: '000, 001, 002, 004',
  },
});

export const relu6 = activation({
  key: 'relu6',
  title: 'ReLU6',
  params: {},
  doc: {
    summary: 'ReLU capped at 6.',
    formula: "f(x) = min(max(0, x), 6);  range [0, 6];  f'(x) = 1 on (0, 6), else 0",
    use: 'MobileNet v1/v2: the bounded range is robust in low-precision (int8/fp16) inference. MobileNetV2 drops it after the projection conv (linear bottleneck).',
  },
});

export const leakyRelu = activation({
  key: 'leaky_relu',
  title: 'Leaky ReLU',
  params: {
    alpha: float(0.01, 'Slope α for x < 0 (PyTorch default 0.01; Keras uses 0.3; YOLOv3 uses 0.1).', { min: 0, max: 1 }),
  },
  doc: {
    summary: 'ReLU with a small fixed slope α for negative inputs.',
    formula: "f(x) = x for x > 0, αx otherwise;  range (−∞, ∞);  f'(x) = 1 or α",
    use: 'Avoids dead ReLUs: negative inputs still get a gradient α. Used in DarkNet/YOLO backbones and GAN discriminators.',
    notes: '001, 002, 004',
  },
});

export const prelu = activation({
  key: 'prelu',
  title: 'PReLU',
  params: {},
  perChannel: true,
  doc: {
    summary: 'Leaky ReLU whose negative slope α is learned, one per channel (shared over H and W, or over tokens).',
    formula: "f(x) = x for x > 0, α_c·x otherwise;  ∂f/∂α_c = x for x ≤ 0",
    paramsFormula: 'C (one α per channel, initialised to 0.25)',
    use: 'He et al. (2015) used it with He initialisation to train very deep nets. Keep weight decay off α, or it drifts toward a plain ReLU.',
    notes: '004',
  },
});

export const elu = activation({
  key: 'elu',
  title: 'ELU',
  params: {
    alpha: float(1, 'α: the value f approaches for x → −∞ is −α.', { min: 0, max: 10 }),
  },
  doc: {
    summary: 'Exponential linear unit: identity for positives, a smooth exponential approach to −α for negatives.',
    formula: "f(x) = x for x > 0, α(eˣ − 1) otherwise;  range (−α, ∞);  f'(x) = 1 or f(x) + α",
    use: 'Negative outputs push mean activations toward zero (faster learning) and there is no dead zone; the exp costs more than ReLU.',
    notes: '004',
  },
});

export const gelu = activation({
  key: 'gelu',
  title: 'GELU',
  params: {
    approximate: oneOf(['none', 'tanh'], 'none', "'none' = exact x·Φ(x) with erf; 'tanh' = the faster approximation used by BERT/GPT-2."),
  },
  doc: {
    summary: 'Gaussian error linear unit: weighs x by the probability that a standard normal is below x.',
    formula: 'f(x) = x·Φ(x) = ½x(1 + erf(x/√2));  tanh form: ½x(1 + tanh(√(2/π)(x + 0.044715x³)));  range ≈ [−0.17, ∞)',
    use: 'The activation of transformer MLPs (ViT, BERT). Smooth and non-monotonic: a small negative dip near x ≈ −0.75, gradient everywhere.',
    notes: '004',
  },
});

export const silu = activation({
  key: 'silu',
  title: 'SiLU / Swish',
  params: {},
  doc: {
    summary: 'Sigmoid-weighted linear unit (Swish with β = 1): x times its own sigmoid.',
    formula: "f(x) = x·σ(x);  range ≈ [−0.278, ∞);  f'(x) = σ(x)·(1 + x·(1 − σ(x)))",
    use: 'EfficientNet, MobileNetV3 (as hard-swish), YOLOv5–v8. Smooth, non-monotonic, unbounded above; usually a little better than ReLU in deep nets at ~5× the cost.',
    notes: '004',
  },
});

export const hardswish = activation({
  key: 'hardswish',
  title: 'Hard Swish',
  params: {},
  doc: {
    summary: 'Piecewise-linear approximation of Swish made of ReLU6 (h-swish, MobileNetV3).',
    formula: 'f(x) = x·ReLU6(x + 3)/6;  0 for x ≤ −3, x for x ≥ 3;  range [−0.375, ∞)',
    use: 'MobileNetV3 uses it in the deeper layers: Swish-like accuracy without the exp, cheap and quantisation-friendly on mobile.',
    notes: '001',
  },
});

export const hardsigmoid = activation({
  key: 'hardsigmoid',
  title: 'Hard Sigmoid',
  params: {},
  doc: {
    summary: 'Piecewise-linear sigmoid made of ReLU6 (PyTorch and MobileNetV3 definition).',
    formula: "f(x) = ReLU6(x + 3)/6;  range [0, 1];  f'(x) = 1/6 on (−3, 3), else 0",
    use: "The gate of MobileNetV3's SE blocks. Beware: Keras/tfjs 'hard_sigmoid' is 0.2x + 0.5 (slope 1/5, saturating at ±2.5), a different function.",
  },
});

export const mish = activation({
  key: 'mish',
  title: 'Mish',
  params: {},
  doc: {
    summary: 'Self-gated smooth activation: x times tanh of softplus(x).',
    formula: 'f(x) = x·tanh(ln(1 + eˣ));  range ≈ [−0.31, ∞)',
    use: "YOLOv4's CSPDarknet53 backbone. Similar to Swish; the most expensive activation here (exp, log and tanh).",
  },
});

export const sigmoid = activation({
  key: 'sigmoid',
  title: 'Sigmoid',
  params: {},
  doc: {
    summary: 'Logistic function: squashes any input into (0, 1).',
    formula: "σ(x) = 1/(1 + e^(−x));  range (0, 1);  σ'(x) = σ(x)(1 − σ(x)) ≤ 0.25",
    use: 'Output for binary and multi-label tasks (with BCE; prefer BCE-with-logits for stability) and attention gates (SE, CA). As a hidden activation it saturates: σ\' ≤ 0.25 shrinks gradients ≥ 4× per layer (vanishing gradients), outputs are not zero-centred, and exp is costly.',
    notes: '001, 004',
  },
});

export const tanh = activation({
  key: 'tanh',
  title: 'Tanh',
  params: {},
  doc: {
    summary: 'Hyperbolic tangent: zero-centred squashing into (−1, 1).',
    formula: "tanh(x) = (eˣ − e^(−x))/(eˣ + e^(−x)) = 2σ(2x) − 1;  range (−1, 1);  tanh'(x) = 1 − tanh²(x) ≤ 1",
    use: 'Zero-centred, so it trains better than sigmoid as a hidden activation, but it still saturates for |x| ≳ 2 (vanishing gradients). RNN/LSTM states, GAN generator outputs in [−1, 1].',
    notes: '001, 004',
  },
});

export const softmax = activation({
  key: 'softmax',
  title: 'Softmax',
  params: {
    axis: int(-1, 'Axis whose entries sum to 1 (−1 = channels/classes); the batch axis 0 is not allowed.', { min: -4, max: 4 }),
  },
  check(x, p) {
    resolveAxis(p.axis, x);
  },
  doc: {
    summary: 'Turns scores into a probability distribution along one axis: positive entries that sum to 1.',
    formula: 'softmax(x)ᵢ = e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x)  (subtracting the max keeps exp from overflowing)',
    use: 'Mutually exclusive classes (multi-class); use sigmoid for multi-label. The Classify head outputs logits and the cross-entropy loss applies log-softmax itself, so do not add Softmax before it. With CE the gradient is simply p − y.',
    notes: '001, 002, 004',
  },
});

export const ACTIVATIONS = [relu, relu6, leakyRelu, prelu, elu, gelu, silu, hardswish, hardsigmoid, mish, sigmoid, tanh, softmax] as const;

/** The unit's blocks, in palette order (src/blocks/registry.ts). */
export const definitions = ACTIVATIONS;
