import { GRAPH_SCHEMA_VERSION } from './types';

type Json = Record<string, unknown>;

export interface GraphMigration {
  /** The schema version this step produces. */
  to: number;
  description: string;
  up(doc: Json): Json;
}

/**
 * Frozen once merged: each step has a test. v1 was the prototype format: top-level `name`, `task` and
 * `inputShape`, edges as `{from: 'node:port', to: 'node:port'}`.
 */
export const GRAPH_MIGRATIONS: readonly GraphMigration[] = [
  {
    to: 2,
    description: 'metadata moved under `meta`; edges name their ports',
    up(doc) {
      const { name, task, inputShape, edges, ...rest } = doc as Json & { edges?: unknown[] };
      const split = (s: unknown, fallback: string): [string, string] => {
        const [node, port] = String(s).split(':');
        return [node, port || fallback];
      };
      return {
        ...rest,
        meta: { name: name ?? 'Untitled', task: task ?? 'classification', input: { shape: inputShape } },
        edges: (edges ?? []).map((e, i) => {
          const { from, to, ...other } = e as Json;
          const [source, sourcePort] = split(from, 'out');
          const [target, targetPort] = split(to, 'in');
          return { id: `e${i + 1}`, ...other, source, sourcePort, target, targetPort };
        }),
        schemaVersion: 2,
      };
    },
  },
];

export function migrateGraph(doc: Json): { doc: Json; applied: string[] } | { error: string } {
  let version = typeof doc.schemaVersion === 'number' ? doc.schemaVersion : 1;
  if (version > GRAPH_SCHEMA_VERSION) {
    return { error: `this file was written by a newer Netsmith (graph schema ${version}); this version reads up to ${GRAPH_SCHEMA_VERSION}` };
  }
  const applied: string[] = [];
  let current = doc;
  for (const m of GRAPH_MIGRATIONS) {
    if (m.to <= version) continue;
    current = m.up(structuredClone(current));
    applied.push(`migrated from schema ${version} to ${m.to}: ${m.description}`);
    version = m.to;
  }
  return { doc: current, applied };
}
