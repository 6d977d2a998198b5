import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { accumulateConfusion, segmentationMetrics } from '../../../src/shared/metrics/segmentation';
import { confusionMatrix } from '../../../src/shared/metrics/classification';
import { assertAllClose, assertClose } from './approx';

// 3×3 mask, 3 classes, 255 = void (ignored):
//   truth  0 0 1     pred  0 1 1
//          0 1 1           0 1 1
//          2 2 255         2 0 0
// 8 labelled pixels; confusion rows (truth) [2 1 0] [0 3 0] [1 0 1]
//   class 0: TP 2 FP 1 FN 1 → IoU 2/4, Dice 4/6, acc 2/3
//   class 1: TP 3 FP 1 FN 0 → IoU 3/4, Dice 6/7, acc 1
//   class 2: TP 1 FP 0 FN 1 → IoU 1/2, Dice 2/3, acc 1/2
const truth = [0, 0, 1, 0, 1, 1, 2, 2, 255];
const pred = [0, 1, 1, 0, 1, 1, 2, 0, 0];

describe('segmentation metrics', () => {
  it('pixel accuracy, per-class IoU/Dice and their means on a tiny mask', () => {
    const m = segmentationMetrics(truth, pred, 3, { ignoreIndex: 255 });
    assert.deepEqual(m.confusion, [
      [2, 1, 0],
      [0, 3, 0],
      [1, 0, 1],
    ]);
    assertClose(m.pixelAccuracy, 6 / 8);
    assertAllClose(m.classAccuracy, [2 / 3, 1, 1 / 2]);
    assertClose(m.meanClassAccuracy, 13 / 18);
    assertAllClose(m.iou, [1 / 2, 3 / 4, 1 / 2]);
    assertClose(m.meanIoU, 1.75 / 3);
    assertAllClose(m.dice, [2 / 3, 6 / 7, 2 / 3]);
    assertClose(m.meanDice, 46 / 63);
    assert.deepEqual(m.support, [3, 3, 2]);
  });

  it('Dice ≥ IoU per class (Dice = 2·IoU/(1 + IoU))', () => {
    const m = segmentationMetrics(truth, pred, 3, { ignoreIndex: 255 });
    m.iou.forEach((iou, c) => assertClose(m.dice[c], (2 * iou) / (1 + iou)));
  });

  it('a class absent from the ground truth is NaN and left out of the means', () => {
    // pixel 8 (truth 2) predicted as class 3, which has no ground truth
    const m = segmentationMetrics(truth, [0, 1, 1, 0, 1, 1, 2, 3, 0], 4, { ignoreIndex: 255 });
    assert.ok(Number.isNaN(m.iou[3]) && Number.isNaN(m.dice[3]));
    assertAllClose(m.iou.slice(0, 3), [2 / 3, 3 / 4, 1 / 2]);
    assertClose(m.meanIoU, (2 / 3 + 3 / 4 + 1 / 2) / 3);
  });

  it('accumulates batch confusions', () => {
    const a = confusionMatrix([0, 1], [0, 0], 2);
    accumulateConfusion(a, confusionMatrix([1], [1], 2));
    assert.deepEqual(a, [
      [1, 0],
      [1, 1],
    ]);
  });
});
