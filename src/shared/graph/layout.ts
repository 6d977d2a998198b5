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

/** A layered layout taller than this many times its width, and than WRAP_MIN_HEIGHT pixels, is folded into columns. */
export const WRAP_RATIO = 2.5;
export const WRAP_MIN_HEIGHT = 2400;

/** Whether positions (of nodes one column wide, LAYOUT spacing) make a picture too tall to read when fitted. */
export function isTooTall(positions: Iterable<Position>): boolean {
  const ps = [...positions];
  if (ps.length === 0) return false;
  const width = Math.max(...ps.map((p) => p.x)) - Math.min(...ps.map((p) => p.x)) + LAYOUT.colGap;
  const height = Math.max(...ps.map((p) => p.y)) - Math.min(...ps.map((p) => p.y)) + LAYOUT.rowGap;
  return height > Math.max(WRAP_RATIO * width, WRAP_MIN_HEIGHT);
}

/**
 * The layered layout, folded into side-by-side columns when the network is a deep chain (ResNet-50 is
 * ~100 ranks tall and 3 wide): each column holds a run of consecutive ranks, top to bottom, and the number of
 * columns brings the picture close to `aspect` (width / height), so "Fit view" shows a readable graph instead
 * of a sliver. Columns break where no connection skips over the break (between residual blocks) when such a
 * rank is near the even split. Shallow or wide graphs are returned as layeredLayout places them.
 */
export function wrappedLayout(nodes: readonly Pick<NodeDoc, 'id'>[], edges: readonly Pick<EdgeDoc, 'source' | 'target'>[], aspect = 1.6): Map<string, Position> {
  const base = layeredLayout(nodes, edges);
  if (base.size === 0) return base;
  const rankOf = (id: string): number => Math.round(base.get(id)!.y / LAYOUT.rowGap);
  const xs = [...base.values()].map((p) => p.x);
  const minX = Math.min(...xs);
  const colWidth = Math.max(...xs) - minX + LAYOUT.colGap;
  const ranks = Math.max(...[...base.keys()].map(rankOf)) + 1;
  if (ranks * LAYOUT.rowGap <= Math.max(WRAP_RATIO * colWidth, WRAP_MIN_HEIGHT)) return base;

  const gap = LAYOUT.colGap * 0.6;
  let columns = 1;
  let best = Infinity;
  for (let c = 1; c <= ranks; c++) {
    const ratio = (c * colWidth + (c - 1) * gap) / (Math.ceil(ranks / c) * LAYOUT.rowGap);
    const score = Math.abs(Math.log(ratio / aspect));
    if (score < best) [best, columns] = [score, c];
  }
  if (columns === 1) return base;

  // A break after rank r is clean when the only connections across it go from rank r to rank r + 1.
  const dirty = new Array<boolean>(ranks).fill(false);
  for (const e of edges) {
    if (!base.has(e.source) || !base.has(e.target)) continue;
    const [a, b] = [rankOf(e.source), rankOf(e.target)].sort((x, y) => x - y);
    if (b - a > 1) for (let r = a; r < b; r++) dirty[r] = true;
  }
  const per = Math.ceil(ranks / columns);
  const starts = [0];
  for (let k = 1; k < columns; k++) {
    const target = k * per - 1;
    const lo = starts[starts.length - 1];
    let cut = target;
    for (let d = 0; d <= Math.floor(per / 3); d++) {
      if (target - d > lo && !dirty[target - d]) {
        cut = target - d;
        break;
      }
      if (target + d < ranks - 1 && !dirty[target + d]) {
        cut = target + d;
        break;
      }
    }
    if (cut + 1 > lo && cut + 1 < ranks) starts.push(cut + 1);
  }
  const columnOf = (r: number): number => {
    let j = 0;
    while (j + 1 < starts.length && starts[j + 1] <= r) j++;
    return j;
  };
  const out = new Map<string, Position>();
  for (const [id, p] of base) {
    const r = rankOf(id);
    const j = columnOf(r);
    out.set(id, { x: p.x - minX + j * (colWidth + gap), y: (r - starts[j]) * LAYOUT.rowGap });
  }
  return out;
}
