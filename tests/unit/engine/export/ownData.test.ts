// A network drawn for 32×32×3 and 10 classes, trained on the user's own folder of 64×64 images in 3 classes:
// run.json, Predict and every export declare what it was really trained on (64×64×3, 3 named classes, the
// folder's normalisation), and the ONNX export runs in onnxruntime on a 64×64 input.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import * as ort from 'onnxruntime-node';
import { PNG } from 'pngjs';
import { loadFromMemory } from '../../../../src/main/engine/compile/artifacts';
import { exportRun, type ModelInfoFile } from '../../../../src/main/engine/export';
import { runRecordSchema, type RunRecord } from '../../../../src/shared/runs/runRecord';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../../src/shared/graph/types';

const work = mkdtempSync(join(tmpdir(), 'netsmith-own-data-'));
const photos = join(work, 'photos');
const CLASSES = ['apple', 'grass', 'sky'];
const TINT: Record<string, [number, number, number]> = { apple: [200, 40, 40], grass: [40, 180, 60], sky: [60, 90, 210] };
const SIDE = 64;

/** A 64×64 image of a class: its tint with a brighter square somewhere and noise. */
function photo(cls: string, k: number): Buffer {
  const png = new PNG({ width: SIDE, height: SIDE });
  const [r, g, b] = TINT[cls];
  let s = (k + 1) * 7919;
  const noise = (): number => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32) * 60 - 30;
  const x0 = (k * 13) % 40;
  const y0 = (k * 29) % 40;
  for (let y = 0; y < SIDE; y++)
    for (let x = 0; x < SIDE; x++) {
      const lift = x >= x0 && x < x0 + 20 && y >= y0 && y < y0 + 20 ? 40 : 0;
      const i = (y * SIDE + x) * 4;
      png.data[i] = Math.max(0, Math.min(255, r + lift + noise()));
      png.data[i + 1] = Math.max(0, Math.min(255, g + lift + noise()));
      png.data[i + 2] = Math.max(0, Math.min(255, b + lift + noise()));
      png.data[i + 3] = 255;
    }
  return PNG.sync.write(png);
}

/** Drawn for 32×32×3 and 10 classes: conv → ReLU → max pool → flatten → dense head (its weights depend on H×W). */
function drawnGraph(): GraphDoc {
  const b = new GraphBuilder({ name: 'Tiny CNN', input: [32, 32, 3], task: 'classification' });
  let x = b.add('core/conv2d', { filters: 4, kernel: 3 }, b.input());
  x = b.add('act/relu', {}, x);
  x = b.add('pool/maxpool', { size: 2, stride: 2, padding: 'explicit', pad: 0 }, x);
  x = b.add('reshape/flatten', {}, x);
  b.add('head/classify', { classes: 10 }, x);
  return b.build();
}

/** ModelProto.metadata_props (field 14: key 1, value 2), read with a minimal protobuf walker. */
function onnxMetadata(bytes: Uint8Array): Record<string, string> {
  const varint = (buf: Uint8Array, at: { i: number }): number => {
    let v = 0;
    for (let shift = 0; ; shift += 7) {
      const b = buf[at.i++];
      v += (b & 0x7f) * 2 ** shift;
      if (b < 0x80) return v;
    }
  };
  const fields = (buf: Uint8Array): { field: number; bytes?: Uint8Array }[] => {
    const out: { field: number; bytes?: Uint8Array }[] = [];
    const at = { i: 0 };
    while (at.i < buf.length) {
      const key = varint(buf, at);
      const wire = key & 7;
      if (wire === 0) varint(buf, at);
      else if (wire === 2) {
        const n = varint(buf, at);
        out.push({ field: key >>> 3, bytes: buf.subarray(at.i, at.i + n) });
        at.i += n;
      } else if (wire === 5) at.i += 4;
      else if (wire === 1) at.i += 8;
      else throw new Error(`wire type ${wire}`);
    }
    return out;
  };
  const text = (b: Uint8Array | undefined): string => Buffer.from(b ?? []).toString('utf8');
  const meta: Record<string, string> = {};
  for (const f of fields(bytes).filter((x) => x.field === 14)) {
    const kv = fields(f.bytes!);
    meta[text(kv.find((x) => x.field === 1)?.bytes)] = text(kv.find((x) => x.field === 2)?.bytes);
  }
  return meta;
}

let reg: RunRegistry;
let runId: string;
let record: RunRecord;

