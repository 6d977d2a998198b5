import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PNG } from 'pngjs';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../../../../src/main/engine/compile/compile';
import { BatchIterator } from '../../../../src/main/engine/data/batch';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import { batchToTensors, disposeBatchTensors } from '../../../../src/main/engine/data/tensors';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { assignTargets, type Positive } from '../../../../src/main/engine/detect/assign';
import { encodeBox } from '../../../../src/main/engine/detect/codec';
import { levelSize, perCell } from '../../../../src/main/engine/detect/levels';
import { evaluateDetector, setupDetector, type DetectorSetup } from '../../../../src/main/engine/train/tasks/detection';
import { TASK_ADAPTERS } from '../../../../src/main/engine/train/tasks';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import { trainConfigSchema, type TrainConfig } from '../../../../src/shared/training/config';
import { useCpu } from '../train/approx';

let dataset: Dataset;
before(async () => {
  await useCpu();
  ({ dataset } = await loadDataset('shapes-det', { sizes: { train: 64, val: 23, test: 1 }, cache: false }));
});

/** The smallest graphs with YOLO heads: an s×s max-pool straight into a stride-s head, for s = 8 (and 16). */
function headOnly(anchors: number, classes = 6, strides = [8], shape = [64, 64, 3]): tf.LayersModel {
  const b = new GraphBuilder({ name: 'head only', task: 'detection', input: shape });
  const input = b.input();
  for (const stride of strides) {
    const x = b.add('pool/maxpool', { size: stride, stride, padding: 'explicit', pad: 0 }, input);
    b.add('det/yolo_head', { classes, anchors, stride }, x);
  }
  return compile(b.build(), { seed: 1 }).model;
}

const config = (detection: Record<string, unknown> = {}): TrainConfig => trainConfigSchema.parse({ detection });
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * A stand-in model whose outputs are computed from the ground truth: each box's assigned prediction carries
 * its exact encoding with objectness and class logits of ±`confidence`; every other prediction says "nothing".
 * `duplicate`: also predicts each box 25% wider (IoU 0.8), on the neighbouring anchor.
 */
function oracle(real: tf.LayersModel, setup: DetectorSetup, split: 'val', batchSize: number, o: { empty?: boolean; duplicate?: boolean } = {}): tf.LayersModel {
  const queue: tf.Tensor[][] = [];
  for (const batch of new BatchIterator(dataset, split, { batchSize, shuffle: false }).epoch(0)) {
    const gt = batch.boxes!.map((bs) => bs.map((b) => ({ cls: b.cls, box: [b.x, b.y, b.w, b.h] as [number, number, number, number] })));
    const positives = assignTargets(gt, setup.levels, setup.image);
    queue.push(
      setup.levels.map((level, li) => {
        const a = perCell(level);
        const width = 5 + level.classes;
        const raw = new Float32Array(batch.size * levelSize(level) * width);
        for (let r = 0; r < batch.size * levelSize(level); r++) raw[r * width + 4] = -20;
        const write = (p: Positive, row: number, anchor: number, box: readonly number[]): void => {
          const e = encodeBox(level, setup.image, p.gx, p.gy, anchor, box);
          const cls = Array.from({ length: level.classes }, (_, c) => (c === p.cls ? 20 : -20));
          const xy = level.anchors.length ? [logit(e[0]), logit(e[1])] : [e[0], e[1]];
          raw.set([...xy, e[2], e[3], 20, ...cls], row * width);
        };
        for (const p of o.empty ? [] : positives[li]) {
          write(p, p.row, p.anchor, p.box);
          if (o.duplicate) write(p, p.row - p.anchor + ((p.anchor + 1) % a), (p.anchor + 1) % a, [p.box[0], p.box[1], p.box[2] * 1.25, p.box[3]]);
        }
        return tf.tensor4d(raw, [batch.size, level.gridH, level.gridW, a * width]);
      }),
    );
  }
  return { outputs: real.outputs, predict: () => (real.outputs.length > 1 ? queue.shift()! : queue.shift()![0]) } as unknown as tf.LayersModel;
}

const heads = [
  { anchors: 3, strides: [8], name: 'anchors' },
  { anchors: 0, strides: [8], name: 'anchor-free' },
  { anchors: 2, strides: [8, 16], name: 'two heads' },
];

