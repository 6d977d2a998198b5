import type { EdgeDoc, GraphDoc, Issue, NodeDoc } from './types';

export interface ExpandedGraph {
  nodes: NodeDoc[];
  edges: EdgeDoc[];
  /** expanded node id → the id of the node it copies (itself for the first copy). */
  origin: Map<string, string>;
  edgeOrigin: Map<string, string>;
  issues: Issue[];
}

const copyId = (id: string, k: number): string => (k === 0 ? id : `${id}#${k + 1}`);

interface Port {
  node: string;
  port: string;
}

/** The group's single entry source and single exit port, or an issue explaining why it has none. */
export function groupBoundary(
  graph: Pick<GraphDoc, 'nodes' | 'edges'>,
  groupId: string,
): { members: Set<string>; entry?: Port; exit?: Port; problem?: string } {
  const members = new Set(graph.nodes.filter((n) => n.group === groupId).map((n) => n.id));
  const entries = new Map<string, Port>();
  const exits = new Map<string, Port>();
  for (const e of graph.edges) {
    const inS = members.has(e.source);
    const inT = members.has(e.target);
    if (!inS && inT) entries.set(`${e.source}:${e.sourcePort}`, { node: e.source, port: e.sourcePort });
    if (inS && !inT) exits.set(`${e.source}:${e.sourcePort}`, { node: e.source, port: e.sourcePort });
  }
  let problem: string | undefined;
  if (entries.size > 1) problem = `takes inputs from ${entries.size} places (${[...entries.values()].map((p) => `'${p.node}'`).join(', ')}); a group needs exactly one input`;
  else if (exits.size > 1) problem = `has ${exits.size} outputs (${[...exits.values()].map((p) => `'${p.node}'`).join(', ')}); a group needs exactly one output`;
  return { members, entry: [...entries.values()][0], exit: [...exits.values()][0], problem };
}

function brokenGroups(graph: Pick<GraphDoc, 'nodes' | 'edges'>): Map<string, string> {
  const groupOf = new Map<string, string>();
  for (const n of graph.nodes) if (n.group) groupOf.set(n.id, n.group);
  const entries = new Map<string, Map<string, string>>();
  const exits = new Map<string, Map<string, string>>();
  const note = (m: Map<string, Map<string, string>>, g: string, key: string, node: string): void => {
    (m.get(g) ?? m.set(g, new Map()).get(g)!).set(key, node);
  };
  for (const e of graph.edges) {
    const gs = groupOf.get(e.source);
    const gt = groupOf.get(e.target);
    if (gs === gt) continue;
    if (gt) note(entries, gt, `${e.source}:${e.sourcePort}`, e.source);
    if (gs) note(exits, gs, `${e.source}:${e.sourcePort}`, e.source);
  }
  const out = new Map<string, string>();
  const list = (m: Map<string, string>): string => [...m.values()].map((n) => `'${n}'`).join(', ');
  for (const [g, m] of entries) if (m.size > 1) out.set(g, `takes inputs from ${m.size} places (${list(m)}); a group needs exactly one input`);
  for (const [g, m] of exits) if (m.size > 1 && !out.has(g)) out.set(g, `has ${m.size} outputs (${list(m)}); a group needs exactly one output`);
  return out;
}

/** Unrolls groups with `repeat > 1` into N chained copies of their nodes. */
export function expandGroups(graph: GraphDoc): ExpandedGraph {
  let nodes = graph.nodes;
  let edges = graph.edges;
  const origin = new Map(nodes.map((n) => [n.id, n.id]));
  const edgeOrigin = new Map(edges.map((e) => [e.id, e.id]));
  const issues: Issue[] = [];

  // One pass finds the groups whose boundary is broken; only repeated groups need their boundary again below.
  const broken = brokenGroups(graph);
  for (const group of graph.groups) {
    const problem = broken.get(group.id);
    if (problem) {
      issues.push({ severity: 'error', code: 'group', groupId: group.id, message: `Group '${group.name}' ${problem}` });
      continue;
    }
    if (group.repeat <= 1) continue;
    const { members, entry, exit } = groupBoundary({ nodes, edges }, group.id);
    if (members.size === 0) continue;
    if (!entry || !exit) {
      issues.push({ severity: 'error', code: 'group', groupId: group.id, message: `Group '${group.name}' needs one input and one output to repeat ×${group.repeat}` });
      continue;
    }
    const memberNodes = nodes.filter((n) => members.has(n.id));
    const newNodes: NodeDoc[] = [];
    for (const n of nodes) {
      newNodes.push(n);
      if (members.has(n.id) && n === memberNodes[memberNodes.length - 1]) {
        for (let k = 1; k < group.repeat; k++) {
          for (const m of memberNodes) {
            const id = copyId(m.id, k);
            newNodes.push({ ...m, id });
            origin.set(id, origin.get(m.id) ?? m.id);
          }
        }
      }
    }
    // Edges keep their original order (input order matters, e.g. for Concat); copies follow.
    const newEdges: EdgeDoc[] = [];
    const copies: EdgeDoc[] = [];
    for (const e of edges) {
      const inS = members.has(e.source);
      const inT = members.has(e.target);
      if (inS && !inT) {
        newEdges.push({ ...e, source: copyId(e.source, group.repeat - 1) });
        continue;
      }
      newEdges.push(e);
      if (!inT) continue;
      for (let k = 1; k < group.repeat; k++) {
        const id = copyId(e.id, k);
        const source = inS ? { source: copyId(e.source, k) } : { source: copyId(exit.node, k - 1), sourcePort: exit.port };
        copies.push({ ...e, ...source, id, target: copyId(e.target, k) });
        edgeOrigin.set(id, edgeOrigin.get(e.id) ?? e.id);
      }
    }
    newEdges.push(...copies);
    nodes = newNodes;
    edges = newEdges;
  }
  return { nodes, edges, origin, edgeOrigin, issues };
}
