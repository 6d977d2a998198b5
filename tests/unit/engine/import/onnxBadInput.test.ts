import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, rmSync, writeFileSync, ftruncateSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { DataType, encodeModel, type OnnxNode, type OnnxTensor } from '../../../../src/main/engine/export/onnx/proto';
import { OnnxImportError } from '../../../../src/main/engine/import/onnx/errors';
import { importOnnxFile } from '../../../../src/main/engine/import/onnx/importOnnx';
import { readOnnxFile } from '../../../../src/main/engine/import/onnx/read';
import { fixedData } from '../export/helpers';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'netsmith-onnx-bad-'));
before(async () => {
  await tf.setBackend('cpu');
});
after(() => rmSync(work, { recursive: true, force: true }));

const f32 = (name: string, dims: number[], seed: number): OnnxTensor => ({ name, dims, type: DataType.FLOAT, data: fixedData(dims.reduce((a, b) => a * b, 1), seed) });

/** input [batch, 3, 8, 8] → Conv 3×3 → Relu → GAP → Flatten → Gemm(5) → `tail` (an op the lab does not have). */
function smallModel(opts: { tail?: OnnxNode; externalWeight?: boolean } = {}): Uint8Array {
  const nodes: OnnxNode[] = [
    { op: 'Conv', name: '/features/conv/Conv', inputs: ['input', 'conv.weight', 'conv.bias'], outputs: ['c'], attrs: { kernel_shape: [3, 3], pads: [1, 1, 1, 1], strides: [1, 1] } },
    { op: 'Relu', name: '/features/relu/Relu', inputs: ['c'], outputs: ['r'] },
    { op: 'GlobalAveragePool', name: '/pool/GlobalAveragePool', inputs: ['r'], outputs: ['g'] },
    { op: 'Flatten', name: '/Flatten', inputs: ['g'], outputs: ['f'], attrs: { axis: 1 } },
    { op: 'Gemm', name: '/fc/Gemm', inputs: ['f', 'fc.weight', 'fc.bias'], outputs: [opts.tail ? 'logits' : 'out'], attrs: { transB: 1 } },
  ];
  if (opts.tail) nodes.push(opts.tail);
  const conv = f32('conv.weight', [4, 3, 3, 3], 1);
  return encodeModel({
    opset: 13,
    producer: 'test',
    graphName: 'small',
    nodes,
    initializers: [
      opts.externalWeight ? { ...conv, external: { location: 'small.weights', offset: 0, length: 4 * 108 } } : conv,
      f32('conv.bias', [4], 2),
      f32('fc.weight', [5, 4], 3),
      f32('fc.bias', [5], 4),
      { name: 'k', dims: [1], type: DataType.INT64, data: BigInt64Array.from([2n]) },
    ],
    inputs: [{ name: 'input', dims: ['batch', 3, 8, 8] }],
    outputs: [{ name: 'out', dims: ['batch', opts.tail ? 2 : 5] }],
  });
}

async function importError(file: string, opts: { until?: string } = {}): Promise<string> {
  try {
    const m = await importOnnxFile(file, opts);
    m.model.dispose();
  } catch (err) {
    assert.ok(err instanceof OnnxImportError, `expected an OnnxImportError, got ${(err as Error).stack}`);
    return err.message;
  }
  assert.fail('the import should have failed');
}

