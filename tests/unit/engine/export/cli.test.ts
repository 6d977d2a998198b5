import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import * as ort from 'onnxruntime-node';
import { saveToMemory } from '../../../../src/main/engine/compile/artifacts';
import { ENGINE_BLOCKS } from '../../../../src/main/engine/blocks';
import { ExportError, exportRun } from '../../../../src/main/engine/export';
import { CheckpointError } from '../../../../src/main/runs/runStore';
import { checkpointModelFiles, writeCheckpoint } from '../../../../src/main/runs/checkpoints';
import type { RunRecord } from '../../../../src/shared/runs/runRecord';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { compiledWithStats, fixedData, maxAbsDiff, templateGraph } from './helpers';

const work = mkdtempSync(join(tmpdir(), 'netsmith-export-'));
const runs = join(work, 'runs');

function record(id: string, graph: GraphDoc, checkpoints: RunRecord['checkpoints']): RunRecord {
  const now = new Date().toISOString();
  return { id, name: id, createdAt: now, updatedAt: now, state: checkpoints.last ? 'completed' : 'running', dataset: 'mnist', epoch: 1, epochs: 1, step: 1, fallbackOps: [], checkpoints, config: {}, graph };
}

/** A run folder as the registry writes it, with one checkpoint `epoch-1` unless `withCheckpoint` is false. */
async function fakeRun(id: string, graph: GraphDoc, model?: tf.LayersModel): Promise<string> {
  const dir = join(runs, id);
  mkdirSync(dir, { recursive: true });
  if (model) {
    const files = checkpointModelFiles(await saveToMemory(model));
    await writeCheckpoint(dir, 'epoch-1', { ...files, optimizer: { name: 'adam', step: 1, slots: {} }, progress: { epoch: 1, step: 1, metric: 0 } });
  }
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record(id, graph, model ? { last: 'epoch-1', best: 'epoch-1' } : {})));
  return dir;
}

let lenet: GraphDoc;
let lenetModel: tf.LayersModel;
let yoloGraph: GraphDoc;
let yoloModel: tf.LayersModel;

before(async () => {
  await tf.setBackend('cpu');
  lenet = templateGraph('lenet_mnist');
  lenetModel = compiledWithStats(lenet).model;
  await fakeRun('done', lenet, lenetModel);
  await fakeRun('fresh', lenet);
  const yolo = templateGraph('yolo_tiny');
  yolo.meta.input.shape = [32, 32, 3];
  yoloGraph = yolo;
  yoloModel = compiledWithStats(yolo).model;
  await fakeRun('yolo', yolo, yoloModel);
});
after(() => {
  lenetModel.dispose();
  yoloModel.dispose();
  rmSync(work, { recursive: true, force: true });
});

const leftovers = (dir: string): string[] => readdirSync(dir).filter((n) => n.startsWith('.'));

