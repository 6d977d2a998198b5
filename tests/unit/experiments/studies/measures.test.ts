import { test } from 'node:test';
import assert from 'node:assert/strict';
import { confusionMatrix } from '../../../../src/shared/metrics/classification';
import { averagePrecision, bestF1, countsAt, histogramOf, perClassRecall, rates, rocAuc, thresholdTable, zeroShares } from '../../../../src/shared/experiments/studyMeasures';

const close = (a: number, b: number, eps = 1e-9): void => assert.ok(Math.abs(a - b) < eps, `${a} ≉ ${b}`);

test('precision, recall, F1: the notes’ worked example (TP 50, FN 10, FP 5, TN 35)', () => {
  const r = rates({ threshold: 0.5, tp: 50, fn: 10, fp: 5, tn: 35 });
  close(r.precision, 50 / 55);
  close(r.recall, 50 / 60);
  close(r.f1, (2 * (50 / 55) * (50 / 60)) / (50 / 55 + 50 / 60));
  assert.equal(r.f1.toFixed(3), '0.870');
  close(r.accuracy, 0.85);
  close(r.fpr, 5 / 40);
  assert.equal(rates({ threshold: 1, tp: 0, fp: 0, fn: 3, tn: 7 }).precision, 1, 'nothing predicted positive: precision 1 by convention');
});

test('AP and ROC AUC against hand-computed values (scikit-learn’s definitions), with ties', () => {
  const scores = [0.9, 0.8, 0.7, 0.6, 0.55, 0.4];
  const labels = [1, 0, 1, 1, 0, 0];
  // AP = Σ (R_n − R_{n−1}) P_n = 1/3·1 + 1/3·2/3 + 1/3·3/4
  close(averagePrecision(scores, labels), 29 / 36);
  // 7 of the 9 (positive, negative) pairs are ordered correctly
  close(rocAuc(scores, labels), 7 / 9);
  // a constant score: AP = the positive rate, AUC = ½
  close(averagePrecision([0.1, 0.1, 0.1, 0.1], [1, 0, 0, 0]), 0.25);
  close(rocAuc([0.1, 0.1, 0.1, 0.1], [1, 0, 0, 0]), 0.5);
  // one tie between a positive and a negative counts ½
  close(rocAuc([0.9, 0.5, 0.5], [1, 1, 0]), 0.75);
  const c = countsAt(scores, labels, 0.6);
  assert.deepEqual([c.tp, c.fp, c.fn, c.tn], [3, 1, 0, 2]);
  const table = thresholdTable(scores, labels);
  assert.equal(table.length, 101);
  assert.deepEqual(bestF1(table), { threshold: 0.56, f1: rates(c).f1 });
});

test('per-class recall, confusion, histograms and zero shares', () => {
  const m = confusionMatrix([0, 0, 1, 1, 1, 2], [0, 1, 1, 1, 0, 2], 4);
  assert.deepEqual(m[1], [1, 2, 0, 0]);
  assert.deepEqual(perClassRecall(m), [0.5, 2 / 3, 1, null]);
  const h = histogramOf([-1, -0.05, 0, 0.05, 0.3, 5], -0.5, 0.5, 5);
  assert.deepEqual(h.counts, [1, 0, 3, 0, 2]);
  assert.deepEqual(zeroShares([0, 0, 1e-4, 0.5]), { exact: 0.5, small: 0.75 });
});
