import { z } from 'zod';
import { formatDocPath } from './plainJson';
import { GRAPH_SCHEMA_VERSION } from './types';

type Json = Record<string, unknown>;

export interface MigrationError {
  path: string;
  message: string;
}

export interface GraphMigration {
  /** The schema version this step produces. */
  to: number;
  description: string;
  /** The shape this step reads: checked before `up`, so `up` only ever sees what it was written for. */
  reads: z.ZodType<Json>;
  /** Pure: builds a new document, never mutates its input. */
  up(doc: Json): Json;
}

const v1Edge = z.looseObject({
  from: z.string({ error: "must be 'node' or 'node:port'" }),
  to: z.string({ error: "must be 'node' or 'node:port'" }),
});

/**
 * Frozen once merged: each step has a test. v1 was the prototype format: top-level `name`, `task` and
 * `inputShape`, edges as `{from: 'node:port', to: 'node:port'}`.
 */
export const GRAPH_MIGRATIONS: readonly GraphMigration[] = [
  {
    to: 2,
    description: 'metadata moved under `meta`; edges name their ports',
    reads: z.looseObject({ name: z.string().optional(), edges: z.array(v1Edge).optional() }),
    up(doc) {
      const { name, task, inputShape, edges, ...rest } = doc as Json & { edges?: Json[] };
      const split = (s: unknown, fallback: string): [string, string] => {
        const [node, port] = String(s).split(':');
        return [node, port || fallback];
      };
      return {
        ...rest,
        meta: { name: name ?? 'Untitled', task: task ?? 'classification', input: { shape: inputShape } },
        edges: (edges ?? []).map((e, i) => {
          const { from, to, ...other } = e;
          const [source, sourcePort] = split(from, 'out');
          const [target, targetPort] = split(to, 'in');
          return { id: `e${i + 1}`, ...other, source, sourcePort, target, targetPort };
        }),
        schemaVersion: 2,
      };
    },
  },
];

/** Brings a document (plain JSON, as `toPlainJson` makes it) up to the current schema, or says why it cannot. */
export function migrateGraph(doc: Json): { doc: Json; applied: string[] } | { errors: MigrationError[] } {
  const declared = doc.schemaVersion;
  if (declared !== undefined && !(typeof declared === 'number' && Number.isInteger(declared) && declared >= 1)) {
    return { errors: [{ path: 'schemaVersion', message: `must be a whole number from 1 to ${GRAPH_SCHEMA_VERSION} (found ${String(JSON.stringify(declared)).slice(0, 40)})` }] };
  }
  let version = declared ?? 1;
  if (version > GRAPH_SCHEMA_VERSION) {
    return { errors: [{ path: 'schemaVersion', message: `this file was written by a newer Netsmith (graph schema ${version}); this version reads up to ${GRAPH_SCHEMA_VERSION}` }] };
  }
  const applied: string[] = [];
  let current = doc;
  for (const m of GRAPH_MIGRATIONS) {
    if (m.to <= version) continue;
    const checked = m.reads.safeParse(current);
    if (!checked.success) {
      return { errors: checked.error.issues.map((i) => ({ path: formatDocPath(i.path), message: `${i.message} (reading a schema ${version} file)` })) };
    }
    current = m.up(checked.data);
    applied.push(`migrated from schema ${version} to ${m.to}: ${m.description}`);
    version = m.to;
  }
  return { doc: current, applied };
}
