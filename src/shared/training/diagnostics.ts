import type { LayerProbe } from './telemetry';

type BatchNormProbe = NonNullable<LayerProbe['batchnorm']>;

/**
 * Verdicts the dashboards show, computed from the telemetry (never pre-written): vanishing / exploding
 * gradients, overfitting and underfitting from the learning curves, BatchNorm train-vs-eval statistics,
 * dead ReLUs and saturated sigmoid/tanh units. Each verdict names the graph nodes it concerns and the fixes
 * the study notes give. Pure: the renderer imports it, the unit tests run it.
 */

export type Severity = 'info' | 'warning' | 'error';
export type FixId = 'relu' | 'he-init' | 'batchnorm' | 'residual' | 'clipping' | 'lower-lr' | 'leaky-relu' | 'bigger-model' | 'train-longer' | 'regularize' | 'more-data';

export interface Fix {
  id: FixId;
  title: string;
  why: string;
  /** Graph nodes the fix applies to (the UI links them); empty: a training setting. */
  nodes: string[];
}

export interface Diagnostic {
  id: 'vanishing' | 'exploding' | 'overfitting' | 'underfitting' | 'dead-relu' | 'saturated' | 'bn-gap' | 'update-ratio';
  severity: Severity;
  title: string;
  message: string;
  /** Nodes where it happens, in network order. */
  nodes: string[];
  fixes: Fix[];
}

// ---------------------------------------------------------------------------------------------- gradients

/** Two orders of magnitude between the ends of the network: the gradient has vanished (or exploded). */
export const GRADIENT_ORDERS = 2;
/** Four orders: as good as no learning at the input end. */
export const GRADIENT_ORDERS_SEVERE = 4;
/** A gradient norm above this (loss averaged over the batch) is exploding whatever the ratio. */
export const GRADIENT_NORM_EXPLODING = 1e3;

export interface GradientContext {
  /** The graph has a skip connection (an Add merging two paths). */
  hasResidual?: boolean;
  /** The graph has a BatchNorm layer (else taken from the probes). */
  hasBatchNorm?: boolean;
  /** TrainConfig.init ('auto' picks He for conv, Glorot for dense). */
  init?: string;
  clip?: 'none' | 'norm' | 'value';
  lr?: number;
}

export interface GradientLayer {
  node: string;
  layer: string;
  gradNorm: number;
}

export interface GradientVerdict {
  status: 'ok' | 'vanishing' | 'exploding' | 'unknown';
  /** Geometric-mean gradient norm of the first quarter of the trainable layers (input end) and the last quarter. */
  inputEnd: number;
  outputEnd: number;
  /** log10(inputEnd / outputEnd): −3 means a thousand times smaller at the input end. */
  orders: number;
  layers: GradientLayer[];
  /** Layers whose gradient vanished (≥ GRADIENT_ORDERS below the output end) or exploded. */
  affected: GradientLayer[];
}

const weightLayers = (probe: readonly LayerProbe[]): GradientLayer[] =>
  probe.filter((l) => l.kind === 'weights' && l.gradNorm !== undefined).map((l) => ({ node: l.node, layer: l.layer, gradNorm: l.gradNorm! }));

function geoMean(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  let s = 0;
  for (const v of values) s += Math.log10(Math.max(v, 1e-30));
  return 10 ** (s / values.length);
}

/** The two ends compared: the first and last quarter of the layers (at least one each). */
export function gradientEnds(norms: readonly number[]): { inputEnd: number; outputEnd: number } {
  const k = Math.max(1, Math.floor(norms.length / 4));
  return { inputEnd: geoMean(norms.slice(0, k)), outputEnd: geoMean(norms.slice(norms.length - k)) };
}

