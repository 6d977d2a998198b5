import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  averagePrecision,
  COCO_IOU_THRESHOLDS,
  evaluateDetections,
  matchDetections,
  precisionRecallCurves,
  type DetectedBox,
  type GroundTruthBox,
} from '../../../src/shared/metrics/detection';
import { assertAllClose, assertClose } from './approx';

// Class 0: image a has objects g1 [0,0,10,10] and g2 [20,20,30,30]; image b has g3 [0,0,10,10].
//   d1 a [0,0,10,10]  .9  IoU 1 with g1                      → TP
//   d2 a [1,1,10,10]  .8  IoU .81 with g1, already matched   → FP (duplicate)
//   d3 b [0,0,10,9]   .7  IoU .9 with g3                     → TP (at thresholds ≤ .9)
//   d4 b [50,50,60,60] .6 overlaps nothing                   → FP
//   g2 is never detected (a missed object).
// Class 1: a detection but no ground truth → excluded from every mean.
// Class 2: one object in image b, detected exactly → AP 1.
const gts: GroundTruthBox[] = [
  { imageId: 'a', classId: 0, box: [0, 0, 10, 10] },
  { imageId: 'a', classId: 0, box: [20, 20, 30, 30] },
  { imageId: 'b', classId: 0, box: [0, 0, 10, 10] },
  { imageId: 'b', classId: 2, box: [30, 30, 40, 40] },
];
const dets: DetectedBox[] = [
  { imageId: 'a', classId: 0, box: [0, 0, 10, 10], score: 0.9 },
  { imageId: 'a', classId: 0, box: [1, 1, 10, 10], score: 0.8 },
  { imageId: 'b', classId: 0, box: [0, 0, 10, 9], score: 0.7 },
  { imageId: 'b', classId: 0, box: [50, 50, 60, 60], score: 0.6 },
  { imageId: 'a', classId: 1, box: [0, 0, 5, 5], score: 0.95 },
  { imageId: 'b', classId: 2, box: [30, 30, 40, 40], score: 0.5 },
];

// Class 0 at IoU .5: ranked TP FP TP FP, 3 objects.
//   precision 1, 1/2, 2/3, 1/2; recall 1/3, 1/3, 2/3, 2/3; envelope 1, 2/3, 2/3, 1/2
//   COCO 101: r = 0….33 (34 points) → 1; r = .34….66 (33 points) → 2/3; r ≥ .67 → 0  ⇒ 56/101
//   VOC 11:   r = 0….3 (4 points) → 1; r = .4….6 (3 points) → 2/3; r ≥ .7 → 0        ⇒ 6/11
//   area:     1/3·1 + 1/3·2/3                                                        ⇒ 5/9
const AP0_50 = 56 / 101;

describe('matching', () => {
  it('takes the best unmatched object above the threshold, else FP', () => {
    // det 1 matches g1 (IoU 1); det 2 overlaps g1 (.667) and g2 (.538): g1 is taken → g2 at .5, none at .6
    const g: [number, number, number, number][] = [
      [0, 0, 10, 10],
      [5, 0, 15, 10],
    ];
    const d: [number, number, number, number][] = [
      [0, 0, 10, 10],
      [2, 0, 12, 10],
    ];
    assert.deepEqual(matchDetections(d, g, 0.5), [0, 1]);
    assert.deepEqual(matchDetections(d, g, 0.6), [0, -1]);
  });
});

