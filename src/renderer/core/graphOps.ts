import { blockByType, defaultParams } from '../../shared/blocks';
import { LAYOUT } from '../../shared/graph/layout';
import type { EdgeDoc, GraphDoc, GraphMeta, NodeDoc, Position } from '../../shared/graph/types';
import { idBase, uniqueEdgeId, uniqueId } from './ids';

/** Pure document edits. Each returns a new GraphDoc (or the same one when nothing changed). */

export interface Connection {
  source: string;
  sourcePort: string;
  target: string;
  targetPort: string;
}

export function addNode(doc: GraphDoc, type: string, position: Position, opts: { label?: string; params?: Record<string, unknown> } = {}): { doc: GraphDoc; id: string } {
  const def = blockByType(type);
  if (!def) throw new Error(`unknown block type '${type}'`);
  const id = uniqueId(idBase(type), new Set(doc.nodes.map((n) => n.id)));
  const node: NodeDoc = { id, type, v: def.version, ...(opts.label ? { label: opts.label } : {}), params: { ...defaultParams(def.params), ...opts.params }, position: { x: Math.round(position.x), y: Math.round(position.y) } };
  return { doc: { ...doc, nodes: [...doc.nodes, node] }, id };
}

/** Adds an edge. A single (non-variadic) input port keeps one edge: the new one replaces the old. */
export function connect(doc: GraphDoc, c: Connection): GraphDoc {
  if (doc.edges.some((e) => e.source === c.source && e.sourcePort === c.sourcePort && e.target === c.target && e.targetPort === c.targetPort)) return doc;
  const target = doc.nodes.find((n) => n.id === c.target);
  const port = target && blockByType(target.type)?.inputs.find((p) => p.name === c.targetPort);
  const edges = port && !port.variadic ? doc.edges.filter((e) => !(e.target === c.target && e.targetPort === c.targetPort)) : doc.edges;
  const id = uniqueEdgeId(new Set(doc.edges.map((e) => e.id)));
  return { ...doc, edges: [...edges, { id, ...c }] };
}

/** Removes nodes (with their edges) and edges; groups left empty disappear. */
export function removeElements(doc: GraphDoc, nodeIds: readonly string[], edgeIds: readonly string[] = []): GraphDoc {
  if (nodeIds.length === 0 && edgeIds.length === 0) return doc;
  const dropN = new Set(nodeIds);
  const dropE = new Set(edgeIds);
  const nodes = doc.nodes.filter((n) => !dropN.has(n.id));
  const edges = doc.edges.filter((e) => !dropE.has(e.id) && !dropN.has(e.source) && !dropN.has(e.target));
  if (nodes.length === doc.nodes.length && edges.length === doc.edges.length) return doc;
  const used = new Set(nodes.map((n) => n.group));
  return { ...doc, nodes, edges, groups: doc.groups.filter((g) => used.has(g.id)) };
}

export function updateNode(doc: GraphDoc, id: string, fn: (n: NodeDoc) => NodeDoc): GraphDoc {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    if (n.id !== id) return n;
    const m = fn(n);
    if (m !== n) changed = true;
    return m;
  });
  return changed ? { ...doc, nodes } : doc;
}

export function setParam(doc: GraphDoc, id: string, key: string, value: unknown): GraphDoc {
  return updateNode(doc, id, (n) => (sameValue(n.params[key], value) ? n : { ...n, params: { ...n.params, [key]: value } }));
}

export function setLabel(doc: GraphDoc, id: string, label: string): GraphDoc {
  const l = label.trim();
  return updateNode(doc, id, (n) => {
    if ((n.label ?? '') === l) return n;
    const { label: _old, ...rest } = n;
    return l ? { ...rest, label: l } : rest;
  });
}

export function setMeta(doc: GraphDoc, patch: Partial<GraphMeta>): GraphDoc {
  const meta = { ...doc.meta, ...patch };
  if (JSON.stringify(meta) === JSON.stringify(doc.meta)) return doc;
  return { ...doc, meta };
}

export function moveNodes(doc: GraphDoc, positions: Readonly<Record<string, Position>>): GraphDoc {
  let changed = false;
  const nodes = doc.nodes.map((n) => {
    const p = positions[n.id];
    if (!p) return n;
    const q = { x: Math.round(p.x), y: Math.round(p.y) };
    if (q.x === n.position.x && q.y === n.position.y) return n;
    changed = true;
    return { ...n, position: q };
  });
  return changed ? { ...doc, nodes } : doc;
}

export function translateNodes(doc: GraphDoc, ids: readonly string[], dx: number, dy: number): GraphDoc {
  const set = new Set(ids);
  const positions: Record<string, Position> = {};
  for (const n of doc.nodes) if (set.has(n.id)) positions[n.id] = { x: n.position.x + dx, y: n.position.y + dy };
  return moveNodes(doc, positions);
}

/** Nodes reachable downstream of `id` (excluding it). */
export function downstream(doc: Pick<GraphDoc, 'edges'>, id: string): Set<string> {
  const out = new Map<string, string[]>();
  for (const e of doc.edges) (out.get(e.source) ?? out.set(e.source, []).get(e.source)!).push(e.target);
  const seen = new Set<string>();
  const stack = [id];
  while (stack.length) for (const t of out.get(stack.pop()!) ?? []) if (!seen.has(t)) { seen.add(t); stack.push(t); }
  seen.delete(id);
  return seen;
}

/**
 * Inserts a block after `afterId`: below it, fed by its output. When the block has one input and one output,
 * it is spliced in: the old node's consumers now read from the new block, and they move down one row.
 */
export function insertAfter(doc: GraphDoc, type: string, afterId: string | undefined, fallback: Position): { doc: GraphDoc; id: string } {
  const def = blockByType(type);
  const after = afterId ? doc.nodes.find((n) => n.id === afterId) : undefined;
  const afterDef = after && blockByType(after.type);
  if (!def || !after || !afterDef || afterDef.outputs.length === 0 || def.inputs.length === 0) return addNode(doc, type, fallback);
  const outPort = afterDef.outputs[0];
  const consumers = doc.edges.filter((e) => e.source === after.id && e.sourcePort === outPort);
  let next = doc;
  const splice = consumers.length > 0 && def.outputs.length === 1;
  if (splice) {
    const below = downstream(doc, after.id);
    next = translateNodes(next, [...below], 0, LAYOUT.rowGap);
  }
  const added = addNode(next, type, { x: after.position.x, y: after.position.y + LAYOUT.rowGap });
  next = added.doc;
  if (splice) {
    next = { ...next, edges: next.edges.map((e) => (e.source === after.id && e.sourcePort === outPort ? { ...e, source: added.id, sourcePort: def.outputs[0] } : e)) };
  }
  next = connect(next, { source: after.id, sourcePort: outPort, target: added.id, targetPort: def.inputs[0].name });
  if (after.group) next = updateNode(next, added.id, (n) => ({ ...n, group: after.group }));
  return { doc: next, id: added.id };
}

function sameValue(a: unknown, b: unknown): boolean {
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => v === b[i]);
  return Object.is(a, b);
}

export const edgeKey = (e: Pick<EdgeDoc, 'source' | 'sourcePort' | 'target' | 'targetPort'>): string => `${e.source}:${e.sourcePort}>${e.target}:${e.targetPort}`;