describe('detection adapter', () => {
  it('is registered and checks the head against the dataset', () => {
    assert.ok(TASK_ADAPTERS.detection);
    assert.throws(() => setupDetector(dataset, config(), headOnly(3, 4)), /predicts 4 classes but .* has 6: set the head's classes to 6/);
  });

  it('derives k-means anchors from the training boxes', () => {
    const setup = setupDetector(dataset, config(), headOnly(3));
    const [anchors] = setup.levels.map((l) => l.anchors);
    assert.equal(anchors.length, 3);
    for (const [w, h] of anchors) assert.ok(w > 8 && w < 28 && h > 8 && h < 28, `${w}×${h} px`);
    assert.ok(anchors[0][0] * anchors[0][1] <= anchors[2][0] * anchors[2][1]);
  });

  for (const { anchors, strides, name } of heads) {
    it(`scores perfect predictions mAP 1 and no predictions mAP 0 (${name})`, async () => {
      const real = headOnly(anchors, 6, strides);
      const setup = setupDetector(dataset, config(), real);
      const perfect = await evaluateDetector(oracle(real, setup, 'val', 10), dataset, 'val', setup, { batchSize: 10 });
      const d = perfect.detection!;
      assert.ok(Math.abs(d.mAP - 1) < 1e-9 && d.mAP50 === 1 && d.mAP75 === 1 && Math.abs(d.mAR - 1) < 1e-9, JSON.stringify({ ...d, perClass: undefined }));
      assert.equal(perfect.headline, 1);
      assert.ok(Number.isFinite(perfect.loss));
      assert.equal(d.perClass.length, 6);
      const withBoxes = d.perClass.filter((c) => c.numGroundTruth > 0);
      assert.ok(withBoxes.length >= 4);
      for (const c of withBoxes) {
        assert.equal(c.numDetections, c.numGroundTruth);
        assert.equal(c.pr!.recall.length, 101);
        assert.ok(c.pr!.precision.every((p) => p === 1));
      }
      const samples = perfect.samples!;
      assert.equal(samples.length, 8);
      for (const s of samples) {
        assert.equal(s.predicted!.length, s.truth!.length);
        for (const t of s.truth!) assert.ok(s.predicted!.some((p) => p.cls === t.cls && Math.abs(p.x - t.x) < 1e-4 && Math.abs(p.w - t.w) < 1e-4 && p.score! > 0.99));
      }

      const nothing = await evaluateDetector(oracle(real, setup, 'val', 10, { empty: true }), dataset, 'val', setup, { batchSize: 10 });
      assert.equal(nothing.detection!.mAP, 0);
      assert.equal(nothing.detection!.mAP50, 0);
      assert.equal(nothing.detection!.mAR, 0);
      assert.equal(nothing.headline, 0);
      assert.ok(nothing.samples!.every((s) => s.predicted!.length === 0));
    });
  }

  it('suppresses duplicate boxes with NMS (hard or soft), and counts them as false positives without it', async () => {
    const real = headOnly(3);
    const run = async (nms: Record<string, unknown>) => {
      const setup = setupDetector(dataset, config({ nms }), real);
      return (await evaluateDetector(oracle(real, setup, 'val', 23, { duplicate: true }), dataset, 'val', setup, { batchSize: 23 })).detection!;
    };
    assert.equal((await run({ iouThreshold: 0.5 })).mAP50, 1);
    assert.equal((await run({ method: 'gaussian', sigma: 0.5 })).mAP50, 1, 'soft-NMS decays the duplicates below every true box');
    const none = await run({ iouThreshold: 1 });
    assert.ok(none.mAP50 < 0.7, `without suppression mAP50 is ${none.mAP50}`);
  });
});

describe('detection loss', () => {
  const variants: Record<string, unknown>[] = [
    {},
    { boxLoss: 'giou', objectness: 'focal', classLoss: 'ce' },
    { boxLoss: 'iou', ignoreIoU: 1 },
    { boxLoss: 'smooth_l1' },
    { hardNegativeRatio: 3 },
  ];
  for (const { anchors, strides, name } of heads)
    for (const v of variants) {
      it(`is finite and falls over a few steps on one batch (${name}, ${JSON.stringify(v)})`, () => {
        const model = headOnly(anchors, 6, strides);
        const cfg = config(v);
        const adapter = TASK_ADAPTERS.detection!(dataset, cfg, model);
        const batch = new BatchIterator(dataset, 'train', { batchSize: 8, shuffle: false }).batch(0, 0);
        const t = batchToTensors(batch);
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const optimizer = tf.train.adam(0.05);
        const losses: number[] = [];
        let tensors = 0;
        for (let step = 0; step < 8; step++) {
          if (step === 1) tensors = tf.memory().numTensors;
          let metric: tf.Scalar | undefined;
          const { value, grads } = tf.variableGrads(() => {
            const out = model.apply(t.x, { training: true }) as tf.Tensor | tf.Tensor[];
            const r = adapter.stepLoss(Array.isArray(out) ? out : [out], t);
            metric = tf.keep(r.metric);
            return r.loss;
          }, variables);
          const iou = metric!.dataSync()[0];
          assert.ok(iou >= 0 && iou <= 1, `mean IoU ${iou}`);
          for (const g of Object.values(grads)) assert.ok(Number.isFinite(tf.tidy(() => g.abs().sum().dataSync()[0])));
          optimizer.applyGradients(grads as unknown as Record<string, tf.Variable>);
          losses.push(value.dataSync()[0]);
          tf.dispose([value, metric!, ...Object.values(grads)]);
        }
        assert.equal(tf.memory().numTensors, tensors, 'no tensor leaks from a step');
        disposeBatchTensors(t);
        optimizer.dispose();
        assert.ok(losses.every(Number.isFinite), `${losses}`);
        assert.ok(losses[losses.length - 1] < losses[0] * 0.8, `loss fell from ${losses[0]} to ${losses[losses.length - 1]}`);
      });
    }
});

describe('detection on an imported YOLO folder', () => {
  it('trains and evaluates on non-square images with the labels as ground truth', async () => {
    const root = mkdtempSync(join(tmpdir(), 'netsmith-yolo-'));
    after(() => rmSync(root, { recursive: true, force: true }));
    // 64×48 images, one red 16×12 rectangle (class 0) or blue 24×24 square (class 1) each.
    for (let i = 0; i < 12; i++) {
      const cls = i % 2;
      const [x0, y0, w, h] = cls === 0 ? [8 + i, 10, 16, 12] : [30, 12 + i, 24, 24];
      const png = new PNG({ width: 64, height: 48 });
      for (let y = 0; y < 48; y++)
        for (let x = 0; x < 64; x++) png.data.set(x >= x0 && x < x0 + w && y >= y0 && y < y0 + h ? (cls === 0 ? [220, 30, 30, 255] : [30, 30, 220, 255]) : [200, 200, 200, 255], (y * 64 + x) * 4);
      mkdirSync(join(root, 'images'), { recursive: true });
      mkdirSync(join(root, 'labels'), { recursive: true });
      writeFileSync(join(root, 'images', `im${i}.png`), PNG.sync.write(png));
      writeFileSync(join(root, 'labels', `im${i}.txt`), `${cls} ${(x0 + w / 2) / 64} ${(y0 + h / 2) / 48} ${w / 64} ${h / 48}\n`);
    }
    writeFileSync(join(root, 'classes.txt'), 'rect\nsquare\n');
    const { dataset: folder } = await loadDataset(root, { size: [48, 64], valFraction: 0.25, testFraction: 0, cache: false });
    assert.deepEqual(folder.info.shape, [48, 64, 3]);
    const model = headOnly(2, 2, [8], [48, 64, 3]);
    const adapter = TASK_ADAPTERS.detection!(folder, config(), model);
    const t = batchToTensors(new BatchIterator(folder, 'train', { batchSize: 4 }).batch(0, 0));
    const step = tf.tidy(() => adapter.stepLoss([model.apply(t.x) as tf.Tensor], t).loss.dataSync()[0]);
    assert.ok(Number.isFinite(step) && step > 0);
    disposeBatchTensors(t);
    const e = await adapter.evaluate(model, folder, 'val', { batchSize: 8 });
    assert.equal(e.detection!.perClass.length, 2);
    assert.ok(Number.isFinite(e.detection!.mAP50) && Number.isFinite(e.loss));
    const val = folder.split('val');
    assert.deepEqual(e.samples!.map((s) => s.truth!.map((b) => b.cls)), Array.from({ length: val.length }, (_, i) => val.boxes!(i).map((b) => b.cls)));
  });
});
