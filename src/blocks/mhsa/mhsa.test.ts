import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mhsa } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('attn/mhsa', () => {
  it('ViT-B: 197 tokens × 768, 12 heads', () => {
    const { shape, cost } = run(mhsa, [[null, 197, 768]], { heads: 12 });
    assert.deepEqual(shape, [null, 197, 768]);
    assert.equal(cost.params, 2_362_368); // 4·768² + 4·768, as torch.nn.MultiheadAttention
    // 4·N·D² = 464,781,312 and 2·N²·D = 59,610,624
    assert.equal(cost.macs, 524_391_936);
    // (scale 1 + softmax 5)·12·197² = 2,794,248 and 4 bias adds·197·768 = 605,184
    assert.equal(cost.ops, 3_399_432);
  });
  it('without Q/K/V biases: 4D² + D', () => {
    assert.equal(run(mhsa, [[null, 197, 768]], { heads: 12, qkvBias: false }).cost.params, 2_360_064);
  });
  it('rejects heads that do not divide D, and image inputs', () => {
    throwsShape(mhsa, [[null, 197, 768]], { heads: 5 }, 'heads 5 must divide the embedding dim 768', 'heads');
    throwsShape(mhsa, [[null, 32, 32, 64]], {}, 'Multi-Head Self-Attention expects a tokens×dim sequence input, got 32×32×64');
  });
});