/** The verdict of one probe (its weight layers in network order). */
export function gradientFlow(probe: readonly LayerProbe[]): GradientVerdict {
  const layers = weightLayers(probe);
  const empty: GradientVerdict = { status: 'unknown', inputEnd: NaN, outputEnd: NaN, orders: 0, layers, affected: [] };
  if (layers.length < 2) return empty;
  if (layers.some((l) => !Number.isFinite(l.gradNorm))) return { ...empty, status: 'exploding', affected: layers.filter((l) => !Number.isFinite(l.gradNorm)) };
  const { inputEnd, outputEnd } = gradientEnds(layers.map((l) => l.gradNorm));
  const orders = Math.log10(Math.max(inputEnd, 1e-30)) - Math.log10(Math.max(outputEnd, 1e-30));
  const big = layers.filter((l) => l.gradNorm >= GRADIENT_NORM_EXPLODING);
  if (orders >= GRADIENT_ORDERS || big.length > 0) {
    const affected = layers.filter((l) => l.gradNorm >= GRADIENT_NORM_EXPLODING || l.gradNorm >= outputEnd * 10 ** GRADIENT_ORDERS);
    return { status: 'exploding', inputEnd, outputEnd, orders, layers, affected };
  }
  if (orders <= -GRADIENT_ORDERS) {
    const affected = layers.filter((l) => l.gradNorm <= outputEnd * 10 ** -GRADIENT_ORDERS);
    return { status: 'vanishing', inputEnd, outputEnd, orders, layers, affected };
  }
  return { status: 'ok', inputEnd, outputEnd, orders, layers, affected: [] };
}

/**
 * The verdict over the recent probes (oldest first): the median of their log-ratios, so one noisy probe
 * neither raises nor clears a warning. The affected layers come from the latest probe.
 */
export function gradientFlowRecent(probes: readonly (readonly LayerProbe[])[], window = 3): GradientVerdict {
  const recent = probes.slice(-window).map(gradientFlow).filter((v) => v.status !== 'unknown');
  if (recent.length === 0) return gradientFlow(probes[probes.length - 1] ?? []);
  const last = recent[recent.length - 1];
  if (last.affected.some((l) => !Number.isFinite(l.gradNorm))) return last;
  const orders = [...recent.map((v) => v.orders)].sort((a, b) => a - b)[Math.floor(recent.length / 2)];
  const exploding = recent.filter((v) => v.status === 'exploding').length * 2 > recent.length;
  const vanishing = recent.filter((v) => v.status === 'vanishing').length * 2 > recent.length;
  const status = exploding ? 'exploding' : vanishing ? 'vanishing' : 'ok';
  const affected = status === last.status ? last.affected : status === 'ok' ? [] : (recent.find((v) => v.status === status)?.affected ?? []);
  return { ...last, status, orders, affected };
}

const FIX_TEXT: Record<FixId, { title: string; why: string }> = {
  relu: {
    title: 'Use ReLU instead of sigmoid/tanh',
    why: "Sigmoid's derivative is at most 0.25 (tanh's at most 1, and ≪ 1 when saturated), so the chain rule multiplies the gradient by a small factor at every layer. ReLU's derivative is 1 for x > 0.",
  },
  'he-init': {
    title: 'He (Kaiming) initialisation',
    why: 'Var(w) = 2/n_in keeps the signal variance constant through ReLU layers (Xavier/Glorot 2/(n_in+n_out) for tanh/sigmoid), so activations neither shrink nor blow up with depth.',
  },
  batchnorm: {
    title: 'Add BatchNorm after the conv/dense layers',
    why: 'Normalising each layer’s pre-activations to zero mean and unit variance keeps them out of the saturated range and keeps the gradient scale even across depth.',
  },
  residual: {
    title: 'Add residual (skip) connections',
    why: 'y = x + F(x) gives the gradient an identity path: ∂y/∂x = 1 + ∂F/∂x, so it reaches the first layers undiminished (ResNet).',
  },
  clipping: {
    title: 'Clip the gradient norm',
    why: 'Rescaling the gradient when its norm exceeds a threshold (e.g. 1) bounds every update (Train panel → Regularisation → Gradient clipping).',
  },
  'lower-lr': {
    title: 'Lower the learning rate',
    why: 'Too large a step overshoots, weights grow and the gradients with them: try 10× lower, or a warmup.',
  },
  'leaky-relu': {
    title: 'Leaky ReLU / PReLU, lower LR, He init',
    why: 'A ReLU whose input stays negative gets zero gradient and never recovers; a small negative slope, a smaller learning rate or a better init keep units alive.',
  },
  'bigger-model': { title: 'A bigger model', why: 'More layers or channels give the model the capacity to fit the training data (high bias).' },
  'train-longer': { title: 'Train longer or raise the learning rate', why: 'The losses may still be falling; a learning rate that is too small converges slowly.' },
  regularize: {
    title: 'Regularise: dropout, weight decay, augmentation',
    why: 'They keep the model from memorising the training set (high variance); early stopping keeps the best epoch.',
  },
  'more-data': { title: 'More (or augmented) data', why: 'The gap closes when the training set better covers what the validation set contains.' },
};

