import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { ENGINE_BLOCKS, registerUnit } from '../../../src/main/engine/blocks';
import { exporterOf, type EngineBlock } from '../../../src/main/engine/blocks/types';
import { exportFiles, writeExportFolder } from '../../../src/main/engine/export';
import { prelude } from '../../../src/main/engine/export/pytorch/prelude';
import { bundleLoader } from '../../../src/main/engine/export/tfjs/buildLoader';
import { BLOCKS, blockByType, defaultParams, parseParams, type AnyBlockDef } from '../../../src/shared/blocks';
import { checkBlockContract } from '../engine/compile/blockContract';
import { caseGraph, caseName } from '../engine/compile/cases';
import { checkOnnx, compareOnnxWithLab, comparePytorch, ONNX_PYTHON, TORCH_PYTHON, tfjsWorkspace } from '../engine/export/formats';
import { compiledWithStats, fixedData, maxAbsDiff } from '../engine/export/helpers';
import { loadUnitContract } from './contracts';
import { definitions } from './fixture/definition';
import { twins } from './fixture/engine';
import { makeCtx } from './harness';

/**
 * docs/adding-a-block.md, executed: a unit from one folder (tests/unit/blocks/fixture: definition, layer, engine twin,
 * Python class, pinned params and contract cases) joins the lab by one registration call and passes the whole block
 * contract: catalogue checks, shapes, params, gradients, save/reload, ONNX (onnxruntime + onnx.checker), PyTorch
 * (torch numerics) and TF.js (the export's loader, bundled with the unit's layer, in a fresh process).
 */

const FOLDER = resolve('tests/unit/blocks/fixture');
const TYPE = 'fixture/scale_shift';
registerUnit({ folder: FOLDER, definitions: definitions as unknown as AnyBlockDef[], twins: twins as unknown as EngineBlock[] });

const CONTRACT = await loadUnitContract(FOLDER, [TYPE]);
const CASES = CONTRACT.cases?.[TYPE] ?? [{}];

before(async () => {
  await tf.setBackend('cpu');
});

describe('fixture unit: registered by one call', () => {
  test('its block joins the catalogue and the engine, with both exporters, and its Python class joins model.py', () => {
    assert.equal(blockByType(TYPE), definitions[0]);
    assert.ok(BLOCKS.includes(definitions[0] as unknown as AnyBlockDef));
    assert.equal(ENGINE_BLOCKS[TYPE], twins[0]);
    assert.equal(typeof exporterOf(ENGINE_BLOCKS[TYPE], 'onnx'), 'function');
    assert.equal(typeof exporterOf(ENGINE_BLOCKS[TYPE], 'pytorch'), 'function');
    assert.match(prelude(), /^class ScaleShift\(nn\.Module\):/m);
    assert.throws(() => registerUnit({ folder: FOLDER, definitions: definitions as unknown as AnyBlockDef[], twins: twins as unknown as EngineBlock[] }), /already registered/);
  });

  test('catalogue contract: doc card, documented default params, shape and cost on a typical input', () => {
    const def = blockByType(TYPE)!;
    assert.ok(def.doc.summary.length > 10 && def.doc.use.length > 10);
    const r = parseParams(def.params, {});
    assert.ok(r.ok);
    if (!r.ok) return;
    assert.deepEqual(r.params, defaultParams(def.params));
    assert.equal(parseParams(def.params, { bogus: 1 }).ok, false);
    assert.deepEqual(Object.keys(def.params).sort(), [...CONTRACT.pins[TYPE]].sort());
    const inputs = [[null, 32, 32, 64]];
    const out = def.inferShape(inputs, r.params, makeCtx(inputs));
    assert.deepEqual(out, [null, 32, 32, 64]);
    assert.deepEqual(def.cost(inputs, out, r.params), { params: 128, macs: 0, ops: 2 * 32 * 32 * 64 });
  });

  for (const [i, c] of CASES.entries()) {
    test(`engine contract (shapes, params, gradients, save/reload): ${caseName(c, i)}`, async () => {
      await checkBlockContract(TYPE, c);
    });
  }

  test('ONNX export equals the lab within 1e-4 (onnxruntime-node) on every case', async () => {
    for (const [i, c] of CASES.entries()) {
      const diff = await compareOnnxWithLab(caseGraph(TYPE, c).graph);
      assert.ok(diff <= 1e-4, `${caseName(c, i)}: max |onnx − lab| = ${diff}`);
    }
  });

  test('onnx.checker accepts the ONNX exports (python3-onnx)', { skip: ONNX_PYTHON ? false : 'no python3 with onnx' }, () => {
    checkOnnx(CASES.map((c, i) => ({ name: `fixture-${i}`, graph: caseGraph(TYPE, c).graph })));
  });

  test('PyTorch export equals the lab within 1e-4 (python3-torch) on every case', { skip: TORCH_PYTHON ? false : 'no python3 with torch' }, async () => {
    const { work, dispose } = tfjsWorkspace();
    try {
      const diffs = await comparePytorch(work, CASES.map((c, i) => ({ name: caseName(c, i), graph: caseGraph(TYPE, c).graph })));
      assert.equal(diffs.size, CASES.length);
      assert.deepEqual([...diffs].filter(([, d]) => !(d <= 1e-4)), []);
    } finally {
      dispose();
    }
  });

  describe('TF.js export', () => {
    const ws = tfjsWorkspace();
    after(() => ws.dispose());

    test('loads in a fresh process with the loader bundled with the unit\'s layer, and predicts as the lab', async () => {
      const loader = await bundleLoader([join(FOLDER, 'layer.ts')]);
      assert.match(loader, /NetsmithFixture>ScaleShift/);
      assert.doesNotMatch(loader, /ctx\.op\(|defineBlock/, 'the loader holds layer code only');
      for (const [i, c] of CASES.entries()) {
        const { graph } = caseGraph(TYPE, c);
        const { model } = compiledWithStats(graph);
        try {
          const files = await exportFiles('tfjs', graph, model);
          files['netsmith-layers.js'] = loader;
          const dir = `fixture-${i}`;
          await writeExportFolder(join(ws.work, dir), files);
          const shape = [2, ...graph.meta.input.shape];
          const data = fixedData(shape.reduce((a, b) => a * b, 1), 3 + i);
          const lab = model.predict(tf.tensor(data, shape)) as tf.Tensor;
          const child = await ws.predictInChild(dir, data, shape);
          assert.deepEqual(child.shape, lab.shape);
          assert.ok(maxAbsDiff(child.data, lab.dataSync()) <= 1e-5, caseName(c, i));
          lab.dispose();
        } finally {
          model.dispose();
        }
      }
    });
  });
});

// The exported loader without the unit's layer cannot load the model: the registration is what makes it work.
test('the stock loader refuses the fixture model (it is not in the registry)', async () => {
  const ws = tfjsWorkspace();
  try {
    const { graph } = caseGraph(TYPE, {});
    const { model } = compiledWithStats(graph);
    try {
      await writeExportFolder(join(ws.work, 'stock'), await exportFiles('tfjs', graph, model));
      await assert.rejects(ws.predictInChild('stock', fixedData(8 * 8 * 4 * 2, 1), [2, 8, 8, 4]), /ScaleShift/);
    } finally {
      model.dispose();
    }
  } finally {
    ws.dispose();
  }
});
