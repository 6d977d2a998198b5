import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { compile } from '../../../../src/main/engine/compile/compile';
import { BatchIterator } from '../../../../src/main/engine/data/batch';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import { batchToTensors, disposeBatchTensors } from '../../../../src/main/engine/data/tensors';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { assignTargets } from '../../../../src/main/engine/detect/assign';
import { encodeBox } from '../../../../src/main/engine/detect/codec';
import { levelSize, perCell } from '../../../../src/main/engine/detect/levels';
import { evaluateDetector, setupDetector, type DetectorSetup } from '../../../../src/main/engine/train/tasks/detection';
import { TASK_ADAPTERS } from '../../../../src/main/engine/train/tasks';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import { trainConfigSchema, type TrainConfig } from '../../../../src/shared/training/config';
import { useCpu } from '../train/approx';
import { tinyDetector } from './models';

let dataset: Dataset;
before(async () => {
  await useCpu();
  ({ dataset } = await loadDataset('shapes-det', { sizes: { train: 64, val: 23, test: 1 }, cache: false }));
});

/** The smallest graph with a stride-8 YOLO head: an 8×8 max-pool straight into the head. */
function headOnly(anchors: number, classes = 6): tf.LayersModel {
  const b = new GraphBuilder({ name: 'head only', task: 'detection', input: [64, 64, 3] });
  const x = b.add('pool/maxpool', { size: 8, stride: 8, padding: 'explicit', pad: 0 }, b.input());
  b.add('det/yolo_head', { classes, anchors, stride: 8 }, x);
  return compile(b.build(), { seed: 1 }).model;
}

const config = (detection: Record<string, unknown> = {}): TrainConfig => trainConfigSchema.parse({ detection });
const logit = (p: number): number => Math.log(p / (1 - p));

/**
 * A stand-in model whose outputs are computed from the ground truth: each box's assigned prediction carries
 * its exact encoding with objectness and class logits of ±`confidence`; every other prediction says "nothing".
 * `duplicate`: also predicts each box, slightly shifted (IoU ≈ 0.8), on the neighbouring anchor.
 */
function oracle(real: tf.LayersModel, setup: DetectorSetup, split: 'val', batchSize: number, o: { empty?: boolean; duplicate?: boolean } = {}): tf.LayersModel {
  const [level] = setup.levels;
  const a = perCell(level);
  const width = 5 + level.classes;
  const queue: tf.Tensor[] = [];
  for (const batch of new BatchIterator(dataset, split, { batchSize, shuffle: false }).epoch(0)) {
    const raw = new Float32Array(batch.size * levelSize(level) * width);
    for (let r = 0; r < batch.size * levelSize(level); r++) raw[r * width + 4] = -20;
    if (!o.empty) {
      const gt = batch.boxes!.map((bs) => bs.map((b) => ({ cls: b.cls, box: [b.x, b.y, b.w, b.h] as [number, number, number, number] })));
      for (const p of assignTargets(gt, setup.levels, setup.image)[0]) {
        const write = (row: number, anchor: number, box: readonly number[]): void => {
          const e = encodeBox(level, setup.image, p.gx, p.gy, anchor, box);
          const cls = Array.from({ length: level.classes }, (_, c) => (c === p.cls ? 20 : -20));
          raw.set([logit(e[0]), logit(e[1]), e[2], e[3], 20, ...cls], row * width);
        };
        write(p.row, p.anchor, p.box);
        if (o.duplicate) {
          const other = (p.anchor + 1) % a;
          write(p.row - p.anchor + other, other, [p.box[0] + p.box[2] * 0.05, p.box[1], p.box[2] * 1.1, p.box[3]]);
        }
      }
    }
    queue.push(tf.tensor4d(raw, [batch.size, level.gridH, level.gridW, a * width]));
  }
  return { outputs: real.outputs, predict: () => queue.shift()! } as unknown as tf.LayersModel;
}

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

  for (const anchors of [3, 0]) {
    it(`scores perfect predictions mAP 1 and no predictions mAP 0 (${anchors ? 'anchors' : 'anchor-free'})`, () => {
      const real = headOnly(anchors);
      const setup = setupDetector(dataset, config(), real);
      const perfect = evaluateDetector(oracle(real, setup, 'val', 10), dataset, 'val', setup, { batchSize: 10 });
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

      const nothing = evaluateDetector(oracle(real, setup, 'val', 10, { empty: true }), dataset, 'val', setup, { batchSize: 10 });
      assert.equal(nothing.detection!.mAP, 0);
      assert.equal(nothing.detection!.mAP50, 0);
      assert.equal(nothing.detection!.mAR, 0);
      assert.equal(nothing.headline, 0);
      assert.ok(nothing.samples!.every((s) => s.predicted!.length === 0));
    });
  }

  it('suppresses duplicate boxes with NMS (hard or soft), and counts them as false positives without it', () => {
    const real = headOnly(3);
    const run = (nms: Record<string, unknown>) => {
      const setup = setupDetector(dataset, config({ nms }), real);
      return evaluateDetector(oracle(real, setup, 'val', 23, { duplicate: true }), dataset, 'val', setup, { batchSize: 23 }).detection!;
    };
    assert.equal(run({ iouThreshold: 0.5 }).mAP50, 1);
    assert.equal(run({ method: 'gaussian', sigma: 0.5 }).mAP50, 1, 'soft-NMS decays the duplicates below every true box');
    const none = run({ iouThreshold: 1 });
    assert.ok(none.mAP50 < 0.9, `without suppression mAP50 is ${none.mAP50}`);
  });
});

