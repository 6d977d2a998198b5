import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { parseFragment } from '../../../src/renderer/core/fragment';
import { buildTemplateCase, checkTotal, graphShapedArb, templateCaseArb } from './restoreFuzz';

/**
 * Fixed, so a failure reproduces (NETSMITH_FUZZ_SEED=N tries another); a failing input is printed and, with
 * NETSMITH_SAVE_FUZZ=1, kept as a fixture in tests/unit/fixtures/restore/, which restore.fixtures.test.ts replays.
 */
const SEED = Number(process.env.NETSMITH_FUZZ_SEED ?? 20261203);
const FIXTURES = new URL('../fixtures/restore/', import.meta.url);

function run<T>(name: string, arb: fc.Arbitrary<T>, toInput: (v: T) => unknown, numRuns: number): void {
  const details = fc.check(fc.property(arb, (v) => void checkTotal(toInput(v))), { seed: SEED, numRuns });
  if (!details.failed) return;
  const input = toInput(details.counterexample![0]);
  const body = JSON.stringify({ note: `found by the restore fuzz (${name}): ${String(details.errorInstance).split('\n')[0]}`, input }, null, 1);
  if (process.env.NETSMITH_SAVE_FUZZ === '1') {
    mkdirSync(FIXTURES, { recursive: true });
    writeFileSync(new URL(`fuzz-${createHash('sha1').update(body).digest('hex').slice(0, 10)}.json`, FIXTURES), body + '\n');
  }
  throw new Error(`restore fuzz (${name}) failed after ${details.numRuns} runs (seed ${SEED}, path ${details.counterexamplePath}):\n${String(details.errorInstance)}\ninput: ${body.slice(0, 2000)}`);
}

describe('restore is total (property-based, fast-check)', () => {
  it('arbitrary JSON values, JSON text and plain strings: 600 cases', () => {
    run('json', fc.oneof(fc.jsonValue({ maxDepth: 6 }), fc.json({ maxDepth: 6 }), fc.string()), (v) => v, 600);
  });

  it('objects with the graph keys and arbitrary values (v1 and v2 shapes, projects): 600 cases', () => {
    run('graph-shaped', graphShapedArb, (v) => v, 600);
  });

  it('every template mutated (values replaced, keys deleted, nodes retyped, edges rewired, params and versions broken): 1,200 cases', () => {
    run('templates', templateCaseArb, buildTemplateCase, 1200);
  });
});

describe('the paste path is total too (parseFragment: restore plus the fragment fields)', () => {
  it('mutated templates as fragments with arbitrary entries and exit: 400 cases', () => {
    const arb = fc.record({ base: templateCaseArb, entries: fc.oneof(fc.jsonValue({ maxDepth: 3 }), fc.array(fc.record({ node: fc.oneof(fc.constantFrom('input_1', 'conv2d_1'), fc.jsonValue({ maxDepth: 2 })), port: fc.jsonValue({ maxDepth: 1 }) }))), exit: fc.jsonValue({ maxDepth: 3 }) });
    const details = fc.check(
      fc.property(arb, ({ base, entries, exit }) => {
        const doc = buildTemplateCase({ ...base, asText: false });
        const text = JSON.stringify(doc && typeof doc === 'object' && !Array.isArray(doc) ? { ...doc, format: 'netsmith.fragment', entries, exit } : doc);
        const r = parseFragment(text);
        if (!r.ok) assert.ok(r.error.length > 0);
      }),
      { seed: SEED, numRuns: 400 },
    );
    if (details.failed) throw new Error(`parseFragment fuzz failed (seed ${SEED}): ${String(details.errorInstance)}\ninput: ${JSON.stringify(details.counterexample).slice(0, 2000)}`);
  });

  it('an entry whose node cannot become a string is ignored, not a TypeError', () => {
    const r = parseFragment(JSON.stringify({ format: 'netsmith.fragment', schemaVersion: 2, meta: { name: 'f', input: { shape: [4] } }, nodes: [{ id: 'a', type: 'io/input', params: {} }], edges: [], entries: [{ node: { toString: 1, valueOf: 1 }, port: 'in' }], exit: { node: { toString: 1 }, port: 'out' } }));
    assert.ok(r.ok);
    if (r.ok) assert.deepEqual([r.fragment.entries, r.fragment.exit], [[], undefined]);
  });
});
