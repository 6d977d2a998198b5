import type { NodeDoc } from '../../../shared/graph/types';

/** Layer names: what tfjs accepts (`^[A-Za-z0-9][-A-Za-z0-9._/]*$`), without `/` (a scope separator) and `__`. */
export function sanitizeName(raw: string): string {
  const n = raw
    .replace(/[^A-Za-z0-9._-]+/g, '_')
    .replace(/_{2,}/g, '_')
    .replace(/^[^A-Za-z0-9]+/, '')
    .replace(/_+$/, '');
  return n || 'node';
}

/** `__` separates a node's base name from the suffix of its extra layers (`conv1__pad`). */
export const SUFFIX_SEPARATOR = '__';

export function baseOfLayer(layerName: string): string {
  return layerName.split(SUFFIX_SEPARATOR)[0];
}

/**
 * The base layer name of every node of the expanded graph: its label (else its id), `_r<k>` for the k-th copy
 * of a repeated group, de-duplicated in node order. Deterministic, so probeTargets can map a reloaded model's
 * layers back to nodes.
 */
export function layerBaseNames(nodes: readonly Pick<NodeDoc, 'id' | 'label'>[]): Map<string, string> {
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const n of nodes) {
    const copy = /#(\d+)$/.exec(n.id);
    const stem = n.label || (copy ? n.id.slice(0, copy.index) : n.id);
    let base = sanitizeName(copy ? `${stem}_r${copy[1]}` : stem);
    for (let k = 2; used.has(base); k++) base = sanitizeName(`${copy ? `${stem}_r${copy[1]}` : stem}_${k}`);
    used.add(base);
    out.set(n.id, base);
  }
  return out;
}
