/**
 * Learning-rate multipliers (NodeDoc.lrMultiplier) on the engines: the layers of a node (every copy of a repeated
 * group) are marked with its multiplier, and the optimizers step their variables with lr × it. The TF.js
 * optimizer takes one scale per variable; the PyTorch engine and train.py make one param group per multiplier.
 */
import type * as tf from '@tensorflow/tfjs';
import { describeLrMultipliers, lrMultiplierUses } from '../../../shared/graph/lrMultiplier';
import type { GraphDoc } from '../../../shared/graph/types';
import { layersOfDocNodes, type Compiled } from '../compile/compile';

const multiplierOfLayer = new WeakMap<tf.layers.Layer, number>();

/** The layer's learning-rate multiplier (1 unless its block sets one). */
export const layerLrMultiplier = (layer: tf.layers.Layer): number => multiplierOfLayer.get(layer) ?? 1;

export interface LrMultiplierSummary {
  /** Layers that train at a rate other than the run's. */
  layers: number;
  /** "lr ×0.1 on 12 blocks" (empty when none). */
  text: string;
}

/** Marks the layers of the graph's nodes that have a multiplier other than 1 (a frozen node's does not matter). */
export function applyLrMultipliers(compiled: Compiled, graph: GraphDoc): LrMultiplierSummary {
  const byNode = new Map(graph.nodes.filter((n) => n.lrMultiplier !== undefined && n.lrMultiplier !== 1 && !n.frozen).map((n) => [n.id, n.lrMultiplier!]));
  let layers = 0;
  for (const [origin, ofNode] of layersOfDocNodes(compiled)) {
    const m = byNode.get(origin);
    if (m === undefined) continue;
    for (const layer of ofNode) {
      multiplierOfLayer.set(layer, m);
      layers++;
    }
  }
  return { layers, text: describeLrMultipliers(lrMultiplierUses(graph.nodes)) };
}

/** One multiplier per trainable weight of the model, in model.trainableWeights order (the optimizer's variables). */
export function lrScalesOf(model: tf.LayersModel): number[] {
  const byWeight = new Map<tf.LayerVariable, number>();
  for (const layer of model.layers) for (const w of layer.trainableWeights) byWeight.set(w, layerLrMultiplier(layer));
  return model.trainableWeights.map((w) => byWeight.get(w) ?? 1);
}