export function fix(id: FixId, nodes: string[] = []): Fix {
  return { id, ...FIX_TEXT[id], nodes };
}

const uniq = (xs: readonly string[]): string[] => [...new Set(xs)];
const fmt = (v: number): string =>
  Number.isNaN(v) ? 'NaN' : !Number.isFinite(v) ? (v > 0 ? '∞' : '−∞') : v === 0 ? '0' : Math.abs(v) >= 0.01 && Math.abs(v) < 1000 ? String(+v.toPrecision(2)) : v.toExponential(1).replace(/\.0e/, 'e').replace('e+', 'e');

/** Sigmoid/tanh activation nodes (the probes report a saturated fraction only for those), in network order. */
export function saturatingNodes(probe: readonly LayerProbe[]): string[] {
  return uniq(probe.filter((l) => l.kind === 'activation' && l.activation?.saturatedFraction !== undefined).map((l) => l.node));
}

/** The gradient verdict as a diagnostic with the notes' fixes, each linked to the nodes it concerns. */
export function gradientDiagnostic(v: GradientVerdict, probe: readonly LayerProbe[], ctx: GradientContext = {}): Diagnostic | null {
  if (v.status !== 'vanishing' && v.status !== 'exploding') return null;
  const affected = uniq(v.affected.map((l) => l.node));
  const first = affected.slice(0, 3);
  const hasBn = ctx.hasBatchNorm ?? probe.some((l) => l.kind === 'batchnorm');
  if (v.status === 'vanishing') {
    const saturating = saturatingNodes(probe);
    const fixes: Fix[] = [];
    if (saturating.length) fixes.push(fix('relu', saturating));
    if (!ctx.init?.startsWith('he')) fixes.push(fix('he-init', first));
    if (!hasBn) fixes.push(fix('batchnorm', first));
    if (!ctx.hasResidual) fixes.push(fix('residual', first));
    if (fixes.length === 0) fixes.push(fix('he-init', first));
    const factor = 10 ** -v.orders;
    return {
      id: 'vanishing',
      severity: -v.orders >= GRADIENT_ORDERS_SEVERE ? 'error' : 'warning',
      title: 'Vanishing gradient',
      message: `The gradient at the input end is ${factor >= 1e4 ? `${Math.round(-v.orders)} orders of magnitude` : `${Math.round(factor)}×`} smaller than at the output end (‖g‖ ${fmt(v.inputEnd)} vs ${fmt(v.outputEnd)}): ${affected.length} of ${v.layers.length} trainable layers barely learn.`,
      nodes: affected,
      fixes,
    };
  }
  const worst = [...v.affected].sort((a, b) => (Number.isFinite(b.gradNorm) ? b.gradNorm : Infinity) - (Number.isFinite(a.gradNorm) ? a.gradNorm : Infinity)).slice(0, 3).map((l) => l.node);
  const fixes: Fix[] = [];
  if (ctx.clip !== 'norm' && ctx.clip !== 'value') fixes.push(fix('clipping', worst));
  fixes.push(fix('lower-lr'));
  if (!hasBn) fixes.push(fix('batchnorm', worst));
  if (!ctx.init?.startsWith('he')) fixes.push(fix('he-init', worst));
  const nonFinite = v.affected.some((l) => !Number.isFinite(l.gradNorm));
  return {
    id: 'exploding',
    severity: 'error',
    title: 'Exploding gradient',
    message: nonFinite
      ? `The gradient is not finite (NaN/Inf) in ${affected.length} layer${affected.length === 1 ? '' : 's'}.`
      : Number.isFinite(v.orders) && v.orders >= GRADIENT_ORDERS
        ? `The gradient grows towards the input: ${Math.round(10 ** v.orders)}× larger at the input end (‖g‖ ${fmt(v.inputEnd)} vs ${fmt(v.outputEnd)}).`
        : `Gradient norms reach ${fmt(Math.max(...v.affected.map((l) => l.gradNorm)))} (above ${GRADIENT_NORM_EXPLODING}).`,
    nodes: affected,
    fixes,
  };
}

