import * as tf from '@tensorflow/tfjs';
import { z } from 'zod';
import type { OPTIMIZERS } from '../../../shared/training/config';
import { isBiasOrNormParam } from './regularization';

type TrainOptimizerName = (typeof OPTIMIZERS)[number];

// Our own optimizers over a fixed list of tf.Variables, following torch.optim's update rules exactly
// (so that a run reproduces in the exported PyTorch script). The learning rate is passed on every step
// (it comes from a schedule). g is the gradient, θ the weight, η the learning rate, λ the weight decay.
//
//   sgd       g ← g + λθ;  momentum/nesterov: b ← μb + g;  g ← nesterov ? g + μb : b  (μ > 0);  θ ← θ − ηg
//   adagrad   g ← g + λθ;  G ← G + g²;  θ ← θ − η/(1 + (t−1)·decay) · g/(√G + ε)
//   rmsprop   g ← g + λθ;  s ← αs + (1−α)g²;  centered: m ← αm + (1−α)g, s̃ = s − m²;
//             d = √s̃ + ε;  momentum: b ← μb + g/d, θ ← θ − ηb;  else θ ← θ − ηg/d
//   adam      g ← g + λθ (coupled L2);  m ← β1m + (1−β1)g;  v ← β2v + (1−β2)g²;  amsgrad: v̂max ← max(v̂max, v)
//             θ ← θ − η/(1−β1ᵗ) · m / (√v/√(1−β2ᵗ) + ε)
//   adamw     θ ← θ − ηλθ (decoupled), then the Adam step without L2
//
// A variable's learning-rate multiplier m (its block's lrMultiplier) replaces η by η·m everywhere above,
// as a PyTorch param group with lr = η·m does (AdamW's decay then is η·m·λ).
//
// Note ε sits outside the square root (PyTorch), not inside as in Keras/TF. Weight decay (λ) skips biases
// and norm parameters unless `decayBiasAndNorm` is set. Each variable keeps its own step count t, so a layer
// unfrozen late starts with proper bias correction.

const rate = z.number().min(0).max(1);
const decay = z.number().min(0);
const decayFields = { weightDecay: decay.default(0), decayBiasAndNorm: z.boolean().default(false) };

// One vocabulary with the TrainConfig (src/shared/training/config.ts): `name` is one of its OPTIMIZERS and the
// fields keep its spelling (epsilon). Plain 'sgd' has no momentum; 'momentum' and 'nesterov' are SGD with it.
export const SgdConfigSchema = z.object({ name: z.literal('sgd'), ...decayFields });
export const MomentumConfigSchema = z.object({ name: z.literal('momentum'), momentum: z.number().min(0).lt(1).default(0.9), ...decayFields });
export const NesterovConfigSchema = z.object({
  name: z.literal('nesterov'),
  momentum: z.number().gt(0, 'Nesterov needs momentum > 0').lt(1).default(0.9),
  ...decayFields,
});
export const AdagradConfigSchema = z.object({
  name: z.literal('adagrad'),
  lrDecay: decay.default(0),
  initialAccumulator: decay.default(0),
  epsilon: z.number().positive().default(1e-10),
  ...decayFields,
});
export const RmsPropConfigSchema = z.object({
  name: z.literal('rmsprop'),
  alpha: rate.default(0.99),
  epsilon: z.number().positive().default(1e-8),
  momentum: z.number().min(0).lt(1).default(0),
  centered: z.boolean().default(false),
  ...decayFields,
});
const adamFields = {
  beta1: z.number().min(0).lt(1).default(0.9),
  beta2: z.number().min(0).lt(1).default(0.999),
  epsilon: z.number().positive().default(1e-8),
  amsgrad: z.boolean().default(false),
  decayBiasAndNorm: z.boolean().default(false),
};
export const AdamConfigSchema = z.object({ name: z.literal('adam'), ...adamFields, weightDecay: decay.default(0) });
export const AdamWConfigSchema = z.object({ name: z.literal('adamw'), ...adamFields, weightDecay: decay.default(0.01) });

