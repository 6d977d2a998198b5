import { test } from 'node:test';
import assert from 'node:assert/strict';
import { sparsityOf } from '../../../../src/shared/experiments/catalog/l1Sparsity';
import { runStudy } from './run';

test('l1-sparsity (seed 42, 1,000 images, 6 epochs): proximal L1 zeroes weights, subgradient L1 and L2 do not; L2 shrinks them', async () => {
  const r = await runStudy('l1-sparsity', { trainLimit: 1000, valLimit: 200, epochs: 6 });
  assert.ok(r.variants.every((v) => v.state === 'completed' && v.runId === undefined), 'trained in-process, no lab runs');
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, sparsityOf(v)!]));
  assert.equal(s.none.zeros.exact, 0);
  assert.equal(s.l2.zeros.exact, 0);
  assert.ok(s.l2.meanAbs < s.none.meanAbs, `L2 shrinks: ${s.l2.meanAbs} < ${s.none.meanAbs}`);
  assert.ok(s.l1_subgradient.zeros.exact < 0.01, `subgradient L1 leaves few exact zeros: ${s.l1_subgradient.zeros.exact}`);
  assert.ok(s.l1_proximal.zeros.exact > 0.1, `proximal L1 zeroes weights: ${s.l1_proximal.zeros.exact}`);
  assert.ok(s.l1_subgradient.zeros.small > 5 * s.l2.zeros.small, 'subgradient L1 still makes many weights tiny');
  assert.equal(r.verdict.perVariant.l1_proximal.exact_zeros, s.l1_proximal.zeros.exact);
  assert.match(r.verdict.text, /L1 λ = 0\.003 \(proximal\): \d+\.\d% exactly 0/);
  assert.equal(s.none.histogram.counts.reduce((a, b) => a + b, 0), 784 * 64);
});
