import * as tf from '@tensorflow/tfjs';
import { blockByType, parseParams } from '../../../../shared/blocks';
import { analyze } from '../../../../shared/graph/analyze';
import type { GraphDoc } from '../../../../shared/graph/types';
import type { WeightArray } from '../../blocks/types';
import { layerBaseNames } from '../../compile/naming';
import { batchNormStats, foldedWeights, planBatchNormFolding } from '../fuseBatchNorm';

type InboundRef = [string, number, number, Record<string, unknown>?];
interface LayerJson {
  name: string;
  class_name: string;
  config: { use_bias?: boolean; opts?: { use_bias?: boolean } };
  inbound_nodes: InboundRef[][];
}
interface TopologyJson {
  config: { layers: LayerJson[]; output_layers: InboundRef[] };
}

/**
 * Conv-BN fusion of a saved LayersModel (see fuseBatchNorm.ts): each folded BatchNorm layer leaves the topology
 * (its consumers read the conv directly), the conv gets a bias, and the weights are the folded ones.
 * Returns the artifacts unchanged when nothing folds.
 */
export async function fuseArtifacts(graph: GraphDoc, model: tf.LayersModel, artifacts: tf.io.ModelArtifacts): Promise<{ artifacts: tf.io.ModelArtifacts; folded: number }> {
  const { nodes, edges } = analyze(graph).expanded;
  const plan = planBatchNormFolding(nodes, edges);
  if (plan.size === 0) return { artifacts, folded: 0 };
  const bases = layerBaseNames(nodes, graph.groups);
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const read = (layerName: string): Record<string, WeightArray> => {
    const out: Record<string, WeightArray> = {};
    for (const v of model.getLayer(layerName).weights) out[(v.originalName ?? v.name).split('/').pop()!] = { data: v.read().dataSync() as Float32Array, shape: [...v.shape] as number[] };
    return out;
  };
  // conv layer name → its folded weights; BatchNorm layer names to drop.
  const folded = new Map<string, Record<string, WeightArray>>();
  const dropped = new Set<string>();
  for (const [src, bnId] of plan) {
    const bn = byId.get(bnId)!;
    const p = parseParams(blockByType(bn.type)!.params, bn.params);
    if (!p.ok) throw new Error(`unreachable: params of '${bnId}' passed analysis but not parsing`);
    folded.set(bases.get(src)!, foldedWeights(read(bases.get(src)!), batchNormStats(read(bases.get(bnId)!), (p.params as { epsilon: number }).epsilon)));
    dropped.add(bases.get(bnId)!);
  }

  const topology = structuredClone(artifacts.modelTopology) as unknown as TopologyJson;
  const bnInput = new Map<string, InboundRef>();
  for (const layer of topology.config.layers) if (dropped.has(layer.name)) bnInput.set(layer.name, layer.inbound_nodes[0][0]);
  const reroute = (ref: InboundRef): InboundRef => {
    const src = bnInput.get(ref[0]);
    if (!src) return ref;
    return ref.length > 3 ? [src[0], src[1], src[2], ref[3]] : [src[0], src[1], src[2]];
  };
  topology.config.layers = topology.config.layers.filter((l) => !dropped.has(l.name));
  for (const layer of topology.config.layers) {
    layer.inbound_nodes = layer.inbound_nodes.map((node) => node.map(reroute));
    if (folded.has(layer.name)) {
      if (layer.config.opts) layer.config.opts.use_bias = true;
      else layer.config.use_bias = true;
    }
  }
  topology.config.output_layers = topology.config.output_layers.map(reroute);

  // The weights in the saved order, without the BatchNorms; a folded layer's kernel and (new) bias where its kernel was.
  const specs = artifacts.weightSpecs ?? [];
  const original = tf.io.decodeWeights(artifacts.weightData as ArrayBuffer, specs);
  const fresh: tf.Tensor[] = [];
  const out: { name: string; tensor: tf.Tensor }[] = [];
  const emitted = new Set<string>();
  for (const { name } of specs) {
    const layerName = name.slice(0, name.lastIndexOf('/'));
    const f = folded.get(layerName);
    if (dropped.has(layerName) || emitted.has(layerName)) continue;
    if (!f) {
      out.push({ name, tensor: original[name] });
      continue;
    }
    emitted.add(layerName);
    for (const [k, w] of Object.entries(f)) {
      const tensor = tf.tensor(w.data, w.shape);
      fresh.push(tensor);
      out.push({ name: `${layerName}/${k}`, tensor });
    }
  }
  try {
    const encoded = await tf.io.encodeWeights(out);
    const modelTopology = topology as unknown as tf.io.ModelArtifacts['modelTopology'];
    return { artifacts: { ...artifacts, modelTopology, weightSpecs: encoded.specs, weightData: encoded.data }, folded: plan.size };
  } finally {
    tf.dispose([...fresh, ...Object.values(original)]);
  }
}
