/** Frozen blocks (NodeDoc.frozen): which ones, "freeze everything up to here", and the trainable/frozen totals. */
import type { Analysis } from './analyze';
import type { GraphDoc } from './types';

/** The graph with `frozen` set (or cleared) on these nodes. */
export function setFrozen(graph: GraphDoc, ids: Iterable<string>, frozen: boolean): GraphDoc {
  const set = new Set(ids);
  return {
    ...graph,
    nodes: graph.nodes.map((n) => {
      if (!set.has(n.id)) return n;
      const { frozen: _old, ...rest } = n;
      return frozen ? { ...rest, frozen: true } : rest;
    }),
  };
}

/** The node and every node upstream of it (what "freeze everything up to here" freezes). */
export function upstreamOf(graph: GraphDoc, id: string): Set<string> {
  const into = new Map<string, string[]>();
  for (const e of graph.edges) into.set(e.target, [...(into.get(e.target) ?? []), e.source]);
  const seen = new Set<string>([id]);
  const todo = [id];
  while (todo.length) {
    for (const s of into.get(todo.pop()!) ?? []) {
      if (seen.has(s)) continue;
      seen.add(s);
      todo.push(s);
    }
  }
  return seen;
}

/** Freezes the node and everything before it; the blocks after it are left as they are. */
export const freezeUpTo = (graph: GraphDoc, id: string): GraphDoc => setFrozen(graph, upstreamOf(graph, id), true);

/** The nodes of a group (freezing a group freezes each of them). */
export const nodesOfGroup = (graph: GraphDoc, groupId: string): string[] => graph.nodes.filter((n) => n.group === groupId).map((n) => n.id);

export interface FreezeTotals {
  trainable: number;
  frozen: number;
  /** Frozen blocks that have parameters. */
  frozenBlocks: number;
}

/** Parameters of frozen and of trainable blocks (every copy of a repeated group counted). */
export function freezeTotals(graph: GraphDoc, analysis: Analysis): FreezeTotals {
  let frozen = 0;
  let frozenBlocks = 0;
  for (const n of graph.nodes) {
    if (!n.frozen) continue;
    const info = analysis.nodes[n.id];
    const params = (info?.cost?.params ?? 0) * (info?.copies ?? 1);
    frozen += params;
    if (params > 0) frozenBlocks++;
  }
  return { trainable: analysis.totals.params - frozen, frozen, frozenBlocks };
}