// ------------------------------------------------------------------------------------- learning curves

export interface EpochLosses {
  epoch: number;
  trainLoss: number;
  valLoss: number;
}

export interface FitVerdict {
  status: 'ok' | 'overfitting' | 'underfitting' | 'diverging' | 'unknown';
  /** The epoch with the lowest validation loss (where it turned up, when overfitting). */
  bestEpoch?: number;
  /** The overfitting marker: the epoch after which validation loss rose while training loss kept falling. */
  turnEpoch?: number;
  /** Validation minus training loss at the last epoch. */
  gap: number;
  message: string;
}

/** Validation loss must rise this much (relative) above its minimum to count as "turned up". */
export const OVERFIT_RISE = 0.02;
/** Both losses at or above this fraction of the chance-level loss: underfitting. */
export const UNDERFIT_FRACTION = 0.5;

/**
 * Overfitting: validation loss has turned up (≥ 2 % above its minimum, for at least two epochs or by ≥ 10 %)
 * while training loss kept falling. Underfitting: after two epochs both losses are still at least half the
 * chance-level loss (ln K for K classes). `chanceLoss` is optional (no underfitting verdict without it).
 */
export function fitVerdict(epochs: readonly EpochLosses[], opts: { chanceLoss?: number } = {}): FitVerdict {
  const chanceLevel = opts.chanceLoss;
  // Far above the chance level (or not finite), the losses say the training diverged, not that the model is too small.
  const blown = epochs.find((e) => !Number.isFinite(e.trainLoss) || !Number.isFinite(e.valLoss) || (chanceLevel !== undefined && chanceLevel > 0 && Math.max(e.trainLoss, e.valLoss) > LOSS_DIVERGE_RATIO * chanceLevel));
  if (blown) {
    const last = epochs[epochs.length - 1];
    return {
      status: 'diverging',
      gap: last.valLoss - last.trainLoss,
      message: `The training diverged: at epoch ${blown.epoch} the losses reached train ${fmt(blown.trainLoss)}, validation ${fmt(blown.valLoss)}${chanceLevel ? ` (guessing gives ${fmt(chanceLevel)})` : ''}. Lower the learning rate or clip the gradients.`,
    };
  }
  const rows = epochs.filter((e) => Number.isFinite(e.trainLoss) && Number.isFinite(e.valLoss));
  if (rows.length === 0) return { status: 'unknown', gap: NaN, message: 'No epoch finished yet.' };
  const last = rows[rows.length - 1];
  const gap = last.valLoss - last.trainLoss;
  let best = 0;
  for (let i = 1; i < rows.length; i++) if (rows[i].valLoss < rows[best].valLoss) best = i;
  const since = rows.length - 1 - best;
  const rise = (last.valLoss - rows[best].valLoss) / Math.max(1e-12, Math.abs(rows[best].valLoss));
  const trainFell = last.trainLoss < rows[best].trainLoss * (1 - 0.01);
  if (since >= 1 && rise >= OVERFIT_RISE && (since >= 2 || rise >= 0.1) && trainFell) {
    return {
      status: 'overfitting',
      bestEpoch: rows[best].epoch,
      turnEpoch: rows[best].epoch,
      gap,
      message: `Validation loss turned up after epoch ${rows[best].epoch} (+${(rise * 100).toFixed(0)}%) while training loss kept falling: the model is fitting the training set's noise.`,
    };
  }
  const chance = opts.chanceLoss;
  if (chance !== undefined && chance > 0 && rows.length >= 2 && last.trainLoss >= UNDERFIT_FRACTION * chance && last.valLoss >= UNDERFIT_FRACTION * chance) {
    return {
      status: 'underfitting',
      bestEpoch: rows[best].epoch,
      gap,
      message: `Both losses stay high (train ${fmt(last.trainLoss)}, validation ${fmt(last.valLoss)}; chance level ${fmt(chance)}): the model does not fit even the training data.`,
    };
  }
  return { status: 'ok', bestEpoch: rows[best].epoch, gap, message: '' };
}

