import assert from 'node:assert/strict';
import fc from 'fast-check';
import { BLOCKS } from '../../../src/shared/blocks';
import { restore, type RestoreResult } from '../../../src/shared/graph/restore';
import { TEMPLATES } from '../../../src/shared/templates';

/**
 * The property every input must satisfy: restore returns (never throws) either a graph that serialises and
 * restores again to itself, or a non-empty list of errors, each with a path and a one-line message.
 */
export function checkTotal(input: unknown): RestoreResult {
  const r = restore(input);
  if (r.ok) {
    const text = JSON.stringify(r.graph);
    assert.ok(text.length > 0);
    const again = restore(text);
    assert.ok(again.ok, `a restored graph must restore again: ${JSON.stringify(!again.ok && again.errors)}`);
    if (again.ok) assert.deepEqual(again.graph, r.graph, 'restoring a restored graph changes nothing');
    for (const n of r.notes) assert.equal(typeof n, 'string');
  } else {
    assert.ok(r.errors.length > 0, 'a refusal names at least one error');
    for (const e of r.errors) {
      assert.equal(typeof e.path, 'string');
      assert.equal(typeof e.message, 'string');
      assert.ok(e.message.length > 0 && e.message.length < 500, `a short message: ${e.message.slice(0, 80)}`);
      assert.doesNotMatch(e.message, /\n\s+at /, 'no stack trace');
    }
  }
  return r;
}

type Json = unknown;
type Path = (string | number)[];

/** Every path into a JSON value (objects and arrays included), root first. */
function pathsOf(value: Json, prefix: Path = [], out: Path[] = []): Path[] {
  out.push(prefix);
  if (Array.isArray(value)) value.forEach((v, i) => pathsOf(v, [...prefix, i], out));
  else if (value && typeof value === 'object') for (const [k, v] of Object.entries(value)) pathsOf(v, [...prefix, k], out);
  return out;
}

function parentOf(doc: Json, path: Path): { parent: Record<string | number, Json> | Json[]; key: string | number } | undefined {
  if (!path.length) return undefined;
  let cur = doc as Record<string | number, Json>;
  for (const k of path.slice(0, -1)) cur = cur[k] as Record<string | number, Json>;
  return { parent: cur, key: path[path.length - 1] };
}

const NASTY: Json[] = [null, 0, -1, 0.5, 1e300, -1e300, '', 'x', '1', [], {}, [null], true, false, 'in', 'out', '__proto__', 'constructor', [0, 0, 0, 0, 0], [1e9, 1e9], 65, 100000];

export interface Mutation {
  kind: 'replace' | 'nasty' | 'delete' | 'duplicate' | 'retype' | 'rewire' | 'param' | 'version';
  pick: number;
  other: number;
  value: Json;
}

export const mutationArb: fc.Arbitrary<Mutation> = fc.record({
  kind: fc.constantFrom('replace', 'nasty', 'delete', 'duplicate', 'retype', 'rewire', 'param', 'version'),
  pick: fc.nat(),
  other: fc.nat(),
  value: fc.jsonValue({ maxDepth: 3 }),
});