export const OptimizerConfigSchema = z.discriminatedUnion('name', [
  SgdConfigSchema,
  MomentumConfigSchema,
  NesterovConfigSchema,
  AdagradConfigSchema,
  RmsPropConfigSchema,
  AdamConfigSchema,
  AdamWConfigSchema,
]);
export type OptimizerConfig = z.infer<typeof OptimizerConfigSchema>;
export type OptimizerConfigInput = z.input<typeof OptimizerConfigSchema>;
export type OptimizerName = OptimizerConfig['name'];
// Every TrainConfig optimizer has an engine config of the same name (and no other).
const sameNames: [OptimizerName, TrainOptimizerName] extends [TrainOptimizerName, OptimizerName] ? true : never = true;
void sameNames;

export function defaultOptimizerConfig<N extends OptimizerName>(name: N): Extract<OptimizerConfig, { name: N }> {
  return OptimizerConfigSchema.parse({ name }) as Extract<OptimizerConfig, { name: N }>;
}

/** Checkpointable state. slots[name][i] belongs to variables[i]; `t` holds each variable's step count. */
export interface OptimizerState {
  name: OptimizerName;
  /** Number of applyGradients calls. */
  step: number;
  slots: Record<string, Float32Array[]>;
}

/** Gradients keyed by variable or by variable name (tf.variableGrads returns a name-keyed map). */
export type GradientMap = ReadonlyMap<string | tf.Variable, tf.Tensor> | tf.NamedTensorMap;

/** Norms for telemetry, kept on the backend until the caller reads them (e.g. once every N steps). */
export interface UpdateStats {
  /** Names of the variables that received a gradient this step, in variable order. */
  names: string[];
  /** ‖θ_new − θ_old‖₂ per variable. */
  updateNorms: tf.Tensor1D;
  /** ‖θ_old‖₂ per variable; updateNorms / weightNorms is the update/weight ratio (healthy ≈ 1e-3). */
  weightNorms: tf.Tensor1D;
}

export interface ApplyOptions {
  stats?: boolean;
}

interface Hyper {
  lr: tf.Scalar;
  lrValue: number;
  step: number;
}

export abstract class Optimizer {
  abstract readonly name: OptimizerName;
  private steps = 0;
  private readonly varSteps: number[];
  private readonly slotVars = new Map<string, tf.Variable[]>();
  private readonly decayMask: boolean[];
  /** Per-variable learning-rate multipliers (blocks' lrMultiplier; 1 by default): variable i steps with lr × lrScale[i]. */
  private lrScale: number[];

  protected constructor(
    readonly variables: readonly tf.Variable[],
    protected readonly weightDecay: number,
    decayBiasAndNorm: boolean,
    slotNames: readonly string[],
    slotInit: (name: string) => number = () => 0,
  ) {
    const names = new Set(variables.map((v) => v.name));
    if (names.size !== variables.length) throw new Error('optimizer variables must have distinct names');
    this.varSteps = variables.map(() => 0);
    this.lrScale = variables.map(() => 1);
    this.decayMask = variables.map((v) => decayBiasAndNorm || !isBiasOrNormParam(v));
    for (const slot of slotNames) {
      this.slotVars.set(
        slot,
        variables.map((v) => tf.tidy(() => tf.variable(tf.fill(v.shape, slotInit(slot), 'float32'), false))),
      );
    }
  }

  /**
   * Per-variable learning-rate multipliers, as PyTorch's param groups with lr × m: every use of the rate in the
   * update (the step, AdamW's decoupled decay, Adagrad's decayed rate) sees the variable's own rate.
   */
  setLrScales(scales: readonly number[]): void {
    if (scales.length !== this.variables.length) throw new Error(`${scales.length} learning-rate multipliers for ${this.variables.length} variables`);
    const bad = scales.findIndex((m) => !Number.isFinite(m) || m <= 0);
    if (bad >= 0) throw new Error(`the learning-rate multiplier of ${this.variables[bad].name} must be a finite number > 0, got ${scales[bad]}`);
    this.lrScale = [...scales];
  }