describe('exportRun', () => {
  test('ONNX of a finished checkpoint equals the lab', async () => {
    const out = join(work, 'out-onnx');
    const done = await exportRun(join(runs, 'done'), 'onnx', out);
    assert.equal(done.checkpoint, 'epoch-1');
    assert.deepEqual(readdirSync(out).sort(), ['README.md', 'labels.txt', 'model-info.json', 'model.onnx']);
    const shape = [3, ...lenet.meta.input.shape];
    const data = fixedData(shape.reduce((a, b) => a * b, 1), 4);
    const session = await ort.InferenceSession.create(join(out, 'model.onnx'));
    const r = await session.run({ input: new ort.Tensor('float32', data, shape) });
    const lab = lenetModel.predict(tf.tensor(data, shape)) as tf.Tensor;
    assert.ok(maxAbsDiff(r[session.outputNames[0]].data as Float32Array, lab.dataSync()) <= 1e-4);
  });

  test('graph: the project file, even without a checkpoint', async () => {
    const out = join(work, 'out-graph');
    await exportRun(join(runs, 'fresh'), 'graph', out);
    const project = JSON.parse(readFileSync(join(out, 'project.json'), 'utf8'));
    assert.equal(project.format, 'netsmith.project');
    assert.equal(project.graph.meta.name, lenet.meta.name);
  });

  test('a run without a finished checkpoint: a clear message, no folder', async () => {
    const out = join(work, 'out-fresh');
    await assert.rejects(exportRun(join(runs, 'fresh'), 'onnx', out), (e: Error) => e instanceof CheckpointError && e.code === 'no-checkpoint' && /^run fresh has no finished checkpoint yet \(state: running\)/.test(e.message));
    assert.equal(existsSync(out), false);
  });

  test('a detection run: the raw head map, and a README that says decoding and NMS are outside the model', async () => {
    for (const format of ['onnx', 'pytorch'] as const) {
      const out = join(work, `out-yolo-${format}`);
      await exportRun(join(runs, 'yolo'), format, out);
      assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /raw YOLO head map .*NMS are not part of the model/);
    }
  });

  /** Every block has exporters now: an unsupported one is simulated by the YOLO head declaring it for one test. */
  const withoutExporter = async (kind: 'onnx' | 'pytorch', body: () => Promise<void>): Promise<void> => {
    const twin = ENGINE_BLOCKS['det/yolo_head'] as { onnx?: unknown; pytorch?: unknown };
    const saved = twin[kind];
    twin[kind] = { unsupported: `its engine twin has no ${kind === 'onnx' ? 'ONNX nodes' : 'PyTorch code'} (declared by this test)` };
    try {
      await body();
    } finally {
      twin[kind] = saved;
    }
  };

  test('an unsupported block names the block and the reason, and leaves nothing', async () => {
    const out = join(work, 'out-yolo');
    await withoutExporter('onnx', () =>
      assert.rejects(exportRun(join(runs, 'yolo'), 'onnx', out), (e: Error) => e instanceof ExportError && /ONNX export does not support block '.+' \(det\/yolo_head\): its engine twin has no ONNX nodes/.test(e.message)),
    );
    assert.equal(existsSync(out), false);
    assert.deepEqual(leftovers(work), []);
  });

  test('PyTorch: an unsupported block names the block and the reason', async () => {
    const out = join(work, 'out-yolo-pt');
    await withoutExporter('pytorch', () =>
      assert.rejects(exportRun(join(runs, 'yolo'), 'pytorch', out), (e: Error) => e instanceof ExportError && /PyTorch export does not support block '.+' \(det\/yolo_head\): its engine twin has no PyTorch code/.test(e.message)),
    );
    assert.equal(existsSync(out), false);
  });

  test('fuseBatchNorm: the ONNX of the YOLO run folds its BatchNorms and still equals the lab', async () => {
    const out = join(work, 'out-yolo-fused');
    await exportRun(join(runs, 'yolo'), 'onnx', out, { fuseBatchNorm: true });
    assert.match(readFileSync(join(out, 'README.md'), 'utf8'), /Conv-BN fusion: 9 BatchNorm layer\(s\) are folded/);
    const shape = [2, ...yoloGraph.meta.input.shape];
    const data = fixedData(shape.reduce((a, b) => a * b, 1), 6);
    const session = await ort.InferenceSession.create(join(out, 'model.onnx'));
    const r = await session.run({ input: new ort.Tensor('float32', data, shape) });
    const lab = yoloModel.predict(tf.tensor(data, shape)) as tf.Tensor;
    assert.ok(maxAbsDiff(r[session.outputNames[0]].data as Float32Array, lab.dataSync()) <= 1e-4);
  });

  test('an unwritable folder: a clear message, no partial files', { skip: process.getuid?.() === 0 ? 'root can write anywhere' : false }, async () => {
    const locked = join(work, 'locked');
    mkdirSync(locked);
    chmodSync(locked, 0o500);
    try {
      await assert.rejects(exportRun(join(runs, 'done'), 'onnx', join(locked, 'out')), (e: Error) => e instanceof ExportError && /cannot write/.test(e.message));
      assert.deepEqual(readdirSync(locked), []);
    } finally {
      chmodSync(locked, 0o700);
    }
  });

  test('a folder that cannot be created (its parent is a file): a clear message, nothing left', async () => {
    const file = join(work, 'a-file');
    writeFileSync(file, 'x');
    await assert.rejects(exportRun(join(runs, 'done'), 'onnx', join(file, 'out')), (e: Error) => e instanceof ExportError && /cannot write to .*a-file: (ENOTDIR|EEXIST)/.test(e.message));
    assert.deepEqual(leftovers(work), []);
  });

  test('a non-empty target folder is refused', async () => {
    const out = join(work, 'full');
    mkdirSync(out);
    writeFileSync(join(out, 'keep.txt'), 'x');
    await assert.rejects(exportRun(join(runs, 'done'), 'onnx', out), /not empty/);
    assert.deepEqual(readdirSync(out), ['keep.txt']);
  });
});

describe('npm run cli -- export', () => {
  const cli = (args: string[]) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'export', ...args], { env: { ...process.env, NETSMITH_HOME: work } }).then(
      (r) => ({ code: 0, out: r.stdout, err: r.stderr }),
      (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, out: e.stdout, err: e.stderr }),
    );

  test('exports by run id, and rejects bad input with one message', async () => {
    const ok = await cli(['done', '--format', 'onnx', '--out', join(work, 'cli-onnx')]);
    assert.equal(ok.code, 0, ok.err);
    assert.match(ok.out, /exported onnx \(checkpoint epoch-1\)/);
    const fresh = await cli(['fresh', '--format', 'tfjs', '--out', join(work, 'cli-fresh')]);
    assert.equal(fresh.code, 1);
    assert.match(fresh.err, /^error: run fresh has no finished checkpoint yet/);
    const format = await cli(['done', '--format', 'keras', '--out', join(work, 'x')]);
    assert.equal(format.code, 2);
    assert.match(format.err, /--format must be one of tfjs, onnx, pytorch, graph/);
    const fused = await cli(['yolo', '--format', 'pytorch', '--fuse-bn', '--out', join(work, 'cli-fused')]);
    assert.equal(fused.code, 0, fused.err);
    assert.match(fused.out, /exported pytorch \(checkpoint epoch-1\), BatchNorm fused/);
    assert.doesNotMatch(readFileSync(join(work, 'cli-fused', 'model.py'), 'utf8').slice(-4000), /nn\.BatchNorm2d\(/);
    const fuseGraph = await cli(['yolo', '--format', 'graph', '--fuse-bn', '--out', join(work, 'x')]);
    assert.equal(fuseGraph.code, 2);
    assert.match(fuseGraph.err, /--fuse-bn applies to the tfjs, onnx and pytorch formats/);
    const missing = await cli(['nope', '--format', 'onnx', '--out', join(work, 'x')]);
    assert.equal(missing.code, 2);
    assert.match(missing.err, /neither a run folder nor a run id/);
  });
});
