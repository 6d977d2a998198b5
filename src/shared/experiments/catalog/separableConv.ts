import { analyze } from '../../graph/analyze';
import type { GraphDoc } from '../../graph/types';
import { cnn } from '../graphs';
import { failureNote, finalValAccuracy, fmtCount, fmtNum, fmtPct, fmtPts } from '../measures';
import type { ExperimentDoc } from '../types';

const input: [number, number, number] = [32, 32, 3];
const FILTERS = [32, 64, 128];

/** Params and FLOPs of the conv layers after the first (the ones the variants differ in), and the kernel/out-channel of the last. */
function convCost(g: GraphDoc): { params: number; flops: number } {
  const a = analyze(g);
  let params = 0;
  let flops = 0;
  const convs = g.nodes.filter((n) => n.type === 'core/conv2d' || n.type === 'core/separable_conv2d');
  for (const n of convs.slice(1)) {
    params += a.nodes[n.id]?.cost?.params ?? 0;
    flops += a.nodes[n.id]?.flops ?? 0;
  }
  return { params, flops };
}

export const separableConv: ExperimentDoc = {
  id: 'separable-conv',
  title: 'Depthwise-separable vs standard convolution',
  concept: 'Depthwise / pointwise / depthwise-separable conv',
  notes: { files: ['000', '001', '004'], section: 'domain §1 Depthwise-separable conv; §6 Efficiency' },
  claim: 'A depthwise-separable conv costs about 1/C_out + 1/K² of a standard one in parameters and FLOPs, for a small loss in accuracy.',
  explanation:
    `Two CNNs on the 32×32 colour Shapes set, channels ${FILTERS.join('→')}, BN + ReLU after each conv. The second and third convs are standard 3×3 in one and depthwise 3×3 + pointwise 1×1 (MobileNet style) in the other (the first conv sees the 3 raw channels in both). ` +
    'Parameters and FLOPs are counted from the graphs; accuracy is measured. Note 001 says the saving is 1/K²; the correct ratio is 1/C_out + 1/K².',
  formula: 'standard: K²·C_in·C_out params, 2·K²·C_in·C_out·H·W FLOPs;  separable: K²·C_in + C_in·C_out params, 2·(K²·C_in + C_in·C_out)·H·W FLOPs;  ratio = 1/C_out + 1/K²',
  dataset: 'shapes',
  kind: 'trained',
  config: {
    epochs: 3,
    batchSize: 64,
    trainLimit: 2048,
    valLimit: 500,
    probeEvery: 0,
    optimizer: { name: 'adam', lr: 0.003 },
    schedule: { name: 'constant' },
  },
  variants: [
    { id: 'standard', name: 'Standard 3×3 convs', description: 'conv 3×3 everywhere.', graph: () => cnn({ name: 'CNN, standard convs', input, filters: FILTERS, batchnorm: true }) },
    {
      id: 'separable',
      name: 'Depthwise-separable convs',
      description: 'Depthwise 3×3 + pointwise 1×1 after the first conv.',
      graph: () => cnn({ name: 'CNN, depthwise-separable convs', input, filters: FILTERS, batchnorm: true, conv: 'separable' }),
    },
  ],
  metric: { key: 'params', label: 'parameters', better: 'lower', format: 'count' },
  charts: ['params_flops', 'train_loss', 'val_accuracy'],
  estimatedSeconds: 85,
  verdict(results, ctx) {
    const conv = Object.fromEntries(Object.entries(ctx.graphs).map(([id, g]) => [id, convCost(g)]));
    const perVariant = Object.fromEntries(
      results.map((r) => [r.variant, { params: r.params, flops: r.flops, conv_params: conv[r.variant]?.params ?? null, conv_flops: conv[r.variant]?.flops ?? null, val_accuracy: finalValAccuracy(r) }]),
    );
    const s = results.find((r) => r.variant === 'standard');
    const d = results.find((r) => r.variant === 'separable');
    const cs = conv.standard;
    const cd = conv.separable;
    const paramRatio = cs && cd && cs.params ? cd.params / cs.params : null;
    const flopRatio = cs && cd && cs.flops ? cd.flops / cs.flops : null;
    const formula = FILTERS.slice(1).map((c) => 1 / c + 1 / 9);
    const accS = s ? finalValAccuracy(s) : null;
    const accD = d ? finalValAccuracy(d) : null;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (paramRatio !== null && flopRatio !== null && accS !== null && accD !== null) {
      if (paramRatio < 0.5 && flopRatio < 0.5 && accS - accD < 0.15) direction = 'supports';
      else if (paramRatio >= 1 || flopRatio >= 1) direction = 'contradicts';
    }
    const text =
      (cs && cd
        ? `The convs that differ: ${fmtCount(cs.params)} → ${fmtCount(cd.params)} parameters (×${fmtNum(paramRatio, 2)}) and ${fmtCount(cs.flops)} → ${fmtCount(cd.flops)} FLOPs per image (×${fmtNum(flopRatio, 2)}); 1/C_out + 1/K² gives ${formula.map((f) => fmtNum(f, 2)).join(' and ')} for the two layers. `
        : '') +
      (s && d ? `Whole network: ${fmtCount(s.params)} vs ${fmtCount(d.params)} parameters. Validation accuracy: standard ${failureNote(s) || fmtPct(accS)}, separable ${failureNote(d) || fmtPct(accD)} (${fmtPts(accD !== null && accS !== null ? accD - accS : null)}).` : '');
    return {
      text,
      effect: { claim: 'separable: < 0.5× the parameters and FLOPs of the convs it replaces, within 15 points of the accuracy', direction, detail: `params ×${fmtNum(paramRatio, 2)}, FLOPs ×${fmtNum(flopRatio, 2)}, accuracy ${fmtPct(accS)} vs ${fmtPct(accD)}` },
      perVariant,
      measurements: { convParamRatio: paramRatio, convFlopRatio: flopRatio, formulaRatios: formula },
    };
  },
};
