import { GraphBuilder } from '../../graph/builder';
import { failureNote, finalValAccuracy, fmtPct } from '../measures';
import type { ExperimentDoc, VariantResult } from '../types';

export type ActivationName = 'relu' | 'leaky_relu' | 'gelu' | 'silu' | 'tanh' | 'sigmoid';

export const HIDDEN: readonly number[] = [128, 128, 128, 128];
/** A unit is dead when |f′(z)| stays below this for every probe image (Leaky ReLU's 0.01 slope is above it). */
export const DEAD_SLOPE = 1e-3;
/** An activation value is saturated when its slope is below this share of the function's largest slope. */
export const SATURATED_SLOPE = 0.1;
const LR = 0.2;

const sig = (z: number): number => 1 / (1 + Math.exp(-z));
const C = Math.sqrt(2 / Math.PI);
const gelu = (z: number): number => 0.5 * z * (1 + Math.tanh(C * (z + 0.044715 * z ** 3)));
/** Central difference for the smooth ones. */
const numeric = (f: (z: number) => number) => (z: number) => (f(z + 1e-3) - f(z - 1e-3)) / 2e-3;

/** f′(z) of each activation, its largest slope, and whether it saturates on both sides. */
export const ACTIVATION_FNS: Record<ActivationName, { slope(z: number): number; maxSlope: number; saturates: boolean; title: string }> = {
  relu: { slope: (z) => (z > 0 ? 1 : 0), maxSlope: 1, saturates: false, title: 'ReLU' },
  leaky_relu: { slope: (z) => (z > 0 ? 1 : 0.01), maxSlope: 1, saturates: false, title: 'Leaky ReLU (α 0.01)' },
  gelu: { slope: numeric(gelu), maxSlope: 1.13, saturates: false, title: 'GELU' },
  silu: { slope: (z) => sig(z) * (1 + z * (1 - sig(z))), maxSlope: 1.1, saturates: false, title: 'SiLU (Swish)' },
  tanh: { slope: (z) => 1 - Math.tanh(z) ** 2, maxSlope: 1, saturates: true, title: 'Tanh' },
  sigmoid: { slope: (z) => sig(z) * (1 - sig(z)), maxSlope: 0.25, saturates: true, title: 'Sigmoid' },
};

/** What the activations study measures per variant (hidden units of the 4×128 MLP, on 256 fixed validation images). */
export interface ActivationStudy {
  activation: ActivationName;
  units: number;
  finalDead: number;
  maxDead: number;
  /** Sigmoid/tanh: share of (unit, image) values in the flat part of the curve; null for the others. */
  finalSaturated: number | null;
  deadOverTime: { step: number; dead: number; saturated: number | null; perLayer: number[] }[];
}

export const activationOf = (r: VariantResult): ActivationStudy | undefined => (r.study && 'deadOverTime' in r.study ? (r.study as unknown as ActivationStudy) : undefined);

function graph(act: ActivationName) {
  return () => {
    const b = new GraphBuilder({ name: `MLP 4×128 ${ACTIVATION_FNS[act].title}`, input: [28, 28, 1] });
    let x = b.add('reshape/flatten', {}, b.input());
    HIDDEN.forEach((w, i) => {
      x = b.add('core/dense', { units: w }, x, { label: `dense${i + 1}` });
      x = b.add(`act/${act}`, {}, x, { label: `${act}${i + 1}` });
    });
    b.add('head/classify', { classes: 10 }, x, { label: 'head' });
    return b.build();
  };
}

const variant = (act: ActivationName, description: string) => ({ id: act, name: ACTIVATION_FNS[act].title, description, graph: graph(act), study: { activation: act } });

