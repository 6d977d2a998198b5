import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { exportOnnx, onnxSupported } from '../../../../src/main/engine/export/onnx/export';
import { BLOCKS } from '../../../../src/shared/blocks';
import { analyze, errorsOf } from '../../../../src/shared/graph/analyze';
import { TEMPLATES } from '../../../../src/shared/templates';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { CASES, caseGraph, caseName } from '../compile/cases';
import { compiledWithStats, fixedData, maxAbsDiff, templateGraph } from './helpers';

before(async () => {
  await tf.setBackend('cpu');
});

/**
 * Runs the ONNX export of `graph` in onnxruntime and returns the largest difference to the lab's prediction,
 * relative to the output's scale when that exceeds 1 (deep nets at init reach |y| ≈ 300, where float32 rounding
 * alone is ~1e-5 relative): `max|onnx − lab| / max(1, max|lab|)`.
 */
async function compareWithLab(graph: GraphDoc, batch = 2): Promise<number> {
  const { model } = compiledWithStats(graph);
  try {
    const shape = [batch, ...graph.meta.input.shape];
    const data = fixedData(shape.reduce((a, b) => a * b, 1), 5);
    const x = tf.tensor(data, shape);
    const labOut = model.predict(x) as tf.Tensor | tf.Tensor[];
    const labs = (Array.isArray(labOut) ? labOut : [labOut]).map((t) => ({ shape: t.shape, data: t.dataSync() }));
    const { bytes, inputName, outputNames } = exportOnnx(graph, model);
    const session = await ort.InferenceSession.create(bytes);
    const result = await session.run({ [inputName]: new ort.Tensor('float32', data, shape) });
    let worst = 0;
    outputNames.forEach((name, i) => {
      assert.deepEqual([...result[name].dims], labs[i].shape, `output ${name} shape`);
      const scale = maxAbsDiff(labs[i].data, new Float32Array(labs[i].data.length)) || 1;
      const rel = Math.max(1, scale);
      worst = Math.max(worst, maxAbsDiff(result[name].data as Float32Array, labs[i].data) / rel);
    });
    tf.dispose([x, labOut as tf.Tensor]);
    return worst;
  } finally {
    model.dispose();
  }
}

/** The template at the smallest square input its analysis accepts (its own input if none is smaller). */
function atSmallInput(graph: GraphDoc): GraphDoc {
  const [h, , c] = graph.meta.input.shape;
  for (const s of [16, 32, 48, 64, 96, 128]) {
    if (s >= h) break;
    const small = structuredClone(graph);
    small.meta.input.shape = [s, s, c];
    if (errorsOf(analyze(small)).length === 0) return small;
  }
  return graph;
}

const unsupportedIn = (graph: GraphDoc): string[] => [...new Set(analyze(graph).expanded.nodes.map((n) => n.type))].filter((t) => !onnxSupported(t));

describe('ONNX export of every template equals the lab within 1e-4 (onnxruntime-node)', () => {
  for (const t of TEMPLATES) {
    const graph = atSmallInput(t.build());
    const unsupported = unsupportedIn(graph);
    test(`${t.id} at ${graph.meta.input.shape.join('×')}`, { skip: unsupported.length ? `no ONNX nodes for ${unsupported.join(', ')}` : false }, async () => {
      const diff = await compareWithLab(graph, 1);
      assert.ok(diff <= 1e-4, `max |onnx − lab| / max(1, |lab|) = ${diff}`);
    });
  }
});

describe('ONNX export of each block equals the lab within 1e-4 (contract cases)', () => {
  for (const def of BLOCKS) {
    if (!onnxSupported(def.type)) continue;
    const cases = CASES[def.type] ?? [{}];
    cases.forEach((c, i) => {
      const { graph } = caseGraph(def.type, c);
      const unsupported = unsupportedIn(graph);
      test(`${def.type} ${caseName(c, i)}`, { skip: unsupported.length ? `needs ${unsupported.join(', ')}` : false }, async () => {
        const diff = await compareWithLab(graph);
        assert.ok(diff <= 1e-4, `max |onnx − lab| = ${diff}`);
      });
    });
  }
});

/** Debian's python3-onnx (1.12) in /usr/bin/python3 gives the reference checker, shape inference included. */
const ONNX_PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import onnx'], { stdio: 'ignore' }).status === 0);

describe('onnx.checker accepts the exports (python3-onnx)', { skip: ONNX_PYTHON ? false : 'no python3 with onnx' }, () => {
  test('lenet_mnist, mobilenet_v3_small, vit_tiny_cifar', () => {
    const dir = mkdtempSync(join(tmpdir(), 'netsmith-onnx-check-'));
    try {
      const files = ['lenet_mnist', 'mobilenet_v3_small', 'vit_tiny_cifar'].map((id) => {
        const graph = atSmallInput(templateGraph(id));
        const { model } = compiledWithStats(graph);
        try {
          const file = join(dir, `${id}.onnx`);
          writeFileSync(file, exportOnnx(graph, model).bytes);
          return file;
        } finally {
          model.dispose();
        }
      });
      const code = 'import onnx, sys\nfor f in sys.argv[1:]:\n    m = onnx.load(f)\n    onnx.checker.check_model(m, full_check=True)\n    assert m.opset_import[0].version >= 17\nprint("ok")';
      assert.equal(execFileSync(ONNX_PYTHON!, ['-c', code, ...files], { encoding: 'utf8' }).trim(), 'ok');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
