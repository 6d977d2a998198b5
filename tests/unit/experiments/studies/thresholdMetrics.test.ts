import { test } from 'node:test';
import assert from 'node:assert/strict';
import { thresholdOf } from '../../../../src/shared/experiments/catalog/thresholdMetrics';
import { rates } from '../../../../src/shared/experiments/studyMeasures';
import { runStudy } from './run';

test('threshold-metrics (seed 42, 800 images, 3 epochs): accuracy barely separates the majority rule from a trained model, AP does', async () => {
  const r = await runStudy('threshold-metrics', { trainLimit: 800, valLimit: 400, epochs: 3 });
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, thresholdOf(v)!]));
  const maj = s.majority;
  assert.equal(maj.positives, 20);
  assert.ok(Math.abs(maj.ap - maj.prevalence) < 1e-9, 'a constant score has AP = the positive rate');
  assert.equal(maj.auc, 0.5);
  assert.ok(Math.abs(maj.at05.accuracy - (1 - maj.prevalence)) < 1e-9);
  for (const id of ['logistic', 'mlp']) {
    assert.ok(s[id].ap > maj.ap + 0.3, `${id} AP ${s[id].ap}`);
    assert.ok(s[id].at05.accuracy - maj.at05.accuracy < 0.06, `${id} accuracy gain ${s[id].at05.accuracy - maj.at05.accuracy}`);
    assert.ok(s[id].auc > 0.8, `${id} ROC AUC ${s[id].auc}`);
    assert.ok(s[id].bestF1.f1 >= s[id].at05.f1, 'the best threshold is at least as good as 0.5');
  }
  // the stored table reproduces the reported numbers at 0.5
  assert.equal(rates(s.mlp.table[50]).f1, s.mlp.at05.f1);
  assert.equal(r.verdict.effect.direction, 'supports');
});
