import { test } from 'node:test';
import assert from 'node:assert/strict';
import { atRecall, hardNegativesOf, matchedRecall } from '../../../../src/shared/experiments/catalog/detectionHardNegatives';
import { runStudy } from './run';

// The study's own config (2,000 training images, 300 validation), seed 42: the numbers `npm run cli -- experiment
// detection-hard-negatives` reports.
test('detection-hard-negatives (seed 42): mining and focal loss shrink the easy negatives’ share of the loss; false positives at the same recall', { timeout: 1_200_000 }, async () => {
  const r = await runStudy('detection-hard-negatives', {});
  for (const v of r.variants) assert.equal(v.state, 'completed', v.error);
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, hardNegativesOf(v)!]));
  assert.equal(s.bce.hardNegativeRatio, 0);
  assert.equal(s['hard-negatives'].hardNegativeRatio, 3);
  assert.equal(s.focal.objectness, 'focal');
  // the mechanism: both remedies leave the easy negatives a far smaller share of the objectness loss
  for (const id of ['hard-negatives', 'focal']) assert.ok(s[id].easyShare < s.bce.easyShare / 2, `${id}: easy share ${s[id].easyShare} vs BCE ${s.bce.easyShare}`);
  const recall = matchedRecall(Object.values(s))!;
  assert.ok(recall > 0.3, `matched recall ${recall}`);
  for (const m of Object.values(s)) assert.ok(atRecall(m.sweep, recall), 'every variant reaches the matched recall');
  assert.equal(r.verdict.effect.direction, EXPECTED.direction, r.verdict.effect.detail);
});

const EXPECTED = { direction: 'supports' };
