import { analyze } from '../../graph/analyze';
import type { GraphDoc } from '../../graph/types';
import { convStack, type ConvStackLayer } from '../graphs';
import { fmtCount } from '../measures';
import { receptiveFields, rfSquare } from '../receptiveField';
import type { ExperimentDoc, ReceptiveFieldDrawing, VerdictContext } from '../types';

const SIZE = 32;
const C = 16;
const input: [number, number, number] = [SIZE, SIZE, 3];
/** A 1×1 stem makes every compared conv C → C (RF unchanged: k = 1). */
const stem: ConvStackLayer = { kind: 'conv', kernel: 1, filters: C };
const conv = (kernel: number, dilation = 1): ConvStackLayer => ({ kind: 'conv', kernel, dilation, filters: C });

/** Parameters of the k×k convs (the stem and head excluded). */
function kernelParams(g: GraphDoc): number {
  const a = analyze(g);
  return g.nodes.filter((n) => n.type === 'core/conv2d' && (n.params.kernel as number) > 1).reduce((s, n) => s + (a.nodes[n.id]?.cost?.params ?? 0), 0);
}

const CENTER = { x: SIZE / 2, y: SIZE / 2 };

export const receptiveField: ExperimentDoc = {
  id: 'receptive-field',
  title: 'Receptive field: stacked 3×3 vs one larger kernel',
  concept: 'Receptive field',
  notes: { files: ['001', '003'], section: 'domain §5 Receptive field; §1 Conv2d ("two 3×3 convs see as much as one 5×5")' },
  claim: 'Three stacked 3×3 convs see the same 7×7 window as one 7×7 conv, with fewer parameters and more nonlinearities; pooling and dilation grow the field faster.',
  explanation:
    `Computed from the graphs, not trained. Every compared conv maps ${C} → ${C} channels (a 1×1 stem comes first). ` +
    'Going down from one output unit, each layer widens the window by (k − 1) times the product of the strides below it. The drawing marks, on a 32×32 input image, the window seen by the centre unit after each layer. ' +
    'Worked example from 003: three 5×5 layers give 5, 9, 13. The effective receptive field is smaller than this theoretical one (its weight falls off like a Gaussian, 003).',
  formula: 'RF_i = (RF_{i+1} − 1)·s_i + k_i  (from the top, RF = 1);  dilated: k = d(k − 1) + 1;  params K²·C_in·C_out + C_out',
  dataset: 'shapes',
  kind: 'computed',
  config: {},
  variants: [
    { id: 'stack3x3', name: 'Three 3×3 convs', description: '3×3 → 3×3 → 3×3 (VGG style).', graph: () => convStack('Three 3×3 convs', input, [stem, conv(3), conv(3), conv(3)]) },
    { id: 'single7x7', name: 'One 7×7 conv', description: 'A single 7×7 conv.', graph: () => convStack('One 7×7 conv', input, [stem, conv(7)]) },
    { id: 'stack5x5', name: 'Three 5×5 convs', description: 'The notes\' worked example (003).', graph: () => convStack('Three 5×5 convs', input, [stem, conv(5), conv(5), conv(5)]) },
    {
      id: 'pooled',
      name: '3×3, 2×2 max-pool, 3×3, 3×3',
      description: 'A stride-2 pool between the convs doubles the step of every layer above it.',
      graph: () => convStack('3×3 convs with a pool', input, [stem, conv(3), { kind: 'maxpool', kernel: 2 }, conv(3), conv(3)]),
    },
    { id: 'dilated', name: '3×3 convs, dilation 1, 2, 4', description: 'Dilated convs grow the field without pooling.', graph: () => convStack('Dilated 3×3 convs', input, [stem, conv(3, 1), conv(3, 2), conv(3, 4)]) },
  ],
  metric: { key: 'receptive_field', label: 'receptive field (pixels)', better: 'higher', format: 'count' },
  charts: ['receptive_field', 'params_flops'],
  estimatedSeconds: 1,
  verdict(results, ctx) {
    const rf = Object.fromEntries(Object.entries(ctx.graphs).map(([id, g]) => [id, receptiveFields(g)]));
    const params = Object.fromEntries(Object.entries(ctx.graphs).map(([id, g]) => [id, kernelParams(g)]));
    const last = (id: string): number | null => {
      const l = rf[id];
      return l && l.length ? l[l.length - 1].rf : null;
    };
    const perVariant = Object.fromEntries(
      results.map((r) => [r.variant, { receptive_field: last(r.variant), kernel_params: params[r.variant] ?? null, spatial_layers: (rf[r.variant] ?? []).filter((l) => l.kernel > 1).length, params: r.params, flops: r.flops }]),
    );
    const seq = (id: string): string => (rf[id] ?? []).filter((l) => l.kernel > 1 || l.stride > 1).map((l) => l.rf).join(' → ');
    const s3 = last('stack3x3');
    const s7 = last('single7x7');
    const p3 = params.stack3x3;
    const p7 = params.single7x7;
    let direction: 'supports' | 'contradicts' | 'inconclusive' = 'inconclusive';
    if (s3 !== null && s7 !== null && p3 !== undefined && p7 !== undefined) direction = s3 === s7 && p3 < p7 ? 'supports' : 'contradicts';
    const text =
      `Receptive field after each layer: ${results.map((r) => `${r.name}: ${seq(r.variant)}`).join('; ')}. ` +
      (s3 !== null && s7 !== null ? `Three 3×3 convs reach ${s3}×${s3} like one 7×7 (${s7}×${s7}) with ${fmtCount(p3)} instead of ${fmtCount(p7)} parameters (×${(p3 / p7).toFixed(2)}; 27C² vs 49C²) and three ReLUs instead of one.` : '');
    return {
      text,
      effect: { claim: 'three 3×3 convs: same receptive field as one 7×7, fewer parameters', direction, detail: `RF ${s3} vs ${s7}, params ${p3} vs ${p7}` },
      perVariant,
      measurements: { layers: rf },
    };
  },
  drawing(ctx: VerdictContext): ReceptiveFieldDrawing {
    const squares: ReceptiveFieldDrawing['squares'] = [];
    for (const [variant, g] of Object.entries(ctx.graphs)) {
      for (const l of receptiveFields(g)) {
        if (l.kernel === 1 && l.stride === 1) continue;
        squares.push({ variant, layer: l.name, rf: l.rf, ...rfSquare(l.rf, CENTER.x, CENTER.y, SIZE, SIZE) });
      }
    }
    return { dataset: 'shapes', sampleIndex: 0, image: { width: SIZE, height: SIZE }, center: CENTER, squares };
  },
};
