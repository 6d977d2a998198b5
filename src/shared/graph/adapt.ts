import { blockByType } from '../blocks';
import type { GraphDoc } from './types';

export interface DataSpec {
  name: string;
  shape: readonly number[];
  classes: number;
}

/**
 * Fits a network to a dataset the way a user would by hand: the input spec takes the images' H×W×C and each
 * head's `classes` the dataset's class count. Returns the new graph and a note per change (the caller shows
 * them and re-validates: a network may not fit a smaller input).
 */
export function adaptToDataset(graph: GraphDoc, data: DataSpec): { graph: GraphDoc; notes: string[] } {
  const notes: string[] = [];
  const from = graph.meta.input.shape;
  let meta = graph.meta;
  if (from.join('×') !== data.shape.join('×')) {
    meta = { ...meta, input: { shape: [...data.shape] } };
    notes.push(`input set from ${from.join('×')} to ${data.shape.join('×')} for ${data.name}`);
  }
  const nodes = graph.nodes.map((n) => {
    if (!blockByType(n.type)?.datasetClasses || n.params.classes === data.classes) return n;
    notes.push(`'${n.label || n.id}' set from ${String(n.params.classes)} to ${data.classes} classes`);
    return { ...n, params: { ...n.params, classes: data.classes } };
  });
  return { graph: notes.length ? { ...graph, meta, nodes } : graph, notes };
}