describe('detection loss', () => {
  const variants: Record<string, unknown>[] = [
    {},
    { boxLoss: 'giou', objectness: 'focal', classLoss: 'ce' },
    { boxLoss: 'iou', ignoreIoU: 1 },
    { boxLoss: 'smooth_l1' },
  ];
  for (const anchors of [3, 0])
    for (const v of variants) {
      it(`is finite and falls over a few steps on one batch (${anchors ? 'anchors' : 'anchor-free'}, ${JSON.stringify(v)})`, () => {
        const { model } = compile(tinyDetector({ size: 64, classes: 6, widths: [8, 16, 16, 32], anchors }), { seed: 3 });
        const cfg = config(v);
        const adapter = TASK_ADAPTERS.detection!(dataset, cfg, model);
        const batch = new BatchIterator(dataset, 'train', { batchSize: 8, shuffle: false }).batch(0, 0);
        const t = batchToTensors(batch);
        const variables = model.trainableWeights.map((w) => w.read() as tf.Variable);
        const optimizer = tf.train.adam(3e-3);
        const losses: number[] = [];
        for (let step = 0; step < 8; step++) {
          let metric: tf.Scalar | undefined;
          const { value, grads } = tf.variableGrads(() => {
            const out = model.apply(t.x, { training: true }) as tf.Tensor;
            const r = adapter.stepLoss([out], t);
            metric = tf.keep(r.metric);
            return r.loss;
          }, variables);
          const iou = metric!.dataSync()[0];
          assert.ok(iou >= 0 && iou <= 1, `mean IoU ${iou}`);
          for (const g of Object.values(grads)) assert.ok(Number.isFinite(tf.tidy(() => g.abs().sum().dataSync()[0])));
          optimizer.applyGradients(grads);
          losses.push(value.dataSync()[0]);
          tf.dispose([value, metric!, ...Object.values(grads)]);
        }
        disposeBatchTensors(t);
        optimizer.dispose();
        assert.ok(losses.every(Number.isFinite), `${losses}`);
        assert.ok(losses[losses.length - 1] < losses[0] * 0.8, `loss fell from ${losses[0]} to ${losses[losses.length - 1]}`);
      });
    }
});
