// The probes of a PyTorch run: the lab's probe targets (train/targets.ts) named in the torch module, and the
// runner's flat probe read (python/netsmith_runner/probes.py) turned into the LayerProbe records TF.js runs emit.
import type { Compiled } from '../compile/compile';
import type { LayerProbe } from '../../../shared/training/telemetry';
import { histogram, meanStd } from '../train/histogram';
import type { ProbeTarget } from '../train/probes';

export interface TorchProbeTarget extends ProbeTarget {
  /** weights: the torch key of the layer's kernel. */
  param?: string;
  /** activation: the forward() variable of the layer's output; batchnorm: of its input. */
  tap?: string;
  runningMean?: string;
  runningVar?: string;
  gamma?: string;
  beta?: string;
}

export function torchProbeTargets(
  compiled: Compiled,
  targets: readonly ProbeTarget[],
  nodeVars: Map<string, { output: string; inputs: string[] }>,
  keyOf: Map<string, string>,
): TorchProbeTarget[] {
  const nodeOfLayer = new Map<string, string>();
  for (const [id, layers] of compiled.layerOf) for (const l of layers) nodeOfLayer.set(l, id);
  const out: TorchProbeTarget[] = [];
  for (const t of targets) {
    const layer = compiled.model.getLayer(t.layer);
    const vars = nodeVars.get(nodeOfLayer.get(t.layer) ?? '');
    if (t.kind === 'weights') {
      const kernel = layer.trainableWeights[0];
      const param = kernel && keyOf.get(kernel.name);
      if (param) out.push({ ...t, param });
    } else if (t.kind === 'activation') {
      if (vars) out.push({ ...t, tap: vars.output });
    } else if (vars?.inputs[0]) {
      const key = (suffix: string): string | undefined => {
        const w = layer.weights.find((x) => x.name.endsWith(suffix));
        return w && keyOf.get(w.name);
      };
      out.push({ ...t, tap: vars.inputs[0], runningMean: key('moving_mean'), runningVar: key('moving_variance'), gamma: key('gamma'), beta: key('beta') });
    }
  }
  return out;
}

/** The runner's probe (layout: [name, count] in target order) as LayerProbes. */
export function decodeProbe(targets: readonly TorchProbeTarget[], layout: readonly [string, number][], payload: Uint8Array): LayerProbe[] {
  const all = new Float32Array(payload.buffer.slice(payload.byteOffset, payload.byteOffset + payload.byteLength));
  let offset = 0;
  let part = 0;
  const take = (name: string): Float32Array => {
    const [got, n] = layout[part++] ?? [];
    if (got !== name) throw new Error(`probe layout: expected ${name}, got ${got}`);
    return all.subarray(offset, (offset += n!));
  };
  const arr = (a: Float32Array): number[] | undefined => (a.length ? Array.from(a) : undefined);
  return targets.map((t): LayerProbe => {
    if (t.kind === 'weights') {
      const [g2, gmax, w2, u2, old2] = take('stats');
      const w = take('w');
      const g = take('g');
      return {
        node: t.node,
        layer: t.layer,
        kind: 'weights',
        gradNorm: Math.sqrt(g2),
        gradMax: gmax,
        weightNorm: Math.sqrt(w2),
        updateRatio: Math.sqrt(u2) / Math.max(1e-12, Math.sqrt(old2)),
        weightHist: histogram(w),
        ...(g.length ? { gradHist: histogram(g) } : {}),
      };
    }
    if (t.kind === 'activation') {
      const [dead, sat] = take('flags');
      const values = take('values');
      return {
        node: t.node,
        layer: t.layer,
        kind: 'activation',
        activation: { ...meanStd(values), hist: histogram(values), ...(dead >= 0 ? { deadFraction: dead } : {}), ...(sat >= 0 ? { saturatedFraction: sat } : {}) },
      };
    }
    const batchMean = Array.from(take('batchMean'));
    const batchVar = Array.from(take('batchVar'));
    return {
      node: t.node,
      layer: t.layer,
      kind: 'batchnorm',
      batchnorm: { batchMean, batchVar, runningMean: Array.from(take('runningMean')), runningVar: Array.from(take('runningVar')), gamma: arr(take('gamma')), beta: arr(take('beta')) },
    };
  });
}
