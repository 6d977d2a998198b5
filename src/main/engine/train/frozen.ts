/**
 * Frozen blocks (NodeDoc.frozen): their layers are not trainable, so the optimizer never sees their weights, and
 * a BatchNorm among them normalises with its running statistics (inference mode) unless the run keeps updating
 * them (`frozenBatchNorm: 'update'`: batch statistics, running statistics updated, γ and β still fixed).
 */
import type * as tf from '@tensorflow/tfjs';
import type { GraphDoc } from '../../../shared/graph/types';
import { layersOfDocNodes, type Compiled } from '../compile/compile';
import { updatesStatsWhenFrozen } from './frozenMode';


export type FrozenBatchNorm = 'running' | 'update';

export interface FreezeSummary {
  /** Layer names made untrainable. */
  layers: string[];
  /** Trainable parameters left, and the ones frozen (elements). */
  trainable: number;
  frozen: number;
}

/** Marks the layers of the graph's frozen nodes (every copy of a repeated group) untrainable. */
export function applyFreeze(compiled: Compiled, graph: GraphDoc, batchNorm: FrozenBatchNorm = 'running'): FreezeSummary {
  const frozenDoc = new Set(graph.nodes.filter((n) => n.frozen).map((n) => n.id));
  const layers: string[] = [];
  const size = (w: tf.LayerVariable): number => w.shape.reduce((a: number, b) => a * (b ?? 1), 1);
  const before = compiled.model.trainableWeights.reduce((s, w) => s + size(w), 0);
  if (frozenDoc.size > 0) {
    for (const [origin, ofNode] of layersOfDocNodes(compiled)) {
      if (!frozenDoc.has(origin)) continue;
      for (const layer of ofNode) {
        layer.trainable = false;
        if (batchNorm === 'update') updatesStatsWhenFrozen.add(layer);
        layers.push(layer.name);
      }
    }
  }
  const trainable = compiled.model.trainableWeights.reduce((s, w) => s + size(w), 0);
  return { layers, trainable, frozen: before - trainable };
}
