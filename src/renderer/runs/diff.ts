import type { GraphDoc, NodeDoc } from '../../shared/graph/types';

/** Differences between runs: their configurations and their graphs (pure; the Runs workspace shows them). */

export interface ConfigDiffRow {
  path: string;
  /** One per run, as text ('—' when absent). */
  values: string[];
}

function flatten(v: unknown, prefix: string, out: Map<string, string>): void {
  if (v && typeof v === 'object' && !Array.isArray(v)) {
    const entries = Object.entries(v as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, x] of entries) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) out.set(prefix, typeof v === 'string' ? v : JSON.stringify(v));
}

/** The settings that differ between the configs (dotted paths, sorted). */
export function configDiff(configs: readonly (Record<string, unknown> | undefined)[]): ConfigDiffRow[] {
  const flat = configs.map((c) => {
    const m = new Map<string, string>();
    flatten(c ?? {}, '', m);
    return m;
  });
  const paths = new Set(flat.flatMap((m) => [...m.keys()]));
  const rows: ConfigDiffRow[] = [];
  for (const p of [...paths].sort()) {
    const values = flat.map((m) => m.get(p) ?? '—');
    if (new Set(values).size > 1) rows.push({ path: p, values });
  }
  return rows;
}

/** What a run trained on and how: its dataset and its configuration. */
export interface RunSettings {
  dataset?: string;
  config?: Record<string, unknown>;
}

/** Every setting that differs between runs, the dataset first (then the dotted config paths, sorted). */
export function runSettingsDiff(runs: readonly RunSettings[]): ConfigDiffRow[] {
  const rows = configDiff(runs.map((r) => ({ ...(r.config ?? {}), dataset: r.dataset })));
  const dataset = rows.filter((r) => r.path === 'dataset');
  return [...dataset, ...rows.filter((r) => r.path !== 'dataset')];
}

export interface NodeRef {
  id: string;
  label: string;
  type: string;
}

export interface GraphDiff {
  added: NodeRef[];
  removed: NodeRef[];
  changed: { node: NodeRef; changes: { key: string; from: string; to: string }[] }[];
  edgesAdded: number;
  edgesRemoved: number;
  input?: { from: string; to: string };
  same: boolean;
}

const ref = (n: NodeDoc): NodeRef => ({ id: n.id, label: n.label || n.id, type: n.type });
const text = (v: unknown): string => (v === undefined ? '—' : typeof v === 'string' ? v : JSON.stringify(v));

/** What changed from graph `a` to graph `b` (nodes matched by id; a changed type counts as a change). */
export function graphDiff(a: GraphDoc, b: GraphDoc): GraphDiff {
  const A = new Map(a.nodes.map((n) => [n.id, n]));
  const B = new Map(b.nodes.map((n) => [n.id, n]));
  const added = b.nodes.filter((n) => !A.has(n.id)).map(ref);
  const removed = a.nodes.filter((n) => !B.has(n.id)).map(ref);
  const changed: GraphDiff['changed'] = [];
  for (const n of b.nodes) {
    const o = A.get(n.id);
    if (!o) continue;
    const changes: { key: string; from: string; to: string }[] = [];
    if (o.type !== n.type) changes.push({ key: 'type', from: o.type, to: n.type });
    const keys = new Set([...Object.keys(o.params ?? {}), ...Object.keys(n.params ?? {})]);
    for (const k of keys) {
      const x = text(o.params?.[k]);
      const y = text(n.params?.[k]);
      if (x !== y) changes.push({ key: k, from: x, to: y });
    }
    if (changes.length) changed.push({ node: ref(n), changes });
  }
  const edgeKey = (e: GraphDoc['edges'][number]) => `${e.source}:${e.sourcePort}>${e.target}:${e.targetPort}`;
  const ea = new Set(a.edges.map(edgeKey));
  const eb = new Set(b.edges.map(edgeKey));
  const edgesAdded = [...eb].filter((k) => !ea.has(k)).length;
  const edgesRemoved = [...ea].filter((k) => !eb.has(k)).length;
  const ia = a.meta.input.shape.join('×');
  const ib = b.meta.input.shape.join('×');
  const input = ia !== ib ? { from: ia, to: ib } : undefined;
  return { added, removed, changed, edgesAdded, edgesRemoved, input, same: !added.length && !removed.length && !changed.length && !edgesAdded && !edgesRemoved && !input };
}