export const activationsStudy: ExperimentDoc = {
  id: 'dead-relu',
  title: 'Activations at a high learning rate: dead ReLUs and saturation',
  concept: 'Activations',
  notes: { files: ['000', '001', '002', '004'], section: 'domain §1 Activations; §5 Dead ReLU, saturating activations' },
  claim: 'At a high learning rate many ReLU units die (zero gradient for every input) and never recover, while Leaky ReLU, GELU and SiLU keep a gradient; sigmoid and tanh units saturate instead.',
  explanation:
    `A 4×128 MLP on 2,000 MNIST images, plain SGD at lr ${LR} (high for this network: at 0.25 the Leaky ReLU, GELU and SiLU networks already diverge), He initialisation, six hidden activations. ` +
    `Every 25 steps the pre-activations of 256 fixed validation images are read: a unit counts as dead when its slope |f′(z)| is below ${DEAD_SLOPE} for all of them — no gradient reaches its weights, so nothing can revive it. ` +
    'A large step can push a ReLU unit’s bias so negative that it never fires again; Leaky ReLU keeps slope 0.01 on the negative side, GELU and SiLU are smooth with a small negative lobe. Sigmoid and tanh have no dead zone but flat tails: the saturated share counts values whose slope is under 10% of the function’s maximum.',
  formula: "ReLU′ = 1[z > 0];  LeakyReLU′ = 1 or α;  GELU(z) = z·Φ(z);  SiLU(z) = z·σ(z);  σ′ = σ(1 − σ) ≤ 0.25;  tanh′ = 1 − tanh² ;  dead: max_x |f′(z)| < 10⁻³",
  dataset: 'mnist',
  kind: 'trained',
  study: true,
  config: { epochs: 5, batchSize: 32, trainLimit: 2000, valLimit: 500, probeEvery: 0, optimizer: { name: 'sgd', lr: LR }, schedule: { name: 'constant' } },
  variants: [
    variant('relu', 'max(0, z): zero slope for z ≤ 0.'),
    variant('leaky_relu', 'z or 0.01·z: a small slope for z ≤ 0.'),
    variant('gelu', 'z·Φ(z) (tanh approximation): smooth, a small negative lobe.'),
    variant('silu', 'z·σ(z) (Swish): smooth, a small negative lobe.'),
    variant('tanh', 'Saturates at ±1.'),
    variant('sigmoid', 'Saturates at 0 and 1; slope at most 0.25.'),
  ],
  metric: { key: 'dead_units', label: 'share of dead hidden units (end)', better: 'lower', format: 'percent' },
  charts: ['dead_units', 'val_accuracy', 'train_loss'],
  estimatedSeconds: 30,
  verdict(results) {
    const s = Object.fromEntries(results.map((r) => [r.variant, activationOf(r)]));
    const perVariant = Object.fromEntries(
      results.map((r) => {
        const m = s[r.variant];
        return [r.variant, { dead_units: m?.finalDead ?? null, max_dead_units: m?.maxDead ?? null, saturated: m?.finalSaturated ?? null, val_accuracy: finalValAccuracy(r) }];
      }),
    );
    const relu = s.relu;
    const others = ['leaky_relu', 'gelu', 'silu'].filter((id) => s[id]);
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (relu && others.length === 3) {
      const worstOther = Math.max(...others.map((id) => s[id]!.finalDead));
      if (relu.finalDead >= 0.02 && relu.finalDead > 2 * worstOther) direction = 'supports';
      else if (relu.finalDead <= worstOther) direction = 'contradicts';
    }
    const line = (r: VariantResult): string => {
      const m = s[r.variant];
      if (!m) return `${r.name}: ${failureNote(r) || 'not measured'}`;
      const sat = m.finalSaturated !== null ? `, ${fmtPct(m.finalSaturated)} of values saturated` : '';
      return `${r.name}: ${fmtPct(m.finalDead)} dead units at the end (peak ${fmtPct(m.maxDead)})${sat}, accuracy ${fmtPct(finalValAccuracy(r))}`;
    };
    return {
      text: `${results.map(line).join('; ')}.`,
      effect: {
        claim: 'ReLU ends with ≥ 2% dead units and more than twice as many as each of Leaky ReLU, GELU and SiLU',
        direction,
        detail: relu ? `dead units: ReLU ${fmtPct(relu.finalDead)}; ${others.map((id) => `${ACTIVATION_FNS[id as ActivationName].title} ${fmtPct(s[id]!.finalDead)}`).join(', ')}` : 'ReLU not measured',
      },
      perVariant,
      measurements: {},
    };
  },
};
