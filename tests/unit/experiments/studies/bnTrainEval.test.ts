import { test } from 'node:test';
import assert from 'node:assert/strict';
import { bnModesOf } from '../../../../src/shared/experiments/catalog/bnTrainEval';
import { runStudy } from './run';

test('bn-train-eval (seed 42, 500 images, 2 epochs, batch 64): folding is exact; train mode at inference depends on the batch', async () => {
  const r = await runStudy('bn-train-eval', { trainLimit: 500, valLimit: 300, epochs: 2 }, 42, ['batch64']);
  const s = bnModesOf(r.variants[0])!;
  assert.ok(s.foldedMaxLogitDiff < 1e-3, `folded vs eval: max |Δlogit| ${s.foldedMaxLogitDiff}`);
  assert.equal(s.accuracy.folded, s.accuracy.eval);
  assert.ok(s.accuracy.eval > 0.4, `eval accuracy ${s.accuracy.eval}`);
  // BatchNorm1d on one sample: variance 0, output β for every image → one class for all (10% on a balanced split).
  assert.ok(Math.abs(s.accuracy.train1 - 0.1) < 0.02, `one image at a time in train mode: ${s.accuracy.train1}`);
  assert.ok(s.accuracy.trainSorted < s.accuracy.eval - 0.05, `class-ordered batches in train mode: ${s.accuracy.trainSorted} vs eval ${s.accuracy.eval}`);
  assert.equal(s.bnParams - s.foldedParams, 8 + 16 + 32, 'folding turns 2C BN parameters per layer into C biases');
});