describe('average precision', () => {
  it('interpolations on the hand-worked curve', () => {
    const recall = [1 / 3, 1 / 3, 2 / 3, 2 / 3];
    const precision = [1, 1 / 2, 2 / 3, 1 / 2];
    assertClose(averagePrecision(recall, precision, 'coco101'), 56 / 101);
    assertClose(averagePrecision(recall, precision, 'voc11'), 6 / 11);
    assertClose(averagePrecision(recall, precision, 'continuous'), 5 / 9);
    assert.equal(averagePrecision([], [], 'coco101'), 0);
  });

  it('PR curve per class: the duplicate is a FP, the missed object caps recall', () => {
    const [c0, c1] = precisionRecallCurves(dets, gts, 0.5);
    assert.deepEqual(c0.isTruePositive, [true, false, true, false]);
    assertAllClose(c0.precision, [1, 1 / 2, 2 / 3, 1 / 2]);
    assertAllClose(c0.recall, [1 / 3, 1 / 3, 2 / 3, 2 / 3]);
    assert.equal(c1.numGroundTruth, 0);
    assert.ok(Number.isNaN(c1.recall[0]));
  });
});

describe('evaluateDetections', () => {
  it('mAP@.5 over classes with ground truth only', () => {
    const r = evaluateDetections(dets, gts, { iouThresholds: [0.5] });
    assert.deepEqual(
      r.perClass.map((c) => c.classId),
      [0, 1, 2],
    );
    assertClose(r.perClass[0].ap[0], AP0_50);
    assert.ok(Number.isNaN(r.perClass[1].ap[0])); // no ground truth
    assertClose(r.perClass[2].ap[0], 1);
    assertClose(r.mAP50, (AP0_50 + 1) / 2); // .7772
    assert.ok(Number.isNaN(r.mAP75));
  });

  it('VOC 11-point', () => {
    const r = evaluateDetections(dets, gts, { iouThresholds: [0.5], interpolation: 'voc11' });
    assertClose(r.mAP50, (6 / 11 + 1) / 2);
  });

  it('mAP@[.5:.95] and mAR with the 10 COCO thresholds', () => {
    assert.deepEqual(COCO_IOU_THRESHOLDS, [0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95]);
    const r = evaluateDetections(dets, gts);
    // class 0: d3 (IoU .9) is a TP up to .9 and a FP at .95, where the ranking is TP FP FP FP:
    //   precision 1, .5, .33, .25; recall 1/3 → COCO AP = 34/101
    assertAllClose(r.perClass[0].ap, [...Array(9).fill(AP0_50), 34 / 101]);
    assertClose(r.mAP, ((9 * 56 + 34) / 1010 + 1) / 2); // .7663
    assertClose(r.mAP50, (AP0_50 + 1) / 2);
    assertClose(r.mAP75, (AP0_50 + 1) / 2);
    // recall of class 0: 2/3 at nine thresholds, 1/3 at .95 → 19/30; class 2: 1
    assertAllClose(r.perClass[0].recall, [...Array(9).fill(2 / 3), 1 / 3]);
    assertClose(r.mAR, (19 / 30 + 1) / 2);
  });

  it('maxDetections is applied per image and class', () => {
    // keeps d1 (image a) and d3 (image b): TP TP, recall 2/3 → COCO AP = 67/101
    const r = evaluateDetections(dets, gts, { iouThresholds: [0.5], maxDetections: 1 });
    assertClose(r.perClass[0].ap[0], 67 / 101);
    assertClose(r.perClass[0].recall[0], 2 / 3);
  });

  it('localisation quality shows across thresholds: IoU .77 counts up to .75', () => {
    const r = evaluateDetections(
      [{ imageId: 1, classId: 0, box: [0, 0, 10, 7.7], score: 0.9 }],
      [{ imageId: 1, classId: 0, box: [0, 0, 10, 10] }],
    );
    assertClose(r.mAP, 0.6); // AP 1 at .5–.75 (6 thresholds), 0 at .8–.95
    assertClose(r.mAR, 0.6);
  });

  it('a class with only ground truth scores 0; declared classes are reported', () => {
    const r = evaluateDetections([], [{ imageId: 1, classId: 3, box: [0, 0, 1, 1] }], { classIds: [3, 4], iouThresholds: [0.5] });
    assert.equal(r.perClass[0].ap[0], 0);
    assert.ok(Number.isNaN(r.perClass[1].ap[0]));
    assert.equal(r.mAP, 0);
  });
});
