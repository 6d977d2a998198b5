import { test } from 'node:test';
import assert from 'node:assert/strict';
import { imbalanceOf } from '../../../../src/shared/experiments/catalog/classImbalance';
import { runStudy } from './run';

test('class-imbalance (seed 42, half-size split, 4 epochs): the rare digits are neglected; resampling and reweighting raise their recall', async () => {
  const r = await runStudy('class-imbalance', { trainLimit: 1030, valLimit: 300, epochs: 4 });
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, imbalanceOf(v)!]));
  assert.deepEqual(s.none.trainCounts, [200, 200, 200, 200, 200, 6, 6, 6, 6, 6]);
  assert.ok(s.none.majorityRecall - s.none.minorityRecall > 0.3, `rare ${s.none.minorityRecall} vs common ${s.none.majorityRecall}`);
  for (const id of ['oversample', 'reweight']) assert.ok(s[id].minorityRecall > s.none.minorityRecall + 0.05, `${id}: ${s[id].minorityRecall} vs ${s.none.minorityRecall}`);
  // Focal loss (γ = 2, no α) is measured and reported; its gain is small (see the report), so only its presence is asserted.
  assert.equal(s.focal.recall.length, 10);
  assert.equal(r.verdict.perVariant.oversample.minority_recall, s.oversample.minorityRecall);
  assert.match(r.verdict.text, /Measurably better on the rare digits: .*Oversampling/);
});
