import { restore } from '../../shared/graph/restore';
import type { GraphBuilder, Ref } from '../../shared/graph/builder';
import { GRAPH_SCHEMA_VERSION, type EdgeDoc, type GraphDoc, type GraphMeta, type GroupDoc, type NodeDoc, type Position } from '../../shared/graph/types';
import { connect } from './graphOps';
import { idBase, uniqueEdgeId, uniqueId } from './ids';

export interface PortRef {
  node: string;
  port: string;
}

/**
 * A piece of a graph: what the clipboard, the personal block library and composites carry. `entries` are the
 * input ports that received data from outside; `exit` the port whose output leaves it.
 */
export interface Fragment {
  nodes: NodeDoc[];
  edges: EdgeDoc[];
  groups: GroupDoc[];
  entries: PortRef[];
  exit?: PortRef;
}

export const FRAGMENT_FORMAT = 'netsmith.fragment';

export function extractFragment(doc: GraphDoc, nodeIds: readonly string[]): Fragment {
  const ids = new Set(nodeIds);
  const nodes = doc.nodes.filter((n) => ids.has(n.id));
  const edges = doc.edges.filter((e) => ids.has(e.source) && ids.has(e.target));
  const whole = new Set(doc.groups.filter((g) => nodes.some((n) => n.group === g.id) && doc.nodes.every((n) => n.group !== g.id || ids.has(n.id))).map((g) => g.id));
  const groups = doc.groups.filter((g) => whole.has(g.id));
  const cleanNodes = nodes.map((n) => {
    if (!n.group || whole.has(n.group)) return structuredCloneNode(n);
    const { group: _g, ...rest } = n;
    return structuredCloneNode(rest);
  });
  const incoming = doc.edges.filter((e) => !ids.has(e.source) && ids.has(e.target));
  const sources = new Set(incoming.map((e) => `${e.source}:${e.sourcePort}`));
  const entries = sources.size === 1 ? incoming.map((e) => ({ node: e.target, port: e.targetPort })) : [];
  const outgoing = doc.edges.filter((e) => ids.has(e.source) && !ids.has(e.target));
  const outPorts = [...new Set(outgoing.map((e) => `${e.source}:${e.sourcePort}`))];
  let exit: PortRef | undefined;
  if (outPorts.length === 1) exit = { node: outgoing[0].source, port: outgoing[0].sourcePort };
  else if (outPorts.length === 0) {
    const sinks = nodes.filter((n) => !edges.some((e) => e.source === n.id));
    if (sinks.length === 1) exit = { node: sinks[0].id, port: 'out' };
  }
  return { nodes: cleanNodes, edges: edges.map((e) => ({ ...e })), groups: groups.map((g) => ({ ...g })), entries, exit };
}

const structuredCloneNode = (n: NodeDoc): NodeDoc => ({ ...n, params: JSON.parse(JSON.stringify(n.params)) as Record<string, unknown>, position: { ...n.position } });

export function serializeFragment(frag: Fragment, meta: GraphMeta): string {
  return JSON.stringify({ format: FRAGMENT_FORMAT, schemaVersion: GRAPH_SCHEMA_VERSION, meta, nodes: frag.nodes, edges: frag.edges, groups: frag.groups, entries: frag.entries, exit: frag.exit });
}

export type ParsedFragment = { ok: true; fragment: Fragment; notes: string[] } | { ok: false; error: string };

/** Parses clipboard text (a fragment, a project or a bare graph) through `restore()`. */
export function parseFragment(text: string): ParsedFragment {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    return { ok: false, error: 'The clipboard does not hold Netsmith blocks' };
  }
  if (typeof raw !== 'object' || raw === null) return { ok: false, error: 'The clipboard does not hold Netsmith blocks' };
  const obj = raw as Record<string, unknown>;
  const r = restore(obj);
  if (!r.ok) return { ok: false, error: `Cannot paste: ${r.errors.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join('; ')}` };
  const g = r.graph;
  const ids = new Set(g.nodes.map((n) => n.id));
  const isRef = (p: unknown): p is PortRef => typeof p === 'object' && p !== null && typeof (p as PortRef).node === 'string' && ids.has((p as PortRef).node) && typeof (p as PortRef).port === 'string';
  const entries = Array.isArray(obj.entries) ? obj.entries.filter(isRef).map((p) => ({ node: p.node, port: p.port })) : [];
  const exit = isRef(obj.exit) ? { node: obj.exit.node, port: obj.exit.port } : undefined;
  const notes = r.notes.filter((n) => n !== 'laid out nodes that had no position');
  return { ok: true, fragment: { nodes: g.nodes, edges: g.edges, groups: g.groups, entries, exit }, notes };
}

