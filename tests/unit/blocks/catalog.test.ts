import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Shape } from '../../../src/shared/graph/types';
import { BLOCKS, blockByType, defaultParams, FAMILIES, parseParams, type AnyBlockDef, type BlockFamily } from '../../../src/shared/blocks';
import { BLOCK_PARAMS } from './contracts';
import { makeCtx } from './harness';

const image: Shape = [null, 32, 32, 64];
const seq: Shape = [null, 65, 64];
const flat: Shape = [null, 64];

const byFamily: Record<BlockFamily, Shape[]> = {
  io: [],
  conv: [image],
  dense: [flat],
  pool: [image],
  norm: [image],
  activation: [image],
  regularization: [image],
  merge: [image, image],
  reshape: [image],
  attention: [image],
  transformer: [seq],
  detection: [image],
  head: [image],
};
const overrides: Record<string, Shape[]> = {
  'attn/mhsa': [seq],
  'tfm/patch_embed': [image],
  'tfm/metaformer': [image],
  'head/classify': [flat],
};
const typicalInputs = (def: AnyBlockDef): Shape[] => overrides[def.type] ?? byFamily[def.family];

describe('block catalog', () => {
  it('has every contracted type with (at least) the contracted params, and nothing else', () => {
    assert.deepEqual(BLOCKS.map((b) => b.type).sort(), Object.keys(BLOCK_PARAMS).sort());
    for (const [type, names] of Object.entries(BLOCK_PARAMS)) {
      const def = blockByType(type)!;
      for (const n of names) assert.ok(n in def.params, `${type} lacks param '${n}'`);
    }
  });

  it('types are unique and well-formed', () => {
    const types = BLOCKS.map((b) => b.type);
    assert.equal(new Set(types).size, types.length);
    for (const t of types) assert.match(t, /^[a-z]+\/[a-z0-9_]+$/);
  });

  for (const def of BLOCKS) {
    describe(def.type, () => {
      it('has a doc card, a title, a known family and well-formed ports', () => {
        assert.ok(def.doc.summary.trim().length > 10, 'summary');
        assert.ok(def.doc.use.trim().length > 10, 'use');
        assert.ok(def.title.trim().length > 0);
        assert.ok((FAMILIES as readonly string[]).includes(def.family));
        assert.ok(def.outputs.length >= 1);
        assert.equal(def.version, 1);
        for (const port of def.inputs) if (port.variadic) assert.ok((port.min ?? 1) >= 2, 'variadic ports take ≥ 2');
      });

      it('has valid, documented default params', () => {
        const r = parseParams(def.params, {});
        assert.ok(r.ok, JSON.stringify(!r.ok && r.problems));
        if (r.ok) assert.deepEqual(r.params, defaultParams(def.params));
        for (const [name, spec] of Object.entries(def.params)) {
          assert.ok(spec.help.trim().length > 0, `${name} help`);
          if ((spec.kind === 'int' || spec.kind === 'float') && spec.min !== undefined && spec.max !== undefined) assert.ok(spec.min <= spec.max, name);
        }
        // Unknown params are reported, not ignored.
        assert.equal(parseParams(def.params, { bogus: 1 }).ok, false);
      });

      it('infers a shape and a cost on a typical input', () => {
        const inputs = typicalInputs(def);
        const r = parseParams(def.params, {});
        assert.ok(r.ok);
        if (!r.ok) return;
        const out = def.inferShape(inputs, r.params, makeCtx(inputs, [1024, 1024, 3]));
        assert.equal(out[0], null, 'batch first');
        assert.ok(out.length >= 2);
        for (const d of out.slice(1)) assert.ok(Number.isInteger(d) && (d as number) >= 1, `dim ${String(d)}`);
        const cost = def.cost(inputs, out, r.params);
        for (const [k, v] of Object.entries(cost)) assert.ok(Number.isInteger(v) && v >= 0, `${k} = ${v}`);
        if (def.trainable) assert.ok(cost.params > 0, 'trainable blocks have params');
        else assert.equal(cost.params, 0, 'non-trainable blocks have no params');
      });
    });
  }
});
