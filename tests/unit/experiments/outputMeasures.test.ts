import { test } from 'node:test';
import assert from 'node:assert/strict';
import { calibration, predictedSet, rowSums, shareHistogram, topOne, topTwo } from '../../../src/shared/experiments/outputMeasures';

test('output measures match hand-computed values', () => {
  const probs = [0.7, 0.2, 0.1, 0.9, 0.8, 0.05, 0.1, 0.1, 0.1];
  assert.deepEqual(Array.from(rowSums(probs, 3), (x) => +x.toFixed(6)), [1, 1.75, 0.3]);
  const t = topOne(probs, 3);
  assert.deepEqual(Array.from(t.cls), [0, 0, 0]);
  assert.deepEqual(Array.from(t.p), [0.7, 0.9, 0.1]);
  assert.deepEqual(predictedSet(probs, 3, 1, 0.5), [0, 1]);
  assert.deepEqual(predictedSet(probs, 3, 2, 0.5), []);
  assert.deepEqual(topTwo(probs, 3, 0), [0, 1]);
  assert.deepEqual(topTwo([0.1, 0.3, 0.6], 3, 0), [2, 1]);
  assert.deepEqual(shareHistogram([0, 0.5, 0.99, 1, 3, -1], 0, 1, 2), [2 / 6, 4 / 6]);
  // ECE by hand: bins of width 0.5; bin 0 {0.2 wrong, 0.4 right}: conf 0.3, acc 0.5; bin 1 {0.9 right, 0.7 wrong}: conf 0.8, acc 0.5.
  const c = calibration([0.2, 0.4, 0.9, 0.7], [false, true, true, false], 2);
  assert.ok(Math.abs(c.ece - (0.5 * 0.2 + 0.5 * 0.3)) < 1e-12, String(c.ece));
  assert.deepEqual(c.reliability.map((b) => b.count), [2, 2]);
  assert.ok(Math.abs(c.reliability[1].confidence - 0.8) < 1e-12);
});