export interface InsertOptions {
  /** Where the fragment's top-left corner goes; otherwise it keeps its positions shifted by `offset`. */
  at?: Position;
  offset?: Position;
  /** Feed the fragment's entries from this port. */
  from?: PortRef;
}

/** Inserts a fragment with fresh ids (nodes, edges, groups); returns the new node ids. */
export function insertFragment(doc: GraphDoc, frag: Fragment, opts: InsertOptions = {}): { doc: GraphDoc; ids: string[]; exit?: PortRef } {
  const takenN = new Set(doc.nodes.map((n) => n.id));
  const takenG = new Set(doc.groups.map((g) => g.id));
  const nodeMap = new Map<string, string>();
  const groupMap = new Map<string, string>();
  for (const g of frag.groups) {
    const id = takenG.has(g.id) ? uniqueId('group', takenG) : g.id;
    takenG.add(id);
    groupMap.set(g.id, id);
  }
  for (const n of frag.nodes) {
    const id = takenN.has(n.id) ? uniqueId(idBase(n.type), takenN) : n.id;
    takenN.add(id);
    nodeMap.set(n.id, id);
  }
  const minX = Math.min(...frag.nodes.map((n) => n.position.x));
  const minY = Math.min(...frag.nodes.map((n) => n.position.y));
  const dx = opts.at ? opts.at.x - minX : (opts.offset?.x ?? 0);
  const dy = opts.at ? opts.at.y - minY : (opts.offset?.y ?? 0);
  const nodes: NodeDoc[] = frag.nodes.map((n) => {
    const group = n.group ? groupMap.get(n.group) : undefined;
    const { group: _g, ...rest } = n;
    return { ...rest, id: nodeMap.get(n.id)!, position: { x: Math.round(n.position.x + dx), y: Math.round(n.position.y + dy) }, ...(group ? { group } : {}) };
  });
  const takenE = new Set(doc.edges.map((e) => e.id));
  const edges: EdgeDoc[] = [];
  for (const e of frag.edges) {
    if (!nodeMap.has(e.source) || !nodeMap.has(e.target)) continue;
    const id = uniqueEdgeId(takenE);
    takenE.add(id);
    edges.push({ id, source: nodeMap.get(e.source)!, sourcePort: e.sourcePort, target: nodeMap.get(e.target)!, targetPort: e.targetPort });
  }
  let next: GraphDoc = { ...doc, nodes: [...doc.nodes, ...nodes], edges: [...doc.edges, ...edges], groups: [...doc.groups, ...frag.groups.map((g) => ({ ...g, id: groupMap.get(g.id)! }))] };
  if (opts.from) for (const en of frag.entries) if (nodeMap.has(en.node)) next = connect(next, { source: opts.from.node, sourcePort: opts.from.port, target: nodeMap.get(en.node)!, targetPort: en.port });
  const exit = frag.exit && nodeMap.has(frag.exit.node) ? { node: nodeMap.get(frag.exit.node)!, port: frag.exit.port } : undefined;
  return { doc: next, ids: nodes.map((n) => n.id), exit };
}

/** Anything with the COMPOSITES entry shape: `insert(b, x, ctx)` adds blocks after `x` and returns the output. */
export interface CompositeLike {
  id: string;
  name: string;
  insert(b: GraphBuilder, x: Ref, ctx?: { channels?: number }): Ref;
}

/** Builds a composite into a fragment: one group named after it (composites usually make their own). */
export function compositeFragment(c: CompositeLike, makeBuilder: () => GraphBuilder, ctx: { channels?: number } = {}): Fragment {
  const b = makeBuilder();
  const x = b.input();
  const out = c.insert(b, x, ctx);
  const g = b.build();
  const inputId = x.node;
  const entries = g.edges.filter((e) => e.source === inputId).map((e) => ({ node: e.target, port: e.targetPort }));
  let nodes = g.nodes.filter((n) => n.id !== inputId);
  let groups = g.groups;
  if (groups.length === 0 && nodes.length > 1) {
    groups = [{ id: 'group_1', name: c.name, repeat: 1, collapsed: false }];
    nodes = nodes.map((n) => ({ ...n, group: 'group_1' }));
  }
  return { nodes, edges: g.edges.filter((e) => e.source !== inputId && e.target !== inputId), groups, entries, exit: { node: out.node, port: out.port } };
}
