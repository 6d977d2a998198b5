import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confidenceSweep, matchAll, recallBySize } from '../../../../src/main/experiments/studies/detectionMeasures';
import { atRecall, matchedRecall, type HardNegativeStudy } from '../../../../src/shared/experiments/catalog/detectionHardNegatives';
import type { BoxXYXY } from '../../../../src/shared/metrics';

// Boxes relative to a 64-px image: a 8-px object (side 8) and a 20-px one in image 0, a 16-px one in image 1.
const px = (x: number, y: number, s: number): BoxXYXY => [x / 64, y / 64, (x + s) / 64, (y + s) / 64];
const truth = [
  { imageId: 0, classId: 0, box: px(0, 0, 8) },
  { imageId: 0, classId: 1, box: px(30, 30, 20) },
  { imageId: 1, classId: 0, box: px(10, 10, 16) },
];
const detections = [
  { imageId: 0, classId: 1, score: 0.9, box: px(30, 30, 20) }, // hit, IoU 1
  { imageId: 0, classId: 1, score: 0.8, box: px(31, 30, 20) }, // duplicate of the same object: FP
  { imageId: 0, classId: 0, score: 0.2, box: px(0, 0, 8) }, // hit, low score
  { imageId: 1, classId: 0, score: 0.6, box: px(40, 40, 16) }, // miss: FP
  { imageId: 1, classId: 1, score: 0.7, box: px(10, 10, 16) }, // right place, wrong class: FP
];

test('matchAll: COCO greedy matching per image and class, sizes in pixels', () => {
  const m = matchAll(detections, truth, 2, 64);
  assert.deepEqual(
    m.detections.map((d) => [d.score, d.tp]),
    [
      [0.9, true],
      [0.8, false],
      [0.7, false],
      [0.6, false],
      [0.2, true],
    ],
  );
  const bySide = [...m.objects].sort((a, b) => a.side - b.side);
  assert.deepEqual(
    bySide.map((o) => [Math.round(o.side), o.score]),
    [
      [8, 0.2],
      [16, -1],
      [20, 0.9],
    ],
  );
});

test('recallBySize: found with a score ≥ the threshold, per size bin; empty bins are null', () => {
  const m = matchAll(detections, truth, 2, 64);
  const bins = recallBySize(m, [0, 10, 18, 30, 64], 0.3);
  assert.deepEqual(
    bins.map((b) => [b.objects, b.recall]),
    [
      [1, 0], // the 8-px object is found only at score 0.2
      [1, 0],
      [1, 1],
      [0, null],
    ],
  );
  assert.equal(bins[2].meanIoU, 1);
  assert.equal(recallBySize(m, [0, 10, 64], 0.1)[0].recall, 1);
});

test('confidenceSweep: false and true positives per image, precision and recall at each threshold', () => {
  const m = matchAll(detections, truth, 2, 64);
  const [at1, at5, at85] = confidenceSweep(m, [0.1, 0.5, 0.85]);
  assert.deepEqual(at1, { threshold: 0.1, fpPerImage: 1.5, tpPerImage: 1, precision: 2 / 5, recall: 2 / 3 });
  assert.deepEqual(at5, { threshold: 0.5, fpPerImage: 1.5, tpPerImage: 0.5, precision: 1 / 4, recall: 1 / 3 });
  assert.deepEqual(at85, { threshold: 0.85, fpPerImage: 0, tpPerImage: 0.5, precision: 1, recall: 1 / 3 });
});

test('atRecall / matchedRecall: the highest threshold reaching the recall; 90% of the lowest maximum recall', () => {
  const study = (recalls: number[]): HardNegativeStudy => ({ sweep: recalls.map((recall, i) => ({ threshold: (i + 1) / 10, recall, fpPerImage: 1 / (i + 1), tpPerImage: 0, precision: 0 })) }) as unknown as HardNegativeStudy;
  const a = study([0.8, 0.6, 0.4]);
  const b = study([0.5, 0.45, 0.2]);
  assert.equal(matchedRecall([a, b, undefined]), 0.9 * 0.5);
  assert.equal(atRecall(a.sweep, 0.45)?.threshold, 0.2);
  assert.equal(atRecall(b.sweep, 0.45)?.threshold, 0.2);
  assert.equal(atRecall(b.sweep, 0.6), undefined);
});