before(async () => {
  await tf.setBackend('cpu');
  for (const cls of CLASSES) {
    mkdirSync(join(photos, cls), { recursive: true });
    for (let k = 0; k < 12; k++) writeFileSync(join(photos, cls, `img-${k}.png`), photo(cls, k));
  }
  reg = new RunRegistry(join(work, 'runs'));
  const run = await reg.startRun({ project: JSON.stringify(drawnGraph()), dataset: photos, config: { epochs: 2, batchSize: 8, probeEvery: 0, backend: 'cpu', optimizer: { name: 'adam', lr: 0.003 } } });
  runId = run.id;
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  record = runRecordSchema.parse(JSON.parse(readFileSync(join(reg.runDir(runId), 'run.json'), 'utf8')));
});
after(async () => {
  await reg?.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('a run on your own 64×64, 3-class folder', { timeout: 300_000 }, () => {
  test('run.json keeps the graph as trained (adapted to the folder) and what it was trained on', () => {
    const graph = record.graph as GraphDoc;
    assert.deepEqual(graph.meta.input.shape, [64, 64, 3]);
    assert.equal(graph.nodes.find((n) => n.type === 'head/classify')!.params.classes, 3);
    assert.deepEqual(record.data!.shape, [64, 64, 3]);
    assert.deepEqual(record.data!.classes, CLASSES);
    assert.equal(record.data!.norm.mean.length, 3);
    // The folder's statistics: the red channel is brightest on average over the tints (200, 40, 60 + the lifted squares).
    for (const m of record.data!.norm.mean) assert.ok(m > 0.1 && m < 0.9, `mean ${m}`);
  });

  test('ONNX: declares [batch,64,64,3] and 3 outputs, runs on a 64×64 input in onnxruntime, carries classes and preprocessing; Predict agrees', async () => {
    const out = join(work, 'onnx');
    const done = await exportRun(reg.runDir(runId), 'onnx', out);
    assert.deepEqual(done.files.sort(), ['README.md', 'labels.txt', 'model-info.json', 'model.onnx']);
    const bytes = readFileSync(join(out, 'model.onnx'));
    const session = await ort.InferenceSession.create(bytes);

    // The preprocessing as model-info.json states it, applied to a new image of the class 'sky'.
    const info = JSON.parse(readFileSync(join(out, 'model-info.json'), 'utf8')) as ModelInfoFile;
    assert.deepEqual(info.input, { layout: 'NHWC', shape: ['batch', 64, 64, 3], dtype: 'float32', height: 64, width: 64, channels: 3, channelOrder: 'RGB' });
    assert.deepEqual(info.classes, CLASSES);
    assert.deepEqual(info.preprocessing!.mean, record.data!.norm.mean);
    assert.deepEqual(info.preprocessing!.std, record.data!.norm.std);
    const png = photo('sky', 99);
    const pixels = PNG.sync.read(png).data;
    const input = new Float32Array(SIDE * SIDE * 3);
    for (let p = 0; p < SIDE * SIDE; p++)
      for (let c = 0; c < 3; c++) input[p * 3 + c] = (pixels[p * 4 + c] * info.preprocessing!.scale - info.preprocessing!.mean[c]) / info.preprocessing!.std[c];
    const result = await session.run({ input: new ort.Tensor('float32', input, [1, 64, 64, 3]) });
    const logits = result[session.outputNames[0]];
    assert.deepEqual(logits.dims, [1, 3]);
    const l = [...(logits.data as Float32Array)];
    const z = l.map((v) => Math.exp(v - Math.max(...l)));
    const probs = z.map((v) => v / z.reduce((a, b) => a + b, 0));

    const predicted = await reg.predict({ id: runId, image: { dataUrl: `data:image/png;base64,${png.toString('base64')}`, name: 'sky.png' }, top: 3 });
    assert.deepEqual(predicted.inputShape, [64, 64, 3]);
    assert.deepEqual(predicted.classes, CLASSES);
    for (const t of predicted.top!) assert.ok(Math.abs(t.probability - probs[t.index]) < 1e-4, `${t.name}: Predict ${t.probability} vs ONNX ${probs[t.index]}`);
    assert.equal(predicted.top![0].name, 'sky', 'two epochs learn the tints');

    const meta = onnxMetadata(bytes);
    assert.deepEqual(JSON.parse(meta.classes), CLASSES);
    assert.equal(meta.input_size, '64x64');
    assert.equal(meta.input_layout, 'NHWC');
    assert.equal(meta.channel_order, 'RGB');
    assert.deepEqual(JSON.parse(meta.mean), record.data!.norm.mean);
    assert.deepEqual(JSON.parse(meta.std), record.data!.norm.std);
    assert.equal(Number(meta.scale), 1 / 255);
    assert.deepEqual(JSON.parse(meta['netsmith.model_info']), info);

    assert.equal(readFileSync(join(out, 'labels.txt'), 'utf8'), 'apple\ngrass\nsky\n');
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(readme, /\[batch, 64, 64, 3\]/);
    assert.match(readme, /Input: 64×64 RGB images \(3 channels\)/);
    assert.match(readme, /mean = \[[\d., ]+\], std = \[[\d., ]+\]/);
    assert.match(readme, /Classes \(3, in output order; also in labels\.txt\): 0: apple, 1: grass, 2: sky\./);
    assert.doesNotMatch(readme, /32×32|32, 32|10 classes/);
  });

  test('PyTorch: INPUT_SHAPE (3, 64, 64), CLASSES, MEAN/STD in model.py; labels.txt, model-info.json (NCHW) and the README say so', async () => {
    const out = join(work, 'pytorch');
    const done = await exportRun(reg.runDir(runId), 'pytorch', out);
    assert.deepEqual(done.files.sort(), ['README.md', 'labels.txt', 'model-info.json', 'model.py', 'train.py', 'weights.safetensors']);
    const py = readFileSync(join(out, 'model.py'), 'utf8');
    assert.match(py, /^INPUT_SHAPE = \(3, 64, 64\)$/m);
    assert.match(py, /^CLASSES = \["apple", "grass", "sky"\]/m);
    assert.match(py, new RegExp(`^MEAN = \\(${record.data!.norm.mean.join(', ')}\\)$`, 'm'));
    assert.match(py, new RegExp(`^STD = \\(${record.data!.norm.std.join(', ')}\\)$`, 'm'));
    const info = JSON.parse(readFileSync(join(out, 'model-info.json'), 'utf8')) as ModelInfoFile;
    assert.deepEqual(info.input.shape, ['batch', 3, 64, 64]);
    assert.equal(info.input.layout, 'NCHW');
    assert.equal(readFileSync(join(out, 'labels.txt'), 'utf8'), 'apple\ngrass\nsky\n');
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(readme, /Input: \[batch, 3, 64, 64\] float32, NCHW/);
    assert.match(readme, /Input: 64×64 RGB images/);
    assert.match(readme, /0: apple, 1: grass, 2: sky/);
    assert.doesNotMatch(readme, /32×32|32, 32|10 classes/);

    const python = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
    if (!python) return;
    const r = spawnSync(python, ['-c', 'import torch, model; m = model.load_model(); print(tuple(m(torch.zeros(1, *model.INPUT_SHAPE)).shape), model.CLASSES)'], { cwd: out, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.equal(r.stdout.trim(), "(1, 3) ['apple', 'grass', 'sky']");
  });

  test('TF.js: the model takes [batch,64,64,3] and gives 3 values; labels.txt, model-info.json and the README beside it', async () => {
    const out = join(work, 'tfjs');
    const done = await exportRun(reg.runDir(runId), 'tfjs', out);
    assert.deepEqual(done.files.sort(), ['README.md', 'labels.txt', 'model-info.json', 'model.json', 'netsmith-layers.js', 'weights.bin']);
    const json = JSON.parse(readFileSync(join(out, 'model.json'), 'utf8')) as { modelTopology: object; weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] };
    const w = readFileSync(join(out, 'weights.bin'));
    const model = await loadFromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightsManifest[0].weights, weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer });
    const y = model.predict(tf.zeros([1, 64, 64, 3])) as tf.Tensor;
    assert.deepEqual(y.shape, [1, 3]);
    y.dispose();
    model.dispose();
    const info = JSON.parse(readFileSync(join(out, 'model-info.json'), 'utf8')) as ModelInfoFile;
    assert.deepEqual(info.input.shape, ['batch', 64, 64, 3]);
    assert.deepEqual(info.classes, CLASSES);
    assert.equal(readFileSync(join(out, 'labels.txt'), 'utf8'), 'apple\ngrass\nsky\n');
    const readme = readFileSync(join(out, 'README.md'), 'utf8');
    assert.match(readme, /Input: 64×64 RGB images \(3 channels\), float32 \[batch, 64, 64, 3\] \(NHWC\)/);
    assert.match(readme, /0: apple, 1: grass, 2: sky/);
  });

  test('the graph export is the graph as trained', async () => {
    const out = join(work, 'graph');
    await exportRun(reg.runDir(runId), 'graph', out);
    const project = JSON.parse(readFileSync(join(out, 'project.json'), 'utf8')) as { graph: GraphDoc };
    assert.deepEqual(project.graph.meta.input.shape, [64, 64, 3]);
    assert.equal(project.graph.nodes.find((n) => n.type === 'head/classify')!.params.classes, 3);
  });

  test('a run recorded before run.json kept its data: the export adapts the graph to the dataset, loaded again', async () => {
    const dir = reg.runDir(runId);
    const legacy: Record<string, unknown> = { ...record, graph: drawnGraph() };
    delete legacy.data;
    writeFileSync(join(dir, 'run.json'), JSON.stringify(legacy));
    try {
      const out = join(work, 'onnx-legacy');
      await exportRun(dir, 'onnx', out);
      const info = JSON.parse(readFileSync(join(out, 'model-info.json'), 'utf8')) as ModelInfoFile;
      assert.deepEqual(info.input.shape, ['batch', 64, 64, 3]);
      assert.deepEqual(info.classes, CLASSES);
      assert.deepEqual(info.preprocessing!.mean, record.data!.norm.mean);
    } finally {
      writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
    }
  });
});