  /** Number of applyGradients calls so far. */
  get iterations(): number {
    return this.steps;
  }

  /**
   * One update of every variable that has a gradient in `grads` (others, e.g. frozen layers, are left
   * alone and their step count does not advance). With `stats`, returns norms the caller must dispose.
   */
  applyGradients(grads: GradientMap, lr: number, options?: ApplyOptions & { stats?: false }): undefined;
  applyGradients(grads: GradientMap, lr: number, options: ApplyOptions & { stats: true }): UpdateStats;
  applyGradients(grads: GradientMap, lr: number, options: ApplyOptions = {}): UpdateStats | undefined {
    if (!Number.isFinite(lr) || lr < 0) throw new Error(`learning rate must be a finite number ≥ 0, got ${lr}`);
    this.steps++;
    const names: string[] = [];
    const norms = tf.tidy(() => {
      const lrScalars = new Map<number, tf.Scalar>();
      const lrOf = (scale: number): tf.Scalar => {
        let t = lrScalars.get(scale);
        if (!t) lrScalars.set(scale, (t = tf.scalar(lr * scale)));
        return t;
      };
      const updateNorms: tf.Scalar[] = [];
      const weightNorms: tf.Scalar[] = [];
      this.variables.forEach((v, i) => {
        const g = lookupGradient(grads, v);
        if (!g) return;
        if (!tf.util.arraysEqual(g.shape, v.shape)) {
          throw new Error(`gradient of ${v.name} has shape [${g.shape}], variable has [${v.shape}]`);
        }
        this.varSteps[i]++;
        const decayed = this.decayMask[i] ? this.weightDecay : 0;
        const scale = this.lrScale[i];
        const next = this.update(i, v, tf.cast(g, 'float32'), decayed, { lr: lrOf(scale), lrValue: lr * scale, step: this.varSteps[i] });
        if (options.stats) {
          names.push(v.name);
          updateNorms.push(tf.norm(next.sub(v)) as tf.Scalar);
          weightNorms.push(tf.norm(v) as tf.Scalar);
        }
        v.assign(next);
      });
      if (!options.stats) return [];
      const stack = (xs: tf.Scalar[]) => (xs.length ? tf.stack(xs) : tf.tensor1d([])) as tf.Tensor1D;
      return [stack(updateNorms), stack(weightNorms)];
    });
    if (!options.stats) return undefined;
    return { names, updateNorms: norms[0], weightNorms: norms[1] };
  }

  /** The new value of variable i; implementations update their slots with assign(). */
  protected abstract update(i: number, theta: tf.Variable, grad: tf.Tensor, weightDecay: number, h: Hyper): tf.Tensor;

  protected slot(name: string, i: number): tf.Variable {
    const s = this.slotVars.get(name);
    if (!s) throw new Error(`${this.name} has no slot ${name}`);
    return s[i];
  }

  /** Synchronous snapshot (downloads every slot). */
  getState(): OptimizerState {
    const slots: Record<string, Float32Array[]> = {};
    for (const [name, vars] of this.slotVars) slots[name] = vars.map((v) => new Float32Array(v.dataSync()));
    slots.t = this.varSteps.map((t) => Float32Array.of(t));
    return { name: this.name, step: this.steps, slots };
  }

  async getStateAsync(): Promise<OptimizerState> {
    const slots: Record<string, Float32Array[]> = {};
    for (const [name, vars] of this.slotVars) {
      slots[name] = await Promise.all(vars.map(async (v) => new Float32Array(await v.data())));
    }
    slots.t = this.varSteps.map((t) => Float32Array.of(t));
    return { name: this.name, step: this.steps, slots };
  }