// ------------------------------------------------------------------------------------------ divergence

/** A loss this many times its starting value (or the chance level) has blown up: the training diverges. */
export const LOSS_DIVERGE_RATIO = 10;
/** The gradient norm grown this much since the first probes, with the loss not falling: exploding. */
export const GRAD_GROWTH_DIVERGE = 100;

export interface DivergenceVerdict {
  diverging: boolean;
  reason?: 'non-finite' | 'loss' | 'gradient';
  /** The smallest of the first few step losses (where training started), the largest and the latest one (finite values). */
  startLoss: number;
  peakLoss: number;
  lastLoss: number;
  /** Latest over the smallest early overall gradient norm (NaN when unknown). */
  gradGrowth: number;
}

/**
 * Whether the training diverges, from the step losses (oldest first) and the overall gradient norm of each
 * probe (oldest first): a NaN/∞ loss, a loss that rose ≥ LOSS_DIVERGE_RATIO × its start (or the chance level),
 * or gradient norms grown ≥ GRAD_GROWTH_DIVERGE × while the loss does not fall.
 */
export function divergence(losses: readonly number[], gradNorms: readonly number[] = [], chanceLoss?: number): DivergenceVerdict {
  const finite = losses.filter((v) => Number.isFinite(v));
  const head = finite.slice(0, Math.max(3, Math.floor(finite.length / 20)));
  const startLoss = head.length ? Math.min(...head) : NaN;
  const peakLoss = finite.length ? Math.max(...finite) : NaN;
  const lastLoss = finite.length ? finite[finite.length - 1] : NaN;
  const g = gradNorms.filter((v) => Number.isFinite(v) && v > 0);
  const early = g.slice(0, Math.max(1, Math.min(3, Math.floor(g.length / 2))));
  const gradGrowth = g.length >= 2 ? g[g.length - 1] / Math.min(...early) : NaN;
  const base: DivergenceVerdict = { diverging: false, startLoss, peakLoss, lastLoss, gradGrowth };
  if (losses.length > finite.length) return { ...base, diverging: true, reason: 'non-finite' };
  if (finite.length < 3) return base;
  const ref = Math.max(startLoss, chanceLoss ?? 0);
  if (ref > 0 && peakLoss > LOSS_DIVERGE_RATIO * ref) return { ...base, diverging: true, reason: 'loss' };
  if (gradGrowth >= GRAD_GROWTH_DIVERGE && lastLoss >= 0.9 * startLoss) return { ...base, diverging: true, reason: 'gradient' };
  return base;
}

/** The divergence as the dashboards' "exploding" verdict, with the fixes in the order to try them. */
export function divergenceDiagnostic(v: DivergenceVerdict, ctx: GradientContext = {}, nodes: string[] = []): Diagnostic | null {
  if (!v.diverging) return null;
  const grew = Number.isFinite(v.gradGrowth) && v.gradGrowth >= 10 ? ` Gradient norms grew ${fmt(v.gradGrowth)}× since the first probes.` : '';
  const lr = ctx.lr !== undefined ? ` at learning rate ${fmt(ctx.lr)}` : '';
  const message =
    v.reason === 'non-finite'
      ? `The training loss became NaN or infinite${lr}: the weights overflowed.${grew}`
      : v.reason === 'loss'
        ? `The training loss rose from ${fmt(v.startLoss)} to ${fmt(v.peakLoss)}${lr} (now ${fmt(v.lastLoss)}): the updates overshoot instead of descending.${grew}`
        : `Gradient norms grew ${fmt(v.gradGrowth)}× since the first probes while the loss did not fall (${fmt(v.startLoss)} → ${fmt(v.lastLoss)})${lr}.`;
  const fixes: Fix[] = [fix('lower-lr')];
  if (ctx.clip !== 'norm' && ctx.clip !== 'value') fixes.push(fix('clipping', nodes.slice(0, 3)));
  if (ctx.hasBatchNorm === false) fixes.push(fix('batchnorm', nodes.slice(0, 3)));
  return { id: 'exploding', severity: 'error', title: 'Diverging: exploding loss', message, nodes, fixes };
}

