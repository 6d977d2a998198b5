import { wrappedLayout } from '../../shared/graph/layout';
import type { GraphDoc, Position } from '../../shared/graph/types';

/**
 * The canvas' view of a document (pure, no React Flow): block nodes, collapsed groups drawn as one node,
 * frames behind expanded groups, and edges rerouted to collapsed groups.
 */
export interface Size {
  width: number;
  height: number;
}
export const DEFAULT_NODE_SIZE: Size = { width: 212, height: 62 };
export const FRAME_PAD = 14;
export const GROUP_NODE_WIDTH = 220;
export const FRAME_HEADER = 26;

export type ViewNode =
  | { kind: 'block'; id: string; docId: string; position: Position }
  | { kind: 'group'; id: string; groupId: string; position: Position; members: string[] }
  | { kind: 'frame'; id: string; groupId: string; position: Position; width: number; height: number; members: string[] };

export interface ViewEdge {
  id: string;
  /** The document edge it draws (the first, when several are merged onto a collapsed group). */
  edgeId: string;
  source: string;
  sourceHandle: string;
  target: string;
  targetHandle: string;
}

export const groupNodeId = (gid: string): string => `group:${gid}`;
export const frameNodeId = (gid: string): string => `frame:${gid}`;

export function viewToDocNodes(doc: GraphDoc, viewId: string): string[] {
  if (viewId.startsWith('group:') || viewId.startsWith('frame:')) {
    const gid = viewId.slice(6);
    return doc.nodes.filter((n) => n.group === gid).map((n) => n.id);
  }
  return [viewId];
}

function bbox(doc: GraphDoc, ids: readonly string[], sizes: ReadonlyMap<string, Size>, positions: (id: string) => Position) {
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (const id of ids) {
    const p = positions(id);
    const s = sizes.get(id) ?? DEFAULT_NODE_SIZE;
    minX = Math.min(minX, p.x);
    minY = Math.min(minY, p.y);
    maxX = Math.max(maxX, p.x + s.width);
    maxY = Math.max(maxY, p.y + s.height);
  }
  return { minX, minY, maxX, maxY };
}

export function buildView(
  doc: GraphDoc,
  sizes: ReadonlyMap<string, Size> = new Map(),
  override: Readonly<Record<string, Position>> = {},
): { nodes: ViewNode[]; edges: ViewEdge[] } {
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const pos = (id: string): Position => override[id] ?? byId.get(id)!.position;
  const collapsed = new Set(doc.groups.filter((g) => g.collapsed).map((g) => g.id));
  const members = new Map<string, string[]>();
  for (const n of doc.nodes) if (n.group) (members.get(n.group) ?? members.set(n.group, []).get(n.group)!).push(n.id);
  const nodes: ViewNode[] = [];
  for (const g of doc.groups) {
    const ids = members.get(g.id) ?? [];
    if (ids.length === 0) continue;
    const b = bbox(doc, ids, sizes, pos);
    // A collapsed group sits where its members were, centred on them.
    if (collapsed.has(g.id)) nodes.push({ kind: 'group', id: groupNodeId(g.id), groupId: g.id, position: { x: Math.round((b.minX + b.maxX) / 2 - GROUP_NODE_WIDTH / 2), y: b.minY }, members: ids });
    else
      nodes.push({
        kind: 'frame',
        id: frameNodeId(g.id),
        groupId: g.id,
        position: { x: b.minX - FRAME_PAD, y: b.minY - FRAME_PAD - FRAME_HEADER },
        width: b.maxX - b.minX + 2 * FRAME_PAD,
        height: b.maxY - b.minY + 2 * FRAME_PAD + FRAME_HEADER,
        members: ids,
      });
  }
  for (const n of doc.nodes) if (!(n.group && collapsed.has(n.group))) nodes.push({ kind: 'block', id: n.id, docId: n.id, position: pos(n.id) });

  const groupOf = new Map(doc.nodes.filter((n) => n.group && collapsed.has(n.group)).map((n) => [n.id, n.group!]));
  const edges: ViewEdge[] = [];
  const seen = new Set<string>();
  for (const e of doc.edges) {
    const sg = groupOf.get(e.source);
    const tg = groupOf.get(e.target);
    if (sg && sg === tg) continue;
    const v: ViewEdge = {
      id: e.id,
      edgeId: e.id,
      source: sg ? groupNodeId(sg) : e.source,
      sourceHandle: sg ? 'out' : e.sourcePort,
      target: tg ? groupNodeId(tg) : e.target,
      targetHandle: tg ? 'in' : e.targetPort,
    };
    const key = `${v.source}:${v.sourceHandle}>${v.target}:${v.targetHandle}`;
    if (seen.has(key)) continue;
    seen.add(key);
    edges.push(v);
  }
  return { nodes, edges };
}

/** Auto-layout of what is on screen (a collapsed group is one node; a deep chain is folded into columns); returns new document positions. */
export function autoLayout(doc: GraphDoc, sizes: ReadonlyMap<string, Size> = new Map()): Record<string, Position> {
  const view = buildView(doc, sizes);
  const layoutNodes = view.nodes.filter((n) => n.kind !== 'frame');
  const placed = wrappedLayout(layoutNodes, view.edges);
  const out: Record<string, Position> = {};
  for (const n of layoutNodes) {
    const p = placed.get(n.id);
    if (!p) continue;
    if (n.kind === 'block') out[n.docId] = p;
    else if (n.kind === 'group') {
      const dx = p.x - n.position.x;
      const dy = p.y - n.position.y;
      for (const m of n.members) {
        const q = doc.nodes.find((x) => x.id === m)!.position;
        out[m] = { x: q.x + dx, y: q.y + dy };
      }
    }
  }
  // Expanded groups: the frame header needs room above the group's first row.
  return out;
}

/** A small SVG picture of a graph's layout (template thumbnails). */
export interface Thumb {
  viewBox: string;
  rects: { x: number; y: number; w: number; h: number; family: string }[];
  lines: { x1: number; y1: number; x2: number; y2: number }[];
}

export function thumbnail(doc: GraphDoc, familyOf: (type: string) => string): Thumb {
  const { width: w, height: h } = DEFAULT_NODE_SIZE;
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const rects = doc.nodes.map((n) => ({ x: n.position.x, y: n.position.y, w, h, family: familyOf(n.type) }));
  const lines = doc.edges.flatMap((e) => {
    const s = byId.get(e.source);
    const t = byId.get(e.target);
    return s && t ? [{ x1: s.position.x + w / 2, y1: s.position.y + h, x2: t.position.x + w / 2, y2: t.position.y }] : [];
  });
  if (rects.length === 0) return { viewBox: '0 0 100 100', rects, lines };
  const minX = Math.min(...rects.map((r) => r.x)) - 40;
  const minY = Math.min(...rects.map((r) => r.y)) - 40;
  const maxX = Math.max(...rects.map((r) => r.x + r.w)) + 40;
  const maxY = Math.max(...rects.map((r) => r.y + r.h)) + 40;
  return { viewBox: `${minX} ${minY} ${maxX - minX} ${maxY - minY}`, rects, lines };
}