  /** Restores a state taken from an optimizer of the same kind over variables of the same shapes. */
  setState(state: OptimizerState): void {
    if (!stateFits(state.name, this.name)) throw new Error(`state is for ${state.name}, optimizer is ${this.name}`);
    const expected = [...this.slotVars.keys(), 't'].sort();
    const given = Object.keys(state.slots).sort();
    if (expected.join() !== given.join()) throw new Error(`state slots [${given}] do not match [${expected}]`);
    for (const [name, arrays] of Object.entries(state.slots)) {
      if (arrays.length !== this.variables.length) {
        throw new Error(`slot ${name} has ${arrays.length} entries for ${this.variables.length} variables`);
      }
      arrays.forEach((a, i) => {
        const size = name === 't' ? 1 : this.variables[i].size;
        if (a.length !== size) throw new Error(`slot ${name}[${i}] has ${a.length} values, expected ${size}`);
      });
    }
    for (const [name, vars] of this.slotVars) {
      vars.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(state.slots[name][i], v.shape, 'float32'))));
    }
    state.slots.t.forEach((a, i) => (this.varSteps[i] = a[0]));
    this.steps = state.step;
  }

  dispose(): void {
    for (const vars of this.slotVars.values()) for (const v of vars) v.dispose();
    this.slotVars.clear();
  }
}

/** Checkpoints written before the one vocabulary name every SGD state 'sgd'; the slot check tells them apart. */
function stateFits(stateName: string, optimizer: OptimizerName): boolean {
  return stateName === optimizer || (stateName === 'sgd' && (optimizer === 'momentum' || optimizer === 'nesterov'));
}

function lookupGradient(grads: GradientMap, v: tf.Variable): tf.Tensor | undefined {
  if (grads instanceof Map) return grads.get(v) ?? grads.get(v.name);
  return (grads as tf.NamedTensorMap)[v.name];
}

function withCoupledDecay(grad: tf.Tensor, theta: tf.Tensor, weightDecay: number): tf.Tensor {
  return weightDecay > 0 ? grad.add(theta.mul(weightDecay)) : grad;
}

type SgdConfig = z.infer<typeof SgdConfigSchema> | z.infer<typeof MomentumConfigSchema> | z.infer<typeof NesterovConfigSchema>;
type AdagradConfig = z.infer<typeof AdagradConfigSchema>;
type RmsPropConfig = z.infer<typeof RmsPropConfigSchema>;
type AdamConfig = z.infer<typeof AdamConfigSchema> | z.infer<typeof AdamWConfigSchema>;

export class SgdOptimizer extends Optimizer {
  readonly name: 'sgd' | 'momentum' | 'nesterov';
  private readonly momentum: number;
  constructor(variables: readonly tf.Variable[], c: SgdConfig) {
    const momentum = c.name === 'sgd' ? 0 : c.momentum;
    super(variables, c.weightDecay, c.decayBiasAndNorm, momentum > 0 ? ['momentum'] : []);
    this.name = c.name;
    this.momentum = momentum;
  }

  protected update(i: number, theta: tf.Variable, grad: tf.Tensor, wd: number, h: Hyper): tf.Tensor {
    let g = withCoupledDecay(grad, theta, wd);
    if (this.momentum > 0) {
      const buf = this.slot('momentum', i);
      const b = buf.mul(this.momentum).add(g);
      buf.assign(b);
      g = this.name === 'nesterov' ? g.add(b.mul(this.momentum)) : b;
    }
    return theta.sub(g.mul(h.lr));
  }
}

export class AdagradOptimizer extends Optimizer {
  readonly name = 'adagrad';
  constructor(
    variables: readonly tf.Variable[],
    private readonly c: AdagradConfig,
  ) {
    super(variables, c.weightDecay, c.decayBiasAndNorm, ['sum'], () => c.initialAccumulator);
  }

  protected update(i: number, theta: tf.Variable, grad: tf.Tensor, wd: number, h: Hyper): tf.Tensor {
    const g = withCoupledDecay(grad, theta, wd);
    const acc = this.slot('sum', i);
    const sum = acc.add(g.square());
    acc.assign(sum);
    const clr = h.lrValue / (1 + (h.step - 1) * this.c.lrDecay);
    return theta.sub(g.div(sum.sqrt().add(this.c.epsilon)).mul(clr));
  }
}