describe('bad ONNX files get a clear message, never a crash or a half import', () => {
  test('the small model imports (the fixture is sound)', async () => {
    writeFileSync(join(work, 'ok.onnx'), smallModel());
    const m = await importOnnxFile(join(work, 'ok.onnx'));
    assert.deepEqual(m.graph.nodes.map((n) => n.type), ['io/input', 'core/conv2d', 'act/relu', 'pool/global_avgpool', 'head/classify']);
    assert.equal(m.graph.nodes[1].label, 'features.conv');
    m.model.dispose();
  });

  test('a truncated file', async () => {
    const bytes = smallModel();
    writeFileSync(join(work, 'truncated.onnx'), bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    assert.match(await importError(join(work, 'truncated.onnx')), /truncated or corrupt/);
  });

  test('a protobuf that is not a model, and a file that is no protobuf at all', async () => {
    // A TensorProto: valid protobuf, but no graph.
    writeFileSync(join(work, 'tensor.onnx'), Uint8Array.from([0x08, 0x03, 0x10, 0x01, 0x42, 0x01, 0x78]));
    assert.match(await importError(join(work, 'tensor.onnx')), /not an ONNX model/);
    writeFileSync(join(work, 'text.onnx'), 'this is a text file, not a model\n');
    assert.match(await importError(join(work, 'text.onnx')), /not an ONNX model|truncated or corrupt/);
    writeFileSync(join(work, 'empty.onnx'), '');
    assert.match(await importError(join(work, 'empty.onnx')), /is empty/);
    assert.match(await importError(join(work, 'missing.onnx')), /no such file/);
  });

  test('an unsupported op at the tail: named with its node, and --until imports the graph up to it', async () => {
    const tail: OnnxNode = { op: 'TopK', name: '/postprocess/TopK', inputs: ['logits', 'k'], outputs: ['out', 'idx'], attrs: { axis: 1 } };
    writeFileSync(join(work, 'tail.onnx'), smallModel({ tail }));
    const msg = await importError(join(work, 'tail.onnx'));
    assert.match(msg, /unsupported op TopK at node '\/postprocess\/TopK'/);
    assert.match(msg, /Nothing was imported/);
    assert.match(msg, /--until '\/fc\/Gemm'/);
    const m = await importOnnxFile(join(work, 'tail.onnx'), { until: '/fc/Gemm' });
    assert.deepEqual(m.graph.nodes.map((n) => n.type), ['io/input', 'core/conv2d', 'act/relu', 'pool/global_avgpool', 'core/dense']);
    assert.equal(m.report.until, '/fc/Gemm');
    m.model.dispose();
    assert.match(await importError(join(work, 'tail.onnx'), { until: '/nowhere' }), /no node or tensor named '\/nowhere'/);
  });

  test('external-data tensors: a missing file is named; present, it is read', async () => {
    writeFileSync(join(work, 'ext.onnx'), smallModel({ externalWeight: true }));
    assert.match(await importError(join(work, 'ext.onnx')), /tensor 'conv.weight' keeps its data in 'small.weights', which is missing/);
    writeFileSync(join(work, 'small.weights'), new Uint8Array(10));
    assert.match(await importError(join(work, 'ext.onnx')), /too short/);
    const w = fixedData(108, 1);
    writeFileSync(join(work, 'small.weights'), new Uint8Array(w.buffer));
    const inline = await importOnnxFile(join(work, 'ok.onnx'));
    const external = await importOnnxFile(join(work, 'ext.onnx'));
    const x = tf.tensor(fixedData(2 * 8 * 8 * 3, 9), [2, 8, 8, 3]);
    assert.deepEqual(Array.from((external.model.predict(x) as tf.Tensor).dataSync()), Array.from((inline.model.predict(x) as tf.Tensor).dataSync()));
    inline.model.dispose();
    external.model.dispose();
  });

  test('a 2 GB model is refused as too large for the editor before it is read', async () => {
    const file = join(work, 'huge.onnx');
    const fd = openSync(file, 'w');
    ftruncateSync(fd, 2 * 1024 ** 3 + 17); // sparse: no disk used
    closeSync(fd);
    const t0 = Date.now();
    await assert.rejects(readOnnxFile(file), (e: Error) => e instanceof OnnxImportError && /too large for the editor/.test(e.message));
    assert.ok(Date.now() - t0 < 1000, 'refused without reading the file');
    rmSync(file);
  });
});

describe('npm run cli -- import', () => {
  const cli = (args: string[]) => run(process.execPath, ['--import', 'tsx', resolve('src/main/host/cli.ts'), ...args], { cwd: resolve('.'), env: { ...process.env, NETSMITH_HOME: work } }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

  test('a model → a model folder that inspect reads; a bad file → one line, exit 1, nothing written', async () => {
    const out = join(work, 'folder');
    const ok = await cli(['import', join(work, 'ok.onnx'), '--out', out]);
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stdout, /6 ONNX nodes|5 ONNX nodes/);
    for (const f of ['netsmith-model.json', 'graph.json', 'preprocessing.json', 'checkpoint/model.json', 'checkpoint/weights.bin']) assert.ok(existsSync(join(out, f)), f);
    assert.equal(JSON.parse(readFileSync(join(out, 'graph.json'), 'utf8')).nodes.length, 5);
    const info = JSON.parse(readFileSync(join(out, 'netsmith-model.json'), 'utf8'));
    assert.deepEqual(info.classes, ['0', '1', '2', '3', '4']);
    assert.match(info.notes.join(' '), /no preprocessing/);
    const inspect = await cli(['inspect', join(out, 'graph.json'), '--json']);
    assert.equal(inspect.code, 0, inspect.stderr);
    assert.equal(JSON.parse(inspect.stdout).totals.params, 4 * 27 + 4 + 5 * 4 + 5);

    const bad = await cli(['import', join(work, 'truncated.onnx'), '--out', join(work, 'nothing')]);
    assert.equal(bad.code, 1);
    assert.match(bad.stderr, /^error: cannot import .*truncated\.onnx: the file is truncated or corrupt/);
    assert.doesNotMatch(bad.stderr, /\n\s+at /, 'no stack trace');
    assert.ok(!existsSync(join(work, 'nothing')));
  });
});
