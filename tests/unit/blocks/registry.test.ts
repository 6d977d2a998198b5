import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CATALOG_FILE, ENGINES_FILE, catalogSource, enginesSource } from '../../../src/blocks/generate';
import { UNITS } from '../../../src/blocks/registry';
import { ENGINE_BLOCKS } from '../../../src/main/engine/blocks';
import { exporterOf } from '../../../src/main/engine/blocks/types';
import { BLOCKS, blockByType } from '../../../src/shared/blocks';

/** The one registry (src/blocks/registry.ts) is complete, and everything derived from it is up to date. */

const UNITS_DIR = 'src/blocks';
const unitFolders = readdirSync(UNITS_DIR).filter((name) => statSync(join(UNITS_DIR, name)).isDirectory());

describe('the block registry', () => {
  test('every unit folder is registered once, and every registered unit has a folder with a definition and a twin', () => {
    assert.deepEqual([...unitFolders].sort(), [...UNITS].sort(), 'src/blocks/<unit>/ folders vs src/blocks/registry.ts');
    assert.equal(new Set(UNITS).size, UNITS.length, 'a unit is registered twice');
    for (const u of UNITS) {
      assert.ok(existsSync(join(UNITS_DIR, u, 'definition.ts')), `${u}/definition.ts`);
      assert.ok(existsSync(join(UNITS_DIR, u, 'engine.ts')), `${u}/engine.ts`);
    }
  });

  test('the generated catalogue and engine lists match the registry (run `npm run build:blocks`)', () => {
    assert.ok(readFileSync(CATALOG_FILE, 'utf8') === catalogSource(), 'src/blocks/catalog.generated.ts is stale: run `npm run build:blocks`');
    assert.ok(readFileSync(ENGINES_FILE, 'utf8') === enginesSource(), 'src/blocks/engines.generated.ts is stale: run `npm run build:blocks`');
  });

  test('block types are unique, and every definition has exactly one twin', () => {
    const types = BLOCKS.map((b) => b.type);
    assert.deepEqual(types.filter((t, i) => types.indexOf(t) !== i), [], 'duplicate block types');
    assert.deepEqual(types.filter((t) => !ENGINE_BLOCKS[t]), [], 'definitions without a twin');
    assert.deepEqual(Object.keys(ENGINE_BLOCKS).filter((t) => !blockByType(t)), [], 'twins without a definition');
  });

  test('every twin has an ONNX and a PyTorch exporter, or declares { unsupported: "because …" }', () => {
    for (const [type, twin] of Object.entries(ENGINE_BLOCKS)) {
      for (const kind of ['onnx', 'pytorch'] as const) {
        const e = exporterOf(twin, kind);
        if (typeof e !== 'function') assert.ok(e.unsupported.trim().length > 10, `${type}: the ${kind} 'unsupported' reason is too short to tell a user why`);
      }
    }
  });

  test('a twin with neither an exporter nor a declared reason fails the contract', () => {
    const broken = { ...ENGINE_BLOCKS['core/dense'], type: 'test/broken', onnx: undefined } as unknown as (typeof ENGINE_BLOCKS)[string];
    assert.throws(() => exporterOf(broken, 'onnx'), /has no ONNX exporter and no \{ unsupported/);
  });
});
