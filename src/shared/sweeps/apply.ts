import type { GraphDoc } from '../graph/types';
import { isTrainingParam, type TrialParams } from './space';

type Config = Record<string, unknown> & { optimizer?: Record<string, unknown>; loss?: Record<string, unknown>; regularization?: Record<string, unknown> };

/**
 * One trial's network and settings: the base graph and config with the trial's values set. Pure: the base
 * objects are not changed. Keys were checked by `checkSpace`; an unknown block label here is a bug.
 */
export function applyTrial(graph: GraphDoc, base: Record<string, unknown>, params: TrialParams): { graph: GraphDoc; config: Record<string, unknown> } {
  const g: GraphDoc = { ...graph, nodes: graph.nodes.map((n) => ({ ...n, params: { ...n.params } })) };
  const c: Config = { ...base, optimizer: { ...((base.optimizer as Record<string, unknown>) ?? {}) }, loss: { ...((base.loss as Record<string, unknown>) ?? {}) }, regularization: { ...((base.regularization as Record<string, unknown>) ?? {}) } };
  const optimizer = String(params.optimizer ?? c.optimizer!.name ?? 'adam');
  for (const [key, value] of Object.entries(params)) {
    if (isTrainingParam(key)) {
      switch (key) {
        case 'lr':
          c.optimizer!.lr = value;
          break;
        case 'optimizer':
          c.optimizer!.name = value;
          break;
        case 'momentum':
          c.optimizer!.momentum = value;
          break;
        case 'weightDecay':
          if (optimizer === 'adamw') c.optimizer!.weightDecay = value;
          else c.regularization!.l2 = value;
          break;
        case 'labelSmoothing':
          c.loss!.labelSmoothing = value;
          break;
        case 'dropout':
          for (const n of g.nodes) if (n.type === 'reg/dropout') n.params.rate = value;
          break;
        default:
          c[key] = value;
      }
      continue;
    }
    const dot = key.lastIndexOf('.');
    const label = key.slice(0, dot);
    const nodes = g.nodes.filter((n) => n.label === label);
    if (nodes.length === 0) throw new Error(`no block labelled '${label}'`);
    for (const n of nodes) n.params[key.slice(dot + 1)] = value;
  }
  return { graph: g, config: c };
}
