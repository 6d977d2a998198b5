import type { GroupDoc, NodeDoc } from '../../../shared/graph/types';
import { copyLabel } from '../../../shared/templates/composites';

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
 * The base layer name of every node of the expanded graph: its label (else its id), de-duplicated in node order.
 * The k-th copy of a repeated group takes the label the editor shows for it (`layer1.0.conv1` → `layer1.1.conv1`,
 * see copyLabel), or `<id>_r<k>` without a label. Deterministic, so nodeProbes can map a reloaded model's
 * layers back to nodes.
 */
export function layerBaseNames(nodes: readonly Pick<NodeDoc, 'id' | 'label' | 'group'>[], groups: readonly Pick<GroupDoc, 'id' | 'name'>[] = []): Map<string, string> {
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  const used = new Set<string>();
  const out = new Map<string, string>();
  for (const n of nodes) {
    const copy = /#(\d+)$/.exec(n.id);
    let stem = n.label || n.id;
    if (copy) {
      const k = Number(copy[1]) - 1;
      stem = n.label ? copyLabel(n.label, groupName.get(n.group ?? '') ?? '', k) : `${n.id.slice(0, copy.index)}_r${k + 1}`;
    }
    let base = sanitizeName(stem);
    for (let k = 2; used.has(base); k++) base = sanitizeName(`${stem}_${k}`);
    used.add(base);
    out.set(n.id, base);
  }
  return out;
}
