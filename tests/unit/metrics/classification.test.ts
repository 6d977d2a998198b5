import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  argmaxRows,
  classificationReport,
  confusionMatrix,
  precisionRecallF1,
  topKAccuracy,
} from '../../../src/shared/metrics/classification';
import { assertAllClose, assertClose } from './approx';

describe('confusion matrix and P/R/F1', () => {
  it('reproduces the notes\' worked example: TP 50, FN 10, FP 5, TN 35 → P .909, R .833, F1 .870', () => {
    // class 1 is "positive": 50 (1→1), 10 (1→0), 5 (0→1), 35 (0→0)
    const labels = [...Array(50).fill(1), ...Array(10).fill(1), ...Array(5).fill(0), ...Array(35).fill(0)];
    const preds = [...Array(50).fill(1), ...Array(10).fill(0), ...Array(5).fill(1), ...Array(35).fill(0)];
    const cm = confusionMatrix(labels, preds, 2);
    assert.deepEqual(cm, [
      [35, 5],
      [10, 50],
    ]);
    const pos = classificationReport(cm).perClass[1];
    assert.deepEqual([pos.tp, pos.fp, pos.fn, pos.tn], [50, 5, 10, 35]);
    assertClose(pos.precision, 50 / 55); // .9091
    assertClose(pos.recall, 50 / 60); // .8333
    assertClose(pos.f1, (2 * (50 / 55) * (50 / 60)) / (50 / 55 + 50 / 60)); // = 100/115 = .8696
    assertClose(pos.f1, 0.8696, 1e-4);
    assertClose(pos.specificity, 35 / 40);
  });

  // 3 classes, 10 samples:
  //   truth 0 0 0 0 1 1 2 2 2 2
  //   pred  0 0 1 2 1 1 2 2 0 1
  // confusion rows (truth) [2 1 1] [0 2 0] [1 1 2]
  // class 0: TP 2 FP 1 FN 2 → P 2/3, R 1/2, F1 4/7
  // class 1: TP 2 FP 2 FN 0 → P 1/2, R 1,   F1 2/3
  // class 2: TP 2 FP 1 FN 2 → P 2/3, R 1/2, F1 4/7
  const truth = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2];
  const pred = [0, 0, 1, 2, 1, 1, 2, 2, 0, 1];

  it('per class, macro, micro and weighted averages on a 3-class set', () => {
    const cm = confusionMatrix(truth, pred, 3);
    assert.deepEqual(cm, [
      [2, 1, 1],
      [0, 2, 0],
      [1, 1, 2],
    ]);
    const r = classificationReport(cm);
    assertAllClose(r.perClass.map((s) => s.precision), [2 / 3, 1 / 2, 2 / 3]);
    assertAllClose(r.perClass.map((s) => s.recall), [1 / 2, 1, 1 / 2]);
    assertAllClose(r.perClass.map((s) => s.f1), [4 / 7, 2 / 3, 4 / 7]);
    assertClose(r.accuracy, 0.6);
    assertClose(r.macro.precision, 11 / 18); // (2/3 + 1/2 + 2/3)/3
    assertClose(r.macro.recall, 2 / 3);
    assertClose(r.macro.f1, 38 / 63); // (4/7 + 2/3 + 4/7)/3
    assertClose(r.micro.precision, 0.6); // 6 TP, 4 FP, 4 FN
    assertClose(r.micro.f1, 0.6);
    assertClose(r.weighted.precision, 19 / 30); // (4·2/3 + 2·1/2 + 4·2/3)/10
    assertClose(r.weighted.recall, 0.6);
    assertClose(r.weighted.f1, 62 / 105); // (4·4/7 + 2·2/3 + 4·4/7)/10
  });

  it('leaves a class without ground truth out of the macro mean (COCO rule)', () => {
    // class 3 is predicted once (the last sample, truth 2) but never present
    const cm = confusionMatrix(truth, [...pred.slice(0, 9), 3], 4);
    const r = classificationReport(cm);
    const c3 = r.perClass[3];
    assert.equal(c3.support, 0);
    assert.equal(c3.precision, 0);
    assert.ok(Number.isNaN(c3.recall) && Number.isNaN(c3.f1));
    // class 1 loses its FP: P 2/3; macro over classes 0–2 only
    assertClose(r.macro.precision, (2 / 3 + 2 / 3 + 2 / 3) / 3);
    assertClose(r.macro.recall, 2 / 3);
    assertClose(r.micro.precision, 0.6); // class 3's FP still counts
    assertClose(r.accuracy, 0.6);
  });

  it('precisionRecallF1 edge cases', () => {
    assert.deepEqual(precisionRecallF1(0, 0, 3), { precision: 0, recall: 0, f1: 0 });
    assert.ok(Number.isNaN(precisionRecallF1(0, 2, 0).recall));
  });

  it('skips ignored labels and rejects bad ones', () => {
    assert.deepEqual(confusionMatrix([0, 255, 1], [0, 1, 1], 2, { ignoreIndex: 255 }), [
      [1, 0],
      [0, 1],
    ]);
    assert.throws(() => confusionMatrix([0, 2], [0, 1], 2), /labels\[1\] = 2/);
    assert.throws(() => confusionMatrix([0], [0, 1], 2), /length/);
  });
});

describe('top-k accuracy', () => {
  const probs = [
    [0.1, 0.6, 0.2, 0.1], // label 1: rank 0
    [0.3, 0.1, 0.4, 0.2], // label 0: rank 1
    [0.25, 0.25, 0.3, 0.2], // label 1: beaten by class 2 and by the tied lower index 0 → rank 2
  ].flat();
  const labels = [1, 0, 1];

  it('counts the label within the k best scores, ties to the lower index', () => {
    assertClose(topKAccuracy(probs, 4, labels, 1), 1 / 3);
    assertClose(topKAccuracy(probs, 4, labels, 2), 2 / 3);
    assertClose(topKAccuracy(probs, 4, labels, 3), 1);
    assertClose(topKAccuracy(probs, 4, labels, 5), 1);
  });

  it('top-1 equals argmax accuracy', () => {
    const am = argmaxRows(probs, 4);
    assert.deepEqual(Array.from(am), [1, 2, 2]);
    assert.throws(() => topKAccuracy(probs, 4, [1, 0], 1), /expected/);
  });
});