export class RmsPropOptimizer extends Optimizer {
  readonly name = 'rmsprop';
  constructor(
    variables: readonly tf.Variable[],
    private readonly c: RmsPropConfig,
  ) {
    const slots = ['squareAvg'];
    if (c.centered) slots.push('gradAvg');
    if (c.momentum > 0) slots.push('momentum');
    super(variables, c.weightDecay, c.decayBiasAndNorm, slots);
  }

  protected update(i: number, theta: tf.Variable, grad: tf.Tensor, wd: number, h: Hyper): tf.Tensor {
    const { alpha, epsilon, momentum, centered } = this.c;
    const g = withCoupledDecay(grad, theta, wd);
    const sqSlot = this.slot('squareAvg', i);
    const sq = sqSlot.mul(alpha).add(g.square().mul(1 - alpha));
    sqSlot.assign(sq);
    let variance: tf.Tensor = sq;
    if (centered) {
      const gaSlot = this.slot('gradAvg', i);
      const ga = gaSlot.mul(alpha).add(g.mul(1 - alpha));
      gaSlot.assign(ga);
      // s − m² ≥ 0 in exact arithmetic; relu only removes negative rounding noise.
      variance = tf.relu(sq.sub(ga.square()));
    }
    const step = g.div(variance.sqrt().add(epsilon));
    if (momentum > 0) {
      const buf = this.slot('momentum', i);
      const b = buf.mul(momentum).add(step);
      buf.assign(b);
      return theta.sub(b.mul(h.lr));
    }
    return theta.sub(step.mul(h.lr));
  }
}

export class AdamOptimizer extends Optimizer {
  readonly name: 'adam' | 'adamw';
  constructor(
    variables: readonly tf.Variable[],
    private readonly c: AdamConfig,
  ) {
    super(variables, c.weightDecay, c.decayBiasAndNorm, c.amsgrad ? ['m', 'v', 'vMax'] : ['m', 'v']);
    this.name = c.name;
  }

  protected update(i: number, theta: tf.Variable, grad: tf.Tensor, wd: number, h: Hyper): tf.Tensor {
    const { beta1, beta2, epsilon, amsgrad } = this.c;
    const decoupled = this.c.name === 'adamw';
    const g = decoupled ? grad : withCoupledDecay(grad, theta, wd);
    const base = decoupled && wd > 0 ? theta.mul(1 - h.lrValue * wd) : theta;
    const mSlot = this.slot('m', i);
    const vSlot = this.slot('v', i);
    const m = mSlot.mul(beta1).add(g.mul(1 - beta1));
    const v = vSlot.mul(beta2).add(g.square().mul(1 - beta2));
    mSlot.assign(m);
    vSlot.assign(v);
    let second: tf.Tensor = v;
    if (amsgrad) {
      const maxSlot = this.slot('vMax', i);
      second = tf.maximum(maxSlot, v);
      maxSlot.assign(second);
    }
    const bc1 = 1 - beta1 ** h.step;
    const bc2 = 1 - beta2 ** h.step;
    const denom = second.sqrt().div(Math.sqrt(bc2)).add(epsilon);
    return base.sub(m.div(denom).mul(h.lrValue / bc1));
  }
}

/** `lrScales`: one learning-rate multiplier per variable (train/lrMultipliers.ts), all 1 when absent. */
export function createOptimizer(config: OptimizerConfigInput, variables: readonly tf.Variable[], options: { lrScales?: readonly number[] } = {}): Optimizer {
  const opt = newOptimizer(OptimizerConfigSchema.parse(config), variables);
  if (options.lrScales) opt.setLrScales(options.lrScales);
  return opt;
}

function newOptimizer(c: OptimizerConfig, variables: readonly tf.Variable[]): Optimizer {
  switch (c.name) {
    case 'sgd':
    case 'momentum':
    case 'nesterov':
      return new SgdOptimizer(variables, c);
    case 'adagrad':
      return new AdagradOptimizer(variables, c);
    case 'rmsprop':
      return new RmsPropOptimizer(variables, c);
    case 'adam':
    case 'adamw':
      return new AdamOptimizer(variables, c);
  }
}
