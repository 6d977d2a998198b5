import type * as tf from '@tensorflow/tfjs';
import type { Compiled } from '../compile/compile';
import { blockByType } from '../../../shared/blocks';
import type { ProbeTarget } from './probes';

/** What the probes watch, in network order: layers with weights, BatchNorm layers, activation layers. */
export function probeTargets(compiled: Compiled): ProbeTarget[] {
  const { analysis, layerOf, model } = compiled;
  const byId = new Map(analysis.expanded.nodes.map((n) => [n.id, n]));
  const targets: ProbeTarget[] = [];
  for (const id of analysis.order) {
    const node = byId.get(id)!;
    const docId = analysis.expanded.origin.get(id) ?? id;
    const layers = (layerOf.get(id) ?? []).map((name) => model.getLayer(name)) as tf.layers.Layer[];
    const probe = blockByType(node.type)?.probe;
    if (probe?.kind === 'batchnorm') {
      // tfjs' BatchNormalization, or our own layer for affine: false; both keep moving_mean / moving_variance.
      const bn = layers.find((l) => l.weights.some((w) => w.name.endsWith('moving_mean')));
      if (bn) targets.push({ node: docId, layer: bn.name, kind: 'batchnorm' });
      continue;
    }
    if (probe?.kind === 'activation') {
      const last = layers[layers.length - 1];
      if (last) targets.push({ node: docId, layer: last.name, kind: 'activation', activation: probe.activation });
      continue;
    }
    const withKernel = layers.find((l) => l.trainableWeights.length > 0);
    if (withKernel) targets.push({ node: docId, layer: withKernel.name, kind: 'weights' });
  }
  return targets;
}
