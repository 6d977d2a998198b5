import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GRAPH_MIGRATIONS, migrateGraph } from '../../../src/shared/graph/migrations';
import { MAX_DOCUMENT_DEPTH } from '../../../src/shared/graph/plainJson';
import { restore } from '../../../src/shared/graph/restore';
import { GRAPH_SCHEMA_VERSION } from '../../../src/shared/graph/types';

const base = () => ({
  schemaVersion: GRAPH_SCHEMA_VERSION,
  meta: { name: 'r', task: 'classification', input: { shape: [8, 8, 3] } },
  nodes: [
    { id: 'in', type: 'io/input', params: {}, position: { x: 0, y: 0 } },
    { id: 'f', type: 'reshape/flatten', params: {}, position: { x: 0, y: 100 } },
    { id: 'h', type: 'head/classify', params: { classes: 4 }, position: { x: 0, y: 200 } },
  ],
  edges: [
    { id: 'e1', source: 'in', sourcePort: 'out', target: 'f', targetPort: 'in' },
    { id: 'e2', source: 'f', sourcePort: 'out', target: 'h', targetPort: 'in' },
  ],
  groups: [],
});

describe('restore', () => {
  it('loads a valid graph and fills default params', () => {
    const r = restore(JSON.stringify(base()));
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.notes, []);
    assert.deepEqual(r.issues, []);
    assert.deepEqual(r.graph.nodes[2].params, { classes: 4 });
  });

  it('refuses malformed JSON with a message', () => {
    const r = restore('{"nodes": [');
    assert.equal(r.ok, false);
    if (r.ok) return;
    assert.equal(r.errors.length, 1);
    assert.equal(r.errors[0].path, '');
    assert.match(r.errors[0].message, /^not valid JSON: /);
  });

  it('refuses an unknown block type, with its path', () => {
    const doc = base();
    doc.nodes[1].type = 'core/nope';
    const r = restore(doc);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.errors, [{ path: 'nodes[1].type', message: "unknown block type 'core/nope'" }]);
  });

  it('removes a dangling edge and says so', () => {
    const doc = base();
    doc.edges.push({ id: 'e9', source: 'ghost', sourcePort: 'out', target: 'h', targetPort: 'in' });
    const r = restore(doc);
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.notes, ["removed edge e9: it pointed to missing node 'ghost'"]);
    assert.deepEqual(r.graph.edges.map((e) => e.id), ['e1', 'e2']);
  });

  it('migrates a v1 document (top-level meta, from/to edges)', () => {
    const v1 = {
      name: 'old',
      task: 'classification',
      inputShape: [8, 8, 3],
      nodes: base().nodes,
      edges: [
        { from: 'in', to: 'f' },
        { from: 'f:out', to: 'h:in' },
      ],
    };
    const r = restore(v1);
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.notes, ['migrated from schema 1 to 2: metadata moved under `meta`; edges name their ports']);
    assert.equal(r.graph.schemaVersion, GRAPH_SCHEMA_VERSION);
    assert.deepEqual(r.graph.meta, { name: 'old', task: 'classification', input: { shape: [8, 8, 3] } });
    assert.deepEqual(r.graph.edges, [
      { id: 'e1', source: 'in', sourcePort: 'out', target: 'f', targetPort: 'in' },
      { id: 'e2', source: 'f', sourcePort: 'out', target: 'h', targetPort: 'in' },
    ]);
    assert.deepEqual(r.issues, []);
  });

  it('refuses a document from a newer schema', () => {
    const r = restore({ ...base(), schemaVersion: 99 });
    assert.equal(r.ok, false);
    if (!r.ok) {
      assert.deepEqual(r.errors, [
        { path: 'schemaVersion', message: `this file was written by a newer Netsmith (graph schema 99); this version reads up to ${GRAPH_SCHEMA_VERSION}` },
      ]);
    }
  });

  it('drops unknown params with a note and keeps invalid ones for the inspector', () => {
    const doc = base();
    (doc.nodes[2].params as Record<string, unknown>) = { classes: 0, color: 'red' };
    const r = restore(doc);
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.notes, ["'h': dropped unknown parameter color"]);
    assert.deepEqual(r.graph.nodes[2].params, { classes: 0 });
    assert.deepEqual(r.issues.map((i) => i.message), ["Classify 'h': classes must be ≥ 1"]);
  });

  it('refuses 100,000-deep JSON (text and objects) with a clear error, not a RangeError', () => {
    const depth = 100_000;
    const text = `{"schemaVersion":2,"meta":${'{"x":'.repeat(depth)}1${'}'.repeat(depth)}}`;
    let obj: Record<string, unknown> = {};
    const root = { ...base(), nodes: [{ ...base().nodes[0], params: obj }] };
    for (let i = 0; i < depth; i++) obj = (obj.x = {}) as Record<string, unknown>;
    const arrays = '['.repeat(depth) + ']'.repeat(depth);
    for (const input of [text, root, arrays, JSON.parse(arrays)]) {
      const r = restore(input);
      assert.equal(r.ok, false);
      if (r.ok) continue;
      assert.equal(r.errors.length, 1);
      assert.match(r.errors[0].message, new RegExp(`nests deeper than ${MAX_DOCUMENT_DEPTH} levels`));
    }
    const r = restore(root);
    if (!r.ok) assert.match(r.errors[0].path, /^nodes\[0\]\.params\.x\.x\.x/);
  });

  it('refuses a document that refers to itself', () => {
    const doc = base() as Record<string, unknown>;
    (doc.meta as Record<string, unknown>).self = doc;
    const r = restore(doc);
    assert.equal(r.ok, false);
    if (!r.ok) assert.deepEqual(r.errors, [{ path: 'meta.self', message: 'the document refers to itself (a cycle)' }]);
  });

  it('a shared (not cyclic) sub-object is fine, and the input is never mutated', () => {
    const doc = base();
    const shared = { x: 0, y: 0 };
    doc.nodes.forEach((n) => (n.position = shared));
    const v1 = { name: 'old', inputShape: [8, 8, 3], nodes: doc.nodes, edges: [{ from: 'in', to: 'f' }, { from: 'f', to: 'h' }] };
    const before = JSON.stringify(v1);
    const r = restore(v1);
    assert.ok(r.ok);
    assert.equal(JSON.stringify(v1), before);
  });

  it('checks the shape a migration reads before running it', () => {
    for (const m of GRAPH_MIGRATIONS) assert.ok(m.reads, `migration to ${m.to} declares what it reads`);
    assert.deepEqual(migrateGraph({ edges: [null] }), { errors: [{ path: 'edges[0]', message: 'Invalid input: expected object, received null (reading a schema 1 file)' }] });
    assert.deepEqual(migrateGraph({ schemaVersion: 'x' }), { errors: [{ path: 'schemaVersion', message: 'must be a whole number from 1 to 2 (found "x")' }] });
    const input = { name: 'n', edges: [{ from: 'a:out', to: 'b' }] };
    const copy = structuredClone(input);
    migrateGraph(input);
    assert.deepEqual(input, copy, 'migrations do not mutate their input');
  });
});