/** Applies one mutation to a (plain JSON) graph document in place. */
export function mutate(doc: Record<string, Json>, m: Mutation): void {
  const nodes = Array.isArray(doc.nodes) ? (doc.nodes as Record<string, Json>[]).filter((n) => n && typeof n === 'object' && !Array.isArray(n)) : [];
  const edges = Array.isArray(doc.edges) ? (doc.edges as Record<string, Json>[]).filter((e) => e && typeof e === 'object' && !Array.isArray(e)) : [];
  const paths = pathsOf(doc);
  const at = paths[m.pick % paths.length];
  switch (m.kind) {
    case 'replace':
    case 'nasty': {
      const p = parentOf(doc, at);
      const value = m.kind === 'replace' ? m.value : NASTY[m.other % NASTY.length];
      if (p) (p.parent as Record<string | number, Json>)[p.key] = value;
      return;
    }
    case 'delete': {
      const p = parentOf(doc, at);
      if (!p) return;
      if (Array.isArray(p.parent)) p.parent.splice(Number(p.key), 1);
      else delete p.parent[p.key];
      return;
    }
    case 'duplicate': {
      const p = parentOf(doc, at);
      if (p && Array.isArray(p.parent)) p.parent.push(structuredClone(p.parent[Number(p.key)]));
      return;
    }
    case 'retype':
      if (nodes.length) nodes[m.pick % nodes.length].type = BLOCKS[m.other % BLOCKS.length].type;
      return;
    case 'rewire': {
      if (!edges.length || !nodes.length) return;
      const e = edges[m.pick % edges.length];
      const end = m.other % 2 ? 'source' : 'target';
      e[end] = nodes[m.other % nodes.length].id;
      if (typeof m.value === 'string') e[`${end}Port`] = m.value;
      return;
    }
    case 'param': {
      if (!nodes.length) return;
      const n = nodes[m.pick % nodes.length];
      const def = BLOCKS.find((b) => b.type === n.type);
      const keys = def ? Object.keys(def.params) : [];
      if (!keys.length) return;
      if (!n.params || typeof n.params !== 'object') n.params = {};
      (n.params as Record<string, Json>)[keys[m.other % keys.length]] = m.other % 3 ? NASTY[m.other % NASTY.length] : m.value;
      return;
    }
    case 'version':
      doc.schemaVersion = [1, 2, 0, -1, 1.5, '2', null, 3][m.other % 8];
      return;
  }
}

export const templateCaseArb = fc.record({
  template: fc.nat(TEMPLATES.length - 1),
  mutations: fc.array(mutationArb, { minLength: 1, maxLength: 6 }),
  asText: fc.boolean(),
});

export function buildTemplateCase(c: { template: number; mutations: Mutation[]; asText: boolean }): Json {
  const doc = JSON.parse(JSON.stringify(TEMPLATES[c.template].build())) as Record<string, Json>;
  for (const m of c.mutations) mutate(doc, m);
  return c.asText ? JSON.stringify(doc) : doc;
}

/** Objects with the graph's own keys and arbitrary values, so that the generator reaches past the first check. */
export const graphShapedArb = fc.record(
  {
    schemaVersion: fc.oneof(fc.constantFrom(1, 2, 3), fc.jsonValue({ maxDepth: 1 })),
    format: fc.constantFrom('netsmith.project', 'x'),
    graph: fc.jsonValue({ maxDepth: 3 }),
    name: fc.jsonValue({ maxDepth: 1 }),
    task: fc.oneof(fc.constantFrom('classification', 'detection', 'segmentation'), fc.jsonValue({ maxDepth: 1 })),
    inputShape: fc.oneof(fc.array(fc.integer({ min: -2, max: 64 }), { maxLength: 5 }), fc.jsonValue({ maxDepth: 2 })),
    meta: fc.oneof(fc.record({ name: fc.string(), input: fc.record({ shape: fc.array(fc.integer({ min: -1, max: 32 }), { maxLength: 5 }) }) }), fc.jsonValue({ maxDepth: 2 })),
    nodes: fc.oneof(
      fc.array(fc.record({ id: fc.oneof(fc.constantFrom('a', 'b', 'c'), fc.jsonValue({ maxDepth: 1 })), type: fc.oneof(fc.constantFrom(...BLOCKS.map((b) => b.type)), fc.jsonValue({ maxDepth: 1 })), params: fc.jsonValue({ maxDepth: 2 }), position: fc.jsonValue({ maxDepth: 2 }), group: fc.jsonValue({ maxDepth: 1 }), v: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), { maxLength: 5 }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    edges: fc.oneof(
      fc.array(fc.record({ from: fc.jsonValue({ maxDepth: 1 }), to: fc.jsonValue({ maxDepth: 1 }), source: fc.constantFrom('a', 'b', 'c', ''), target: fc.constantFrom('a', 'b', 'c'), id: fc.jsonValue({ maxDepth: 1 }) }, { requiredKeys: [] }), { maxLength: 5 }),
      fc.jsonValue({ maxDepth: 2 }),
    ),
    groups: fc.jsonValue({ maxDepth: 3 }),
  },
  { requiredKeys: [] },
);
