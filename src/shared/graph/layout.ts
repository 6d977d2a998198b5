import type { EdgeDoc, NodeDoc, Position } from './types';

export const LAYOUT = { rowGap: 110, colGap: 230 } as const;

/**
 * A layered top-to-bottom layout: rank = longest path from a source, nodes of a rank side by side,
 * ordered by the mean position of their parents to limit crossings. Pure, so templates and restore use it.
 */
export function layeredLayout(nodes: readonly Pick<NodeDoc, 'id'>[], edges: readonly Pick<EdgeDoc, 'source' | 'target'>[]): Map<string, Position> {
  const ids = new Set(nodes.map((n) => n.id));
  const parents = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  const children = new Map<string, string[]>(nodes.map((n) => [n.id, []]));
  for (const e of edges) {
    if (!ids.has(e.source) || !ids.has(e.target)) continue;
    parents.get(e.target)!.push(e.source);
    children.get(e.source)!.push(e.target);
  }
  const rank = new Map<string, number>();
  const indeg = new Map(nodes.map((n) => [n.id, parents.get(n.id)!.length]));
  const queue = nodes.filter((n) => indeg.get(n.id) === 0).map((n) => n.id);
  for (const id of queue) rank.set(id, 0);
  for (let i = 0; i < queue.length; i++) {
    const id = queue[i];
    for (const c of children.get(id)!) {
      rank.set(c, Math.max(rank.get(c) ?? 0, rank.get(id)! + 1));
      indeg.set(c, indeg.get(c)! - 1);
      if (indeg.get(c) === 0) queue.push(c);
    }
  }
  let maxRank = Math.max(0, ...rank.values());
  for (const n of nodes) if (!rank.has(n.id)) rank.set(n.id, ++maxRank); // nodes on cycles

  const rows = new Map<number, string[]>();
  for (const n of nodes) {
    const r = rank.get(n.id)!;
    (rows.get(r) ?? rows.set(r, []).get(r)!).push(n.id);
  }
  const col = new Map<string, number>();
  const out = new Map<string, Position>();
  for (const r of [...rows.keys()].sort((a, b) => a - b)) {
    const row = rows.get(r)!;
    const key = (id: string): number => {
      const ps = parents.get(id)!.filter((p) => col.has(p));
      return ps.length ? ps.reduce((s, p) => s + col.get(p)!, 0) / ps.length : 0;
    };
    row.sort((a, b) => key(a) - key(b));
    row.forEach((id, i) => {
      const c = i - (row.length - 1) / 2 + (row.length === 1 ? key(id) : 0);
      col.set(id, c);
      out.set(id, { x: Math.round(c * LAYOUT.colGap), y: r * LAYOUT.rowGap });
    });
  }
  return out;
}
