// The predict engine: top-k, preprocessing, Grad-CAM (a hand-built model with a known answer, and PyTorch on
// the exported weights), feature maps, caching, bad input.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import { compile } from '../../../../src/main/engine/compile/compile';
import { encodePng } from '../../../../src/main/engine/data/image/encode';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { decodeForPredict, gradCam, PredictError, Predictor, preprocess } from '../../../../src/main/engine/predict';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { compiledWithStats, maxAbsDiff, templateGraph } from '../export/helpers';
import { tinyUnet } from '../tasks/models';
import { fakeRun } from './helpers';

const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);
const work = mkdtempSync(join(tmpdir(), 'netsmith-predict-'));
const runs = join(work, 'runs');
let lenet: GraphDoc;
let lenetModel: tf.LayersModel;
let mnist: Dataset;
let predictor: Predictor;

const png = (data: Uint8Array, h: number, w: number, c: number): Uint8Array => new Uint8Array(encodePng(data, h, w, c));
const pngSize = (url: string): [number, number] => {
  const p = PNG.sync.read(Buffer.from(url.slice(url.indexOf(',') + 1), 'base64'));
  return [p.width, p.height];
};

before(async () => {
  await tf.setBackend('cpu');
  lenet = templateGraph('lenet_mnist');
  lenetModel = compiledWithStats(lenet, 3).model;
  await fakeRun(runs, 'lenet', lenet, { model: lenetModel });
  await fakeRun(runs, 'lenet2', lenet, { model: compiledWithStats(lenet, 4).model });
  await fakeRun(runs, 'lenet3', lenet, { model: compiledWithStats(lenet, 5).model });
  await fakeRun(runs, 'fresh', lenet);
  mnist = (await loadDataset('mnist', { seed: 42 })).dataset;
  predictor = new Predictor(runs, async () => mnist, 'current');
});
after(() => {
  predictor.dispose();
  lenetModel.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('classification', () => {
  test('top-5: the softmax of the model on the dataset image, most probable first', async () => {
    const r = await predictor.predict({ id: 'lenet', image: { sampleIndex: 3 } });
    assert.equal(r.task, 'classification');
    assert.equal(r.checkpoint, 'best');
    assert.deepEqual(r.inputShape, [28, 28, 1]);
    const val = mnist.split('val');
    assert.equal(r.source.label, val.label(3));
    const probs = tf.tidy(() => tf.softmax(lenetModel.predict(tf.tensor4d(val.image(3), [1, 28, 28, 1])) as tf.Tensor).dataSync());
    const want = Array.from(probs.keys()).sort((a, b) => probs[b] - probs[a]).slice(0, 5);
    assert.deepEqual(r.top!.map((c) => c.index), want);
    for (const c of r.top!) assert.ok(Math.abs(c.probability - probs[c.index]) < 1e-6);
    for (let i = 1; i < 5; i++) assert.ok(r.top![i - 1].probability >= r.top![i].probability);
    const all = await predictor.predict({ id: 'lenet', image: { sampleIndex: 3 }, top: 10 });
    assert.ok(Math.abs(all.top!.reduce((s, c) => s + c.probability, 0) - 1) < 1e-5);
    assert.equal(r.top![0].name, mnist.info.classes[r.top![0].index]);
  });

  test('an uploaded PNG is preprocessed exactly as the dataset: same input, same prediction', async () => {
    const val = mnist.split('val');
    for (const i of [0, 7, 42]) {
      const bytes = png(val.rawImage(i), 28, 28, 1);
      const { input } = preprocess(decodeForPredict(bytes), [28, 28, 1], mnist.norm);
      assert.deepEqual(Array.from(input), Array.from(val.image(i)));
      const up = await predictor.predict({ id: 'lenet', image: { bytes, name: `val${i}.png` } });
      const sample = await predictor.predict({ id: 'lenet', image: { sampleIndex: i } });
      assert.deepEqual(up.top, sample.top);
      assert.deepEqual(up.gradcam!.heat, sample.gradcam!.heat);
      assert.equal(up.source.name, `val${i}.png`);
    }
  });

  test('any size and colour: resized bilinear to the input, grey by ITU-R 601 luma, normalised with the dataset stats', () => {
    const rgb = new Uint8Array(40 * 60 * 3).map((_, k) => (k * 37) % 256);
    const bytes = png(rgb, 40, 60, 3);
    const { input, pixels } = preprocess(decodeForPredict(bytes), [28, 28, 1], mnist.norm);
    assert.equal(input.length, 28 * 28);
    // An independent path: the folder importer's resize + grey, then (x/255 − mean)/std.
    const [mean, std] = [mnist.norm.mean[0], mnist.norm.std[0]];
    for (let p = 0; p < pixels.length; p++) assert.ok(Math.abs(input[p] - (pixels[p] / 255 - mean) / std) < 1e-6);
  });

  test('Grad-CAM and feature maps: the default layers, shapes and images', async () => {
    const r = await predictor.predict({ id: 'lenet', image: { sampleIndex: 0 }, channels: 4 });
    assert.deepEqual(r.layers.map((l) => l.name), ['conv1', 'act1', 'pool1', 'conv2', 'act2', 'pool2']);
    assert.equal(r.defaultGradcamLayer, 'pool2');
    const gc = r.gradcam!;
    assert.equal(gc.layer, 'pool2');
    assert.equal(gc.classIndex, r.top![0].index);
    assert.equal(gc.heat.length, gc.rows * gc.cols);
    assert.deepEqual([gc.rows, gc.cols], [5, 5]);
    assert.ok(Math.max(...gc.heat) === 1 && Math.min(...gc.heat) === 0);
    assert.deepEqual(pngSize(gc.overlay), [r.display.width, r.display.height]);
    assert.deepEqual(pngSize(r.image), [224, 224]);
    const fm = r.featureMaps!;
    assert.equal(fm.layer, 'conv1');
    assert.deepEqual(fm.shape, [28, 28, 6]);
    assert.equal(fm.shown, 4);
    assert.deepEqual([fm.cols, fm.rows], [2, 2]);
    assert.deepEqual(pngSize(fm.grid), [2 * 84 + 2, 2 * 84 + 2]); // 28 px maps enlarged 3×, 2 px gaps
    const other = await predictor.predict({ id: 'lenet', image: { sampleIndex: 0 }, layer: 'act2', gradcamLayer: 'act2', classIndex: 7 });
    assert.deepEqual(other.featureMaps!.shape, [10, 10, 16]);
    assert.equal(other.featureMaps!.shown, 16);
    assert.equal(other.gradcam!.classIndex, 7);
    assert.deepEqual([other.gradcam!.rows, other.gradcam!.cols], [10, 10]);
    // Each tile is min-max normalised: the ranges are the channel's own.
    const act = tf.tidy(() => tf.model({ inputs: lenetModel.inputs, outputs: lenetModel.getLayer('act2').output as tf.SymbolicTensor }).predict(tf.tensor4d(mnist.split('val').image(0), [1, 28, 28, 1])) as tf.Tensor);
    const a = act.dataSync();
    act.dispose();
    let lo = Infinity;
    let hi = -Infinity;
    for (let p = 0; p < 100; p++) {
      lo = Math.min(lo, a[p * 16 + 5]);
      hi = Math.max(hi, a[p * 16 + 5]);
    }
    assert.ok(Math.abs(other.featureMaps!.ranges[5][0] - lo) < 1e-6 && Math.abs(other.featureMaps!.ranges[5][1] - hi) < 1e-6);
  });

  test('models stay loaded (the two most recent runs); no tensor leaks between predictions', async () => {
    await predictor.predict({ id: 'lenet', image: { sampleIndex: 1 } });
    const before = tf.memory().numTensors;
    const t0 = performance.now();
    await predictor.predict({ id: 'lenet', image: { sampleIndex: 2 } });
    const warm = performance.now() - t0;
    assert.equal(tf.memory().numTensors, before);
    await predictor.predict({ id: 'lenet2', image: { sampleIndex: 1 } });
    const two = tf.memory().numTensors;
    assert.equal(two, before + lenetModel.weights.length);
    await predictor.predict({ id: 'lenet3', image: { sampleIndex: 1 } });
    await new Promise((r) => setTimeout(r, 10));
    assert.equal(tf.memory().numTensors, two, 'the least recently used model is disposed');
    assert.ok(warm < 5000, `a warm prediction took ${warm} ms`);
  });
});

describe('Grad-CAM', () => {
  /** input 8×8×2 → 1×1 conv 'feat' (identity) [→ + input] → global average → dense (identity): class k is channel k's mean. */
  function known(skip: boolean): tf.LayersModel {
    const b = new GraphBuilder({ name: 'known', input: [8, 8, 2] });
    const x = b.input();
    let f = b.add('core/conv2d', { filters: 2, kernel: 1, bias: false }, x, { label: 'feat' });
    if (skip) f = b.add('merge/add', {}, [f, x], { label: 'sum' });
    b.add('head/classify', { classes: 2 }, b.add('pool/global_avgpool', {}, f, { label: 'gap' }), { label: 'head' });
    const model = compile(b.build(), { seed: 1 }).model;
    model.getLayer('feat').setWeights([tf.tensor4d([1, 0, 0, 1], [1, 1, 2, 2])]);
    model.getLayer('head').setWeights([tf.tensor2d([1, 0, 0, 1], [2, 2]), tf.zeros([2])]);
    return model;
  }
  /** Channel 0 lights the top-left quadrant (a ramp), channel 1 the bottom-right one. */
  const image = (): tf.Tensor4D => {
    const d = new Float32Array(8 * 8 * 2);
    for (let y = 0; y < 8; y++)
      for (let x = 0; x < 8; x++) {
        if (y < 4 && x < 4) d[(y * 8 + x) * 2] = 1 + y + x;
        if (y >= 4 && x >= 4) d[(y * 8 + x) * 2 + 1] = 2;
      }
    return tf.tensor4d(d, [1, 8, 8, 2]);
  };

  for (const skip of [false, true])
    test(`a class's map lights the quadrant its evidence is in${skip ? ' (with a skip connection around the layer)' : ''}`, () => {
      const model = known(skip);
      const x = image();
      const cam0 = gradCam(model, x, 'feat', (o) => o[0].gather([0], 1).sum() as tf.Scalar);
      const cam1 = gradCam(model, x, 'feat', (o) => o[0].gather([1], 1).sum() as tf.Scalar);
      // α = (1/64, 0) for class 0: the map is channel 0 itself, min-max normalised: (1 + y + x − 0)/(7 − 0).
      for (let y = 0; y < 8; y++)
        for (let xx = 0; xx < 8; xx++) {
          const want0 = y < 4 && xx < 4 ? (1 + y + xx) / 7 : 0;
          assert.ok(Math.abs(cam0.heat[y * 8 + xx] - want0) < 1e-6, `class 0 at (${y}, ${xx}): ${cam0.heat[y * 8 + xx]} ≠ ${want0}`);
          assert.equal(cam1.heat[y * 8 + xx], y >= 4 && xx >= 4 ? 1 : 0);
        }
      assert.equal(cam0.zeroGradient, false);
      // The model is left as it was: predictions unchanged, no hook behind.
      // Logits: the channel means, 64/64 and 32/64 (doubled by the skip connection).
      const logits = Array.from((model.predict(x) as tf.Tensor).dataSync());
      assert.ok(maxAbsDiff(logits, skip ? [2, 1] : [1, 0.5]) < 1e-6, String(logits));
      assert.equal(Object.prototype.hasOwnProperty.call(model.getLayer('feat'), 'call'), false);
      x.dispose();
      model.dispose();
    });

  test('a class whose score ignores the layer: zero gradients, flat map', () => {
    const model = known(false);
    model.getLayer('head').setWeights([tf.tensor2d([0, 0, 0, 1], [2, 2]), tf.zeros([2])]);
    const x = image();
    const cam = gradCam(model, x, 'feat', (o) => o[0].gather([0], 1).sum() as tf.Scalar);
    assert.equal(cam.zeroGradient, true);
    assert.ok(cam.heat.every((v) => v === 0));
    x.dispose();
    model.dispose();
  });

  test('equals PyTorch Grad-CAM on the exported weights (python3-torch)', { skip: PYTHON ? false : 'no python3 with torch' }, async () => {
    const dir = join(work, 'pt');
    await writeExportFolder(dir, await exportFiles('pytorch', lenet, lenetModel));
    const val = mnist.split('val');
    const jobs: { layer: string; cls: number; sample: number }[] = [
      { layer: 'pool2', cls: 3, sample: 0 },
      { layer: 'act2', cls: 5, sample: 1 },
      { layer: 'conv1', cls: 0, sample: 2 },
      { layer: 'pool1', cls: 9, sample: 3 },
    ];
    const ours: number[][] = [];
    for (const j of jobs) {
      const r = await predictor.predict({ id: 'lenet', image: { sampleIndex: j.sample }, gradcamLayer: j.layer, classIndex: j.cls });
      ours.push(r.gradcam!.heat);
      writeFileSync(join(dir, `x${j.sample}.f32`), Buffer.from(val.image(j.sample).buffer));
    }
    const script = `
import json, sys, torch
sys.path.insert(0, ${JSON.stringify(dir)})
from model import load_model
m = load_model()
out = []
for j in json.loads(sys.argv[1]):
    x = torch.from_numpy(__import__('numpy').fromfile(${JSON.stringify(dir)} + '/x%d.f32' % j['sample'], dtype='<f4').reshape(1, 28, 28, 1)).permute(0, 3, 1, 2)
    saved = {}
    def keep(mod, i, o):
        o.retain_grad()
        saved['a'] = o
    h = getattr(m, j['layer']).register_forward_hook(keep)
    x.requires_grad_(True)
    logits = m(x)
    logits[0, j['cls']].backward()
    h.remove()
    a, g = saved['a'], saved['a'].grad
    cam = torch.relu((g.mean(dim=(2, 3), keepdim=True) * a).sum(1))[0]
    cam = cam - cam.min()
    cam = cam / cam.max() if cam.max() > 0 else cam
    out.append(cam.detach().reshape(-1).tolist())
print(json.dumps(out))
`;
    const r = spawnSync(PYTHON!, ['-c', script, JSON.stringify(jobs)], { encoding: 'utf8', cwd: dir });
    assert.equal(r.status, 0, r.stderr);
    const theirs = JSON.parse(r.stdout) as number[][];
    for (const [i, j] of jobs.entries()) {
      const d = maxAbsDiff(ours[i], theirs[i]);
      assert.ok(d < 2e-3, `${j.layer}, class ${j.cls}: max |ours − torch| = ${d}`);
    }
  });
});

describe('bad input', () => {
  test('not an image, an empty file, a GIF: a clear message', async () => {
    await assert.rejects(predictor.predict({ id: 'lenet', image: { bytes: new TextEncoder().encode('hello'), name: 'notes.txt' } }), /'notes.txt' is not a PNG or JPEG image/);
    await assert.rejects(predictor.predict({ id: 'lenet', image: { bytes: new Uint8Array(0), name: 'empty.png' } }), /'empty.png' is empty, not a PNG or JPEG image/);
    await assert.rejects(predictor.predict({ id: 'lenet', image: { bytes: new TextEncoder().encode('GIF89a....'), name: 'a.gif' } }), /'a.gif' cannot be read as an image: GIF is not supported/);
    await assert.rejects(predictor.predict({ id: 'lenet', image: { dataUrl: 'data:image/png;base64,aGVsbG8=', name: 'x.png' } }), (e: Error) => e instanceof PredictError && e.code === 'not-image');
    const truncated = png(mnist.split('val').rawImage(0), 28, 28, 1).slice(0, 60);
    await assert.rejects(predictor.predict({ id: 'lenet', image: { bytes: truncated, name: 'cut.png' } }), /'cut.png' cannot be read as an image/);
  });

  test('no checkpoint, no run, a missing sample, layer or class', async () => {
    await assert.rejects(predictor.predict({ id: 'fresh', image: { sampleIndex: 0 } }), /run fresh has no finished checkpoint yet \(state: running\): train it until an epoch ends/);
    await assert.rejects(predictor.predict({ id: 'lenet', image: { sampleIndex: 0 }, checkpoint: 'epoch-9' }), /run lenet has no checkpoint 'epoch-9' yet/);
    await assert.rejects(predictor.predict({ id: 'nope', image: { sampleIndex: 0 } }), /no run 'nope'/);
    await assert.rejects(predictor.predict({ id: '../x', image: { sampleIndex: 0 } }), /a run id \(letters, digits/);
    await assert.rejects(predictor.predict({ id: 'lenet', image: { sampleIndex: 10_000_000 } }), /validation sample 10000000 does not exist/);
    await assert.rejects(predictor.predict({ id: 'lenet', image: { sampleIndex: 0 }, layer: 'fc1' }), /no spatial layer 'fc1' for the feature-map view; pick one of conv1, act1/);
    await assert.rejects(predictor.predict({ id: 'lenet', image: { sampleIndex: 0 }, classIndex: 10 }), /class 10 does not exist \(10 classes\)/);
    await assert.rejects(predictor.predict({ id: 'lenet', image: {} }), /give one image/);
  });
});

test('a network without a spatial layer: predictions, no Grad-CAM, and why', async () => {
  const b = new GraphBuilder({ name: 'mlp', input: [28, 28, 1] });
  b.add('head/classify', { classes: 10 }, b.add('core/dense', { units: 16 }, b.add('reshape/flatten', {}, b.input())));
  const g = b.build();
  await fakeRun(runs, 'mlp', g, { model: compile(g, { seed: 1 }).model });
  const r = await predictor.predict({ id: 'mlp', image: { sampleIndex: 0 } });
  assert.equal(r.top!.length, 5);
  assert.equal(r.gradcam, undefined);
  assert.match(r.gradcamNote!, /no spatial layer/);
  assert.deepEqual(r.layers, []);
});

test('detection: boxes after NMS with scores and class names, Grad-CAM on the backbone', { timeout: 120_000 }, async () => {
  const det = (await loadDataset('shapes-det', { seed: 42 })).dataset;
  const graph = templateGraph('yolo_tiny');
  graph.meta.input.shape = [...det.info.shape];
  for (const n of graph.nodes) if (n.type === 'det/yolo_head') n.params.classes = det.info.classes.length;
  const model = compile(graph, { seed: 3 }).model;
  await fakeRun(runs, 'yolo', graph, { model, dataset: 'shapes-det', config: { detection: { displayScore: 0.05, nms: { iouThreshold: 0.3 } } } });
  const p = new Predictor(runs, async () => det, 'current');
  try {
    const r = await p.predict({ id: 'yolo', image: { sampleIndex: 0 } });
    assert.equal(r.task, 'detection');
    assert.equal(r.scoreThreshold, 0.05);
    assert.ok(r.boxes!.length > 0, 'an untrained head still scores some boxes above 0.05');
    for (const [i, b] of r.boxes!.entries()) {
      assert.ok(b.score >= 0.05 && b.score <= 1);
      if (i > 0) assert.ok(r.boxes![i - 1].score >= b.score, 'most confident first');
      assert.equal(b.name, det.info.classes[b.cls]);
      assert.ok(b.box.every((v) => Number.isFinite(v)) && b.box[2] > 0 && b.box[3] > 0);
    }
    // NMS per class: no two kept boxes of one class overlap by more than the IoU threshold.
    const iou = (a: number[], b: number[]): number => {
      const ix = Math.max(0, Math.min(a[0] + a[2] / 2, b[0] + b[2] / 2) - Math.max(a[0] - a[2] / 2, b[0] - b[2] / 2));
      const iy = Math.max(0, Math.min(a[1] + a[3] / 2, b[1] + b[3] / 2) - Math.max(a[1] - a[3] / 2, b[1] - b[3] / 2));
      return (ix * iy) / (a[2] * a[3] + b[2] * b[3] - ix * iy);
    };
    for (const a of r.boxes!) for (const b of r.boxes!) if (a !== b && a.cls === b.cls) assert.ok(iou(a.box, b.box) <= 0.3 + 1e-6);
    const gc = r.gradcam!;
    assert.equal(gc.classIndex, r.boxes![0].cls);
    assert.ok(!r.layers.some((l) => l.type === 'det/yolo_head'));
    assert.equal(gc.layer, r.defaultGradcamLayer);
    assert.equal(gc.heat.length, gc.rows * gc.cols);
  } finally {
    p.dispose();
  }
});

test('segmentation: the class map over the image, classes by area, Grad-CAM of a class', { timeout: 120_000 }, async () => {
  const seg = (await loadDataset('shapes-seg', { seed: 42 })).dataset;
  const graph = tinyUnet({ size: seg.info.shape[0], classes: seg.info.classes.length });
  await fakeRun(runs, 'unet', graph, { model: compile(graph, { seed: 2 }).model, dataset: 'shapes-seg' });
  const p = new Predictor(runs, async () => seg, 'current');
  try {
    const r = await p.predict({ id: 'unet', image: { sampleIndex: 0 } });
    assert.equal(r.task, 'segmentation');
    assert.deepEqual(pngSize(r.mask!), [r.display.width, r.display.height]);
    const area = r.top!.reduce((s, c) => s + c.probability, 0);
    assert.ok(area > 0 && area <= 1 + 1e-9);
    assert.ok(r.top!.every((c) => c.index > 0), 'background is not listed');
    const gc = (await p.predict({ id: 'unet', image: { sampleIndex: 0 }, classIndex: 2 })).gradcam!;
    assert.equal(gc.classIndex, 2);
    assert.equal(gc.heat.length, gc.rows * gc.cols);
  } finally {
    p.dispose();
  }
});
