import type * as tf from '@tensorflow/tfjs';
import { blockByType, type BlockFamily } from '../../../shared/blocks';
import { analyze } from '../../../shared/graph/analyze';
import type { GraphDoc } from '../../../shared/graph/types';
import { baseOfLayer, layerBaseNames } from './naming';

export interface NodeProbes {
  /** Expanded node id (`conv1`, or `conv1#2` for the second copy in a repeated group). */
  nodeId: string;
  /** The document node it copies. */
  origin: string;
  type: string;
  family: BlockFamily;
  /** Layers built for the node, in network order. */
  layers: string[];
  /** The layer whose output is the node's output: watch its activations here. */
  output: string;
  /** Trainable variables by layer, named as tf.variableGrads keys them. */
  trainable: { layer: string; variables: string[] }[];
  /** Running statistics (BatchNorm, and the BN inside coordinate attention). */
  running: { layer: string; mean: string; variance: string }[];
  /** An activation block: watch the output for saturation and dead units. */
  activation: boolean;
}

/**
 * What the telemetry probes should watch, node by node in network order. Works on a freshly compiled model
 * and on one reloaded from artifacts: layer names map back to nodes (`<base>` or `<base>__<suffix>`).
 */
export function nodeProbes(model: tf.LayersModel, graph: GraphDoc): NodeProbes[] {
  const analysis = analyze(graph);
  const { nodes, origin } = analysis.expanded;
  const byBase = new Map<string, string>();
  for (const [id, base] of layerBaseNames(nodes, graph.groups)) byBase.set(base, id);
  const layersOf = new Map<string, tf.layers.Layer[]>();
  for (const layer of model.layers) {
    const id = byBase.get(baseOfLayer(layer.name));
    if (id !== undefined) (layersOf.get(id) ?? layersOf.set(id, []).get(id)!).push(layer);
  }
  const typeOf = new Map(nodes.map((n) => [n.id, n.type]));
  const out: NodeProbes[] = [];
  for (const id of analysis.order) {
    const layers = layersOf.get(id);
    if (!layers) continue;
    const type = typeOf.get(id)!;
    const family = blockByType(type)?.family ?? 'io';
    out.push({
      nodeId: id,
      origin: origin.get(id) ?? id,
      type,
      family,
      layers: layers.map((l) => l.name),
      output: layers[layers.length - 1].name,
      trainable: layers.filter((l) => l.trainableWeights.length > 0).map((l) => ({ layer: l.name, variables: l.trainableWeights.map((w) => w.name) })),
      running: layers.flatMap((l) => runningStats(l)),
      activation: family === 'activation',
    });
  }
  return out;
}

function runningStats(layer: tf.layers.Layer): NodeProbes['running'] {
  const frozen = layer.nonTrainableWeights;
  const mean = frozen.find((w) => w.originalName.endsWith('moving_mean'));
  const variance = frozen.find((w) => w.originalName.endsWith('moving_variance'));
  return mean && variance ? [{ layer: layer.name, mean: mean.name, variance: variance.name }] : [];
}
