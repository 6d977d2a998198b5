import { mlp } from '../graphs';
import { activationStdRatio, activationStdsAtInit, failureNote, finalValAccuracy, fmtNum, fmtPct, fmtRatio } from '../measures';
import type { ExperimentDoc } from '../types';
import type { NodeInit } from '../../graph/types';
import { plural } from '../../plural';

const input: [number, number, number] = [28, 28, 1];
const DEPTH = 10;
const WIDTH = 64;
const net = (name: string, init: NodeInit) => mlp({ name, input, depth: DEPTH, width: WIDTH, activation: 'relu', init });

export const initialization: ExperimentDoc = {
  id: 'initialization',
  title: 'He vs Xavier vs too-small normal initialisation',
  concept: 'Initialization',
  notes: { files: ['001', '004'], section: 'domain §3 Initialization (Xavier/Glorot, He)' },
  claim: 'With ReLU, He initialisation keeps the activation scale constant through depth; Xavier lets it shrink layer by layer; a too-small normal makes it vanish.',
  explanation:
    `A ${DEPTH}-layer ReLU MLP (width ${WIDTH}) with three initialisations of its Dense kernels. The first probe (step 0, before any update) records the std of every ReLU layer's output. ` +
    'A ReLU zeroes half of its input, halving the second moment; He\'s Var(W) = 2/n_in restores it exactly, Xavier\'s 2/(n_in + n_out) = 1/n for a square layer loses a factor 2 in variance (≈ 0.71 in std) per layer, and N(0, 0.01²) loses a factor of about 0.01·√(n/2) per layer.',
  formula: 'Var(z_l) = n_in·Var(W_l)·E[a²_{l−1}], and for ReLU E[a²] = ½·Var(z) ⇒ Var(z_l) = ½·n_in·Var(W_l)·Var(z_{l−1});  He: Var(W) = 2/n_in;  Xavier/Glorot: Var(W) = 2/(n_in + n_out)',
  dataset: 'mnist',
  kind: 'trained',
  config: {
    epochs: 1,
    batchSize: 64,
    trainLimit: 4096,
    valLimit: 500,
    probeEvery: 8,
    optimizer: { name: 'momentum', lr: 0.01, momentum: 0.9 },
    schedule: { name: 'constant' },
  },
  variants: [
    { id: 'he', name: 'He normal', description: 'N(0, 2/n_in).', graph: () => net('ReLU MLP, He init', 'he_normal') },
    { id: 'xavier', name: 'Xavier (Glorot) normal', description: 'N(0, 2/(n_in + n_out)).', graph: () => net('ReLU MLP, Xavier init', 'glorot_normal') },
    { id: 'small', name: 'Normal, std 0.01', description: 'N(0, 0.01²): too small for this depth.', graph: () => net('ReLU MLP, small normal init', 'normal') },
  ],
  metric: { key: 'activation_std_ratio', label: 'last/first layer activation std at init', better: 'higher', format: 'ratio' },
  charts: ['activation_std_per_layer', 'train_loss', 'val_accuracy'],
  estimatedSeconds: 20,
  verdict(results) {
    const perVariant = Object.fromEntries(results.map((r) => {
      const stds = activationStdsAtInit(r);
      return [r.variant, { activation_std_ratio: activationStdRatio(r), first_std: stds[0]?.std ?? null, last_std: stds[stds.length - 1]?.std ?? null, val_accuracy: finalValAccuracy(r) }];
    }));
    const ratio = (id: string): number | null => perVariant[id]?.activation_std_ratio ?? null;
    const he = ratio('he');
    const xa = ratio('xavier');
    const sm = ratio('small');
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (he !== null && xa !== null && sm !== null) {
      if (he > 0.25 && he < 4 && xa < he && sm < xa && sm < 1e-3) direction = 'supports';
      else if (xa >= he || sm >= he) direction = 'contradicts';
    }
    const perLayer = (x: number | null): string => (x !== null && x > 0 ? fmtNum(x ** (1 / (DEPTH - 1)), 2) : 'n/a');
    const text =
      `Activation std of the last ReLU layer over the first, at initialisation: ${results.map((r) => `${r.name} ${fmtRatio(ratio(r.variant))} (×${perLayer(ratio(r.variant))} per layer)`).join(', ')}. ` +
      `Validation accuracy after ${plural(results[0]?.epochs.length ?? 0, 'epoch')}: ${results.map((r) => `${r.name} ${failureNote(r) || fmtPct(finalValAccuracy(r))}`).join(', ')}.`;
    return {
      text,
      effect: { claim: 'He keeps the ratio near 1 (0.25–4); Xavier below He; small normal below Xavier and < 1e-3', direction, detail: `He ${fmtRatio(he)}, Xavier ${fmtRatio(xa)}, small ${fmtRatio(sm)}` },
      perVariant,
      measurements: { activationStdsAtInit: Object.fromEntries(results.map((r) => [r.variant, activationStdsAtInit(r)])) },
    };
  },
};
