import { groupBoundary } from '../../shared/graph/expand';
import type { GraphDoc, GroupDoc } from '../../shared/graph/types';
import { uniqueId } from './ids';

/** Pure group operations. A group is a set of nodes sharing `node.group`; it can repeat ×N and collapse. */

export type GroupResult = { ok: true; doc: GraphDoc; id: string } | { ok: false; error: string };

export const membersOf = (doc: Pick<GraphDoc, 'nodes'>, gid: string): string[] => doc.nodes.filter((n) => n.group === gid).map((n) => n.id);

export function createGroup(doc: GraphDoc, nodeIds: readonly string[], name: string): GroupResult {
  const ids = new Set(nodeIds);
  const members = doc.nodes.filter((n) => ids.has(n.id));
  if (members.length === 0) return { ok: false, error: 'Select the blocks to group first' };
  const grouped = members.find((n) => n.group);
  if (grouped) {
    const g = doc.groups.find((x) => x.id === grouped.group);
    return { ok: false, error: `'${grouped.label || grouped.id}' is already in group '${g?.name ?? grouped.group}' (groups do not nest)` };
  }
  if (members.some((n) => n.type === 'io/input')) return { ok: false, error: 'The Input block cannot be part of a group' };
  const id = uniqueId('group', new Set(doc.groups.map((g) => g.id)));
  const nodes = doc.nodes.map((n) => (ids.has(n.id) ? { ...n, group: id } : n));
  const { problem } = groupBoundary({ nodes, edges: doc.edges }, id);
  if (problem) return { ok: false, error: `Cannot group: the selection ${problem}` };
  const group: GroupDoc = { id, name: name.trim() || 'Group', repeat: 1, collapsed: false };
  return { ok: true, id, doc: { ...doc, nodes, groups: [...doc.groups, group] } };
}

export function ungroup(doc: GraphDoc, gid: string): GraphDoc {
  if (!doc.groups.some((g) => g.id === gid)) return doc;
  return {
    ...doc,
    nodes: doc.nodes.map((n) => {
      if (n.group !== gid) return n;
      const { group: _g, ...rest } = n;
      return rest;
    }),
    groups: doc.groups.filter((g) => g.id !== gid),
  };
}

export function updateGroup(doc: GraphDoc, gid: string, patch: Partial<Omit<GroupDoc, 'id'>>): GraphDoc {
  const g = doc.groups.find((x) => x.id === gid);
  if (!g) return doc;
  const next = { ...g, ...patch };
  if (next.name === g.name && next.repeat === g.repeat && next.collapsed === g.collapsed) return doc;
  return { ...doc, groups: doc.groups.map((x) => (x.id === gid ? next : x)) };
}

export const MAX_REPEAT = 64;
export const setRepeat = (doc: GraphDoc, gid: string, n: number): GraphDoc =>
  updateGroup(doc, gid, { repeat: Math.max(1, Math.min(MAX_REPEAT, Math.round(Number.isFinite(n) ? n : 1))) });

/** The group whose members are exactly the selection (or that contains all selected nodes, when `loose`). */
export function groupOfSelection(doc: GraphDoc, nodeIds: readonly string[], loose = false): string | undefined {
  if (nodeIds.length === 0) return undefined;
  const byId = new Map(doc.nodes.map((n) => [n.id, n]));
  const gid = byId.get(nodeIds[0])?.group;
  if (!gid || !nodeIds.every((id) => byId.get(id)?.group === gid)) return undefined;
  if (loose) return gid;
  return membersOf(doc, gid).length === nodeIds.length ? gid : undefined;
}

/** Extends a selection so it includes every member of the groups it touches. */
export function expandToGroups(doc: GraphDoc, nodeIds: readonly string[]): string[] {
  const gids = new Set(doc.nodes.filter((n) => nodeIds.includes(n.id) && n.group).map((n) => n.group));
  if (gids.size === 0) return [...nodeIds];
  const out = new Set(nodeIds);
  for (const n of doc.nodes) if (n.group && gids.has(n.group)) out.add(n.id);
  return [...out];
}

/**
 * Collapses or expands a group and closes (or reopens) the vertical gap its rows leave, so the blocks below
 * stay one row away: blocks under the group move up by the group's height on collapse, down on expand.
 */
export function setCollapsed(doc: GraphDoc, gid: string, collapsed: boolean): GraphDoc {
  const g = doc.groups.find((x) => x.id === gid);
  if (!g || g.collapsed === collapsed) return doc;
  const members = doc.nodes.filter((n) => n.group === gid);
  if (members.length === 0) return updateGroup(doc, gid, { collapsed });
  const minY = Math.min(...members.map((n) => n.position.y));
  const maxY = Math.max(...members.map((n) => n.position.y));
  const shift = maxY - minY;
  const next = updateGroup(doc, gid, { collapsed });
  if (shift <= 0) return next;
  const edge = collapsed ? maxY : minY;
  const dy = collapsed ? -shift : shift;
  return { ...next, nodes: next.nodes.map((n) => (n.group !== gid && n.position.y > edge ? { ...n, position: { x: n.position.x, y: n.position.y + dy } } : n)) };
}
