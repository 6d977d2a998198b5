import { test } from 'node:test';
import assert from 'node:assert/strict';
import { outputOf } from '../../../../src/shared/experiments/catalog/softmaxSigmoid';
import { runStudy } from './run';

test('softmax-vs-sigmoid (seed 42): softmax sums to one, sigmoids do not; sigmoids say none on clothes and name both digits of a pair', { timeout: 300_000 }, async () => {
  const t0 = performance.now();
  const r = await runStudy('softmax-vs-sigmoid', process.env.EPOCHS ? { epochs: Number(process.env.EPOCHS) } : {}, 42);
  assert.ok(r.variants.every((v) => v.state === 'completed'), r.variants.map((v) => `${v.variant}: ${v.error ?? v.state}`).join('; '));
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, outputOf(v)!]));
  console.log(JSON.stringify({ seconds: (performance.now() - t0) / 1000, verdict: r.verdict.effect, perVariant: r.verdict.perVariant }, null, 1));
  assert.equal(r.verdict.effect.direction, 'supports', r.verdict.text);
  assert.ok(s.softmax.single.meanSumError < 1e-3);
  assert.ok(s.sigmoid.single.meanSumError > 0.02);
  assert.ok(s.sigmoid_multi.pairs.exactSet > s.softmax_multi.pairs.exactSet + 0.2);
  // Softmax can name at most one class at p ≥ 0.5 (two would need exactly ½ each): never both digits.
  assert.equal(s.softmax_multi.pairs.exactSet, 0);
  assert.ok(s.softmax_multi.pairs.labelCounts[2] + s.softmax_multi.pairs.labelCounts[3] === 0);
  // Single-label accuracy is about the same (within 3 points); the sigmoids say "none of these" on clothes far more often.
  assert.ok(Math.abs(s.softmax.single.accuracy - s.sigmoid.single.accuracy) < 0.03);
  assert.ok(s.sigmoid.ood.confidentShare < s.softmax.ood.confidentShare - 0.2);
  assert.ok(r.seconds < 300, `${r.seconds} s`);
});