export function fitDiagnostic(v: FitVerdict): Diagnostic | null {
  if (v.status === 'overfitting') return { id: 'overfitting', severity: 'warning', title: 'Overfitting', message: v.message, nodes: [], fixes: [fix('regularize'), fix('more-data')] };
  if (v.status === 'diverging') return { id: 'exploding', severity: 'error', title: 'Diverging: exploding loss', message: v.message, nodes: [], fixes: [fix('lower-lr'), fix('clipping')] };
  if (v.status === 'underfitting') return { id: 'underfitting', severity: 'warning', title: 'Underfitting', message: v.message, nodes: [], fixes: [fix('bigger-model'), fix('train-longer')] };
  return null;
}

// ------------------------------------------------------------------------------------------- BatchNorm

export interface BnGap {
  /** Mean over channels of |batch mean − running mean| / √(running var + ε). */
  meanShift: number;
  /** Mean over channels of |ln(batch var / running var)|. */
  varShift: number;
}

/** How far the batch statistics (train mode) are from the running statistics (eval mode). */
export function bnGap(bn: BatchNormProbe, eps = 1e-5): BnGap {
  const n = Math.min(bn.batchMean.length, bn.runningMean.length, bn.batchVar.length, bn.runningVar.length);
  if (n === 0) return { meanShift: 0, varShift: 0 };
  let m = 0;
  let v = 0;
  for (let c = 0; c < n; c++) {
    m += Math.abs(bn.batchMean[c] - bn.runningMean[c]) / Math.sqrt(Math.max(0, bn.runningVar[c]) + eps);
    v += Math.abs(Math.log((Math.max(0, bn.batchVar[c]) + eps) / (Math.max(0, bn.runningVar[c]) + eps)));
  }
  return { meanShift: m / n, varShift: v / n };
}

/** Running statistics this far from the batch's (in standard deviations) change the outputs in eval mode. */
export const BN_GAP_WARN = 0.5;

export function bnDiagnostic(probe: readonly LayerProbe[], step: number, minStep = 100): Diagnostic | null {
  if (step < minStep) return null; // running statistics start at (0, 1) and need a few hundred updates
  const far = probe.filter((l) => l.kind === 'batchnorm' && l.batchnorm && bnGap(l.batchnorm).meanShift > BN_GAP_WARN);
  if (far.length === 0) return null;
  return {
    id: 'bn-gap',
    severity: 'info',
    title: 'BatchNorm train/eval gap',
    message: `In ${far.length} BatchNorm layer${far.length === 1 ? '' : 's'} the batch statistics differ from the running statistics by more than ${BN_GAP_WARN} σ: evaluation (running statistics) will see different activations than training (batch statistics). Small batches (< 4), a fast-changing network or a high momentum cause it.`,
    nodes: uniq(far.map((l) => l.node)),
    fixes: [],
  };
}

// ----------------------------------------------------------------------------------------- activations

export const DEAD_RELU_WARN = 0.4;
export const SATURATED_WARN = 0.4;

