import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CATALOG_FILE, ENGINES_FILE, catalogSource, enginesSource } from '../../../src/blocks/generate';
import { UNITS } from '../../../src/blocks/registry';
import { ENGINE_BLOCKS } from '../../../src/main/engine/blocks';
import { exporterOf } from '../../../src/main/engine/blocks/types';
import { prelude } from '../../../src/main/engine/export/pytorch/prelude';
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

  // The per-type facts moved from lists outside the units into definition fields; the sets they give are unchanged.
  test('per-type definition fields give the sets the lab used before (fold, probe, attention, dataset classes, window, residual)', () => {
    const withField = (pick: (d: (typeof BLOCKS)[number]) => unknown): string[] => BLOCKS.filter((d) => pick(d) !== undefined && pick(d) !== false).map((d) => d.type).sort();
    assert.deepEqual(withField((d) => (d.fold === 'linear' ? true : undefined)), ['core/conv2d', 'core/dense', 'core/depthwise_conv2d', 'core/separable_conv2d']);
    assert.deepEqual(withField((d) => (d.fold === 'batchnorm' ? true : undefined)), ['norm/batchnorm']);
    assert.deepEqual(withField((d) => d.attention), ['attn/mhsa', 'tfm/encoder']);
    assert.deepEqual(withField((d) => d.datasetClasses), ['det/yolo_head', 'head/classify', 'head/segment']);
    assert.deepEqual(withField((d) => d.window), ['core/conv2d', 'core/depthwise_conv2d', 'core/separable_conv2d', 'pool/avgpool', 'pool/maxpool']);
    assert.deepEqual(withField((d) => d.residual), ['merge/add']);
    assert.deepEqual(withField((d) => (d.probe?.kind === 'batchnorm' ? true : undefined)), ['norm/batchnorm']);
    const activations = BLOCKS.filter((d) => d.probe?.kind === 'activation');
    assert.deepEqual(activations.map((d) => d.type).sort(), BLOCKS.filter((d) => d.type.startsWith('act/')).map((d) => d.type).sort());
    const judged = Object.fromEntries(activations.flatMap((d) => (d.probe?.kind === 'activation' && d.probe.activation !== 'other' ? [[d.type, d.probe.activation]] : [])));
    assert.deepEqual(judged, { 'act/relu': 'relu', 'act/relu6': 'relu', 'act/sigmoid': 'sigmoid', 'act/tanh': 'tanh' });
    const conv = blockByType('core/conv2d')!;
    assert.deepEqual(conv.window!({ ...Object.fromEntries(Object.entries(conv.params).map(([k, v]) => [k, v.default])), kernel: 5, stride: 2, dilation: 3 } as never), { kernel: 5, stride: 2, dilation: 3 });
    const pool = blockByType('pool/maxpool')!;
    assert.deepEqual(pool.window!({ size: 3, stride: 0, padding: 'same', pad: 0 } as never), { kernel: 3, stride: 3, dilation: 1 });
  });

  test("every unit's .py file is valid Python, and model.py's prelude holds each of its classes once", () => {
    const pyFiles = UNITS.flatMap((u) => readdirSync(join(UNITS_DIR, u)).filter((f) => f.endsWith('.py')).map((f) => join(UNITS_DIR, u, f)));
    assert.ok(pyFiles.length >= 7, pyFiles.join(', '));
    execFileSync('python3', ['-c', 'import ast, sys\nfor f in sys.argv[1:]:\n    ast.parse(open(f, encoding="utf-8").read(), f)', ...pyFiles]);
    const text = prelude();
    for (const f of pyFiles) {
      for (const [, name] of readFileSync(f, 'utf8').matchAll(/^class (\w+)/gm)) assert.equal(text.match(new RegExp(`^class ${name}\\(`, 'gm'))?.length, 1, `${name} (${f})`);
    }
  });
});
