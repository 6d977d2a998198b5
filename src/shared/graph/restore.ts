import { blockByType, paramsSchema } from '../blocks';
import { analyze } from './analyze';
import { layeredLayout } from './layout';
import { migrateGraph } from './migrations';
import { formatDocPath, toPlainJson } from './plainJson';
import { looseGraphSchema } from './schema';
import { GRAPH_SCHEMA_VERSION, type EdgeDoc, type GraphDoc, type Issue, type NodeDoc } from './types';

export interface RestoreError {
  /** Where in the document, e.g. `nodes[3].type`; empty for the whole file. */
  path: string;
  message: string;
}

export type RestoreResult =
  | { ok: true; graph: GraphDoc; notes: string[]; issues: Issue[] }
  | { ok: false; errors: RestoreError[] };

const fail = (errors: RestoreError[]): RestoreResult => ({ ok: false, errors });

/**
 * Every load path (open, paste, template, autosave, CLI) goes through here: migrate → repair → validate.
 * Repairs are reported as notes; what cannot be repaired is an error with its path. A graph that loads may
 * still have validation issues (a shape mismatch the user is about to fix), returned as `issues`.
 */
export function restore(input: unknown): RestoreResult {
  let parsedText = input;
  if (typeof parsedText === 'string') {
    try {
      parsedText = JSON.parse(parsedText);
    } catch (err) {
      return fail([{ path: '', message: `not valid JSON: ${(err as Error).message}` }]);
    }
  }
  // A bounded, acyclic copy that restore owns: nothing below can overflow the stack or mutate the caller's data.
  const plain = toPlainJson(parsedText);
  if (!plain.ok) return fail([{ path: plain.path, message: plain.message }]);
  const raw = plain.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail([{ path: '', message: 'expected a graph object' }]);
  let doc = raw as Record<string, unknown>;
  if (doc.format === 'netsmith.project') {
    if (typeof doc.graph !== 'object' || doc.graph === null) return fail([{ path: 'graph', message: 'the project has no graph' }]);
    doc = doc.graph as Record<string, unknown>;
  }

  const migrated = migrateGraph(doc);
  if ('errors' in migrated) return fail(migrated.errors);
  const notes = [...migrated.applied];

  const parsed = looseGraphSchema.safeParse(migrated.doc);
  if (!parsed.success) return fail(parsed.error.issues.map((i) => ({ path: formatDocPath(i.path), message: i.message })));
  const g = parsed.data;

  const errors: RestoreError[] = [];
  const seen = new Set<string>();
  g.nodes.forEach((n, i) => {
    if (seen.has(n.id)) errors.push({ path: `nodes[${i}].id`, message: `duplicate node id '${n.id}'` });
    seen.add(n.id);
    if (!blockByType(n.type)) errors.push({ path: `nodes[${i}].type`, message: `unknown block type '${n.type}'` });
  });
  if (errors.length) return fail(errors);

  const groupIds = new Set(g.groups.map((gr) => gr.id));
  const nodes: NodeDoc[] = g.nodes.map((n) => {
    const def = blockByType(n.type)!;
    let params: Record<string, unknown> = { ...n.params };
    const from = n.v ?? def.version;
    for (const m of def.migrations ?? []) if (m.to > from) params = m.up(params);
    if (from < def.version) notes.push(`'${n.label || n.id}': ${def.title} parameters migrated from version ${from} to ${def.version}`);
    const known = Object.keys(def.params);
    const unknown = Object.keys(params).filter((k) => !known.includes(k));
    if (unknown.length) {
      for (const k of unknown) delete params[k];
      notes.push(`'${n.label || n.id}': dropped unknown parameter${unknown.length > 1 ? 's' : ''} ${unknown.join(', ')}`);
    }
    const filled = paramsSchema(def.params).safeParse(params);
    // Keep invalid values as written: validation reports them on the node, and the user fixes them there.
    if (filled.success) params = filled.data as Record<string, unknown>;
    else for (const [k, spec] of Object.entries(def.params)) if (!(k in params)) params[k] = spec.default;
    let group = n.group;
    if (group !== undefined && !groupIds.has(group)) {
      notes.push(`'${n.label || n.id}': removed from missing group '${group}'`);
      group = undefined;
    }
    return { id: n.id, type: n.type, v: def.version, ...(n.label ? { label: n.label } : {}), params, position: n.position ?? { x: 0, y: 0 }, ...(group ? { group } : {}), ...(n.init && n.init !== 'auto' ? { init: n.init } : {}), ...(n.frozen ? { frozen: true } : {}), ...(n.lrMultiplier !== undefined && n.lrMultiplier !== 1 ? { lrMultiplier: n.lrMultiplier } : {}) };
  });

  const edges: EdgeDoc[] = [];
  const edgeKeys = new Set<string>();
  const edgeIds = new Set<string>();
  g.edges.forEach((e, i) => {
    if (!seen.has(e.source) || !seen.has(e.target)) {
      notes.push(`removed edge ${e.id ?? `#${i + 1}`}: it pointed to missing node '${!seen.has(e.source) ? e.source : e.target}'`);
      return;
    }
    const key = `${e.source}:${e.sourcePort}>${e.target}:${e.targetPort}`;
    if (edgeKeys.has(key)) {
      notes.push(`removed duplicate edge ${e.source} → ${e.target}`);
      return;
    }
    edgeKeys.add(key);
    let id = e.id && !edgeIds.has(e.id) ? e.id : undefined;
    for (let k = i + 1; !id; k++) if (!edgeIds.has(`e${k}`)) id = `e${k}`;
    edgeIds.add(id);
    edges.push({ id, source: e.source, sourcePort: e.sourcePort, target: e.target, targetPort: e.targetPort });
  });

  const used = new Set(nodes.map((n) => n.group).filter(Boolean));
  const groups = g.groups.filter((gr) => {
    if (used.has(gr.id)) return true;
    notes.push(`removed empty group '${gr.name}'`);
    return false;
  });

  if (g.nodes.some((n) => !n.position)) {
    const pos = layeredLayout(nodes, edges);
    for (const n of nodes) if (!g.nodes.find((m) => m.id === n.id)!.position) n.position = pos.get(n.id)!;
    notes.push('laid out nodes that had no position');
  }

  const graph: GraphDoc = { schemaVersion: GRAPH_SCHEMA_VERSION, meta: { ...g.meta, input: { shape: [...g.meta.input.shape] } }, nodes, edges, groups };
  return { ok: true, graph, notes, issues: analyze(graph).issues };
}