export function activationDiagnostics(probe: readonly LayerProbe[]): Diagnostic[] {
  const out: Diagnostic[] = [];
  const dead = probe.filter((l) => l.kind === 'activation' && (l.activation?.deadFraction ?? 0) > DEAD_RELU_WARN);
  if (dead.length) {
    const worst = Math.max(...dead.map((l) => l.activation!.deadFraction!));
    out.push({
      id: 'dead-relu',
      severity: 'warning',
      title: 'Dead ReLUs',
      message: `${dead.length} ReLU layer${dead.length === 1 ? ' has' : 's have'} more than ${DEAD_RELU_WARN * 100}% of channels that output 0 for the whole batch (up to ${(worst * 100).toFixed(0)}%): they get no gradient.`,
      nodes: uniq(dead.map((l) => l.node)),
      fixes: [fix('leaky-relu', uniq(dead.map((l) => l.node))), fix('lower-lr')],
    });
  }
  const sat = probe.filter((l) => l.kind === 'activation' && (l.activation?.saturatedFraction ?? 0) > SATURATED_WARN);
  if (sat.length) {
    const worst = Math.max(...sat.map((l) => l.activation!.saturatedFraction!));
    out.push({
      id: 'saturated',
      severity: 'warning',
      title: 'Saturated sigmoid/tanh',
      message: `${sat.length} sigmoid/tanh layer${sat.length === 1 ? ' has' : 's have'} more than ${SATURATED_WARN * 100}% of outputs in the flat tails (up to ${(worst * 100).toFixed(0)}%), where the derivative is ≈ 0.`,
      nodes: uniq(sat.map((l) => l.node)),
      fixes: [fix('relu', uniq(sat.map((l) => l.node))), fix('batchnorm', uniq(sat.map((l) => l.node)))],
    });
  }
  return out;
}

/** ‖Δw‖/‖w‖ per step: around 1e-3 is healthy; above 1e-1 the learning rate is too high for that layer. */
export const UPDATE_RATIO_HIGH = 0.1;

export function updateRatioDiagnostic(probe: readonly LayerProbe[]): Diagnostic | null {
  const high = probe.filter((l) => l.kind === 'weights' && (l.updateRatio ?? 0) > UPDATE_RATIO_HIGH);
  if (high.length === 0) return null;
  return {
    id: 'update-ratio',
    severity: 'warning',
    title: 'Updates too large',
    message: `${high.length} layer${high.length === 1 ? '' : 's'} change by more than ${UPDATE_RATIO_HIGH * 100}% of their weights per step (healthy: about 0.1%).`,
    nodes: uniq(high.map((l) => l.node)),
    fixes: [fix('lower-lr')],
  };
}

// ------------------------------------------------------------------------------------------------ all

export interface DiagnoseInput {
  /** Recent probes' layers, oldest first. */
  probes: readonly (readonly LayerProbe[])[];
  /** Step of the latest probe. */
  probeStep?: number;
  epochs: readonly EpochLosses[];
  chanceLoss?: number;
  context?: GradientContext;
  /** Recent step losses, oldest first (for the divergence verdict). */
  losses?: readonly number[];
  /** The overall gradient norm of each probe so far, oldest first. */
  gradNorms?: readonly number[];
}

const ORDER: Record<Severity, number> = { error: 0, warning: 1, info: 2 };

/** Every verdict that applies, most severe first. */
export function diagnose(input: DiagnoseInput): Diagnostic[] {
  const out: Diagnostic[] = [];
  const latest = input.probes[input.probes.length - 1];
  // A diverging run is diagnosed from its loss first: its gradient ratios (even "vanishing" ones) are a symptom.
  const div = divergence(input.losses ?? [], input.gradNorms ?? [], input.chanceLoss);
  const gradientVerdict = latest ? gradientFlowRecent(input.probes) : undefined;
  const d = divergenceDiagnostic(div, input.context, gradientVerdict?.status === 'exploding' ? uniq(gradientVerdict.affected.map((l) => l.node)) : []);
  if (d) out.push(d);
  if (latest) {
    const g = d ? null : gradientDiagnostic(gradientVerdict!, latest, input.context);
    if (g) out.push(g);
    out.push(...activationDiagnostics(latest));
    const u = updateRatioDiagnostic(latest);
    if (u) out.push(u);
    const b = bnDiagnostic(latest, input.probeStep ?? 0);
    if (b) out.push(b);
  }
  const f = d ? null : fitDiagnostic(fitVerdict(input.epochs, { chanceLoss: input.chanceLoss }));
  if (f) out.push(f);
  return out.sort((a, b) => ORDER[a.severity] - ORDER[b.severity]);
}
