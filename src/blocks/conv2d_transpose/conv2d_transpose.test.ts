import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conv2dTranspose } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('core/conv2d_transpose', () => {
  it("k2 s2 'same' doubles: 16×16×64 → 32×32×32", () => {
    const { shape, cost } = run(conv2dTranspose, [[null, 16, 16, 64]], { filters: 32 });
    assert.deepEqual(shape, [null, 32, 32, 32]);
    assert.equal(cost.params, 8224); // 2·2·64·32 + 32
    assert.equal(cost.macs, 2_097_152); // 8192·16·16 (input positions)
    assert.equal(cost.ops, 32_768); // bias adds on 32·32·32
  });
  it('explicit: (H−1)·S − 2P + K + outputPadding; valid: P = 0', () => {
    assert.deepEqual(run(conv2dTranspose, [[null, 7, 7, 8]], { filters: 4, kernel: 3, stride: 2, padding: 'explicit', pad: 1, outputPadding: 1 }).shape, [null, 14, 14, 4]);
    assert.deepEqual(run(conv2dTranspose, [[null, 7, 7, 8]], { filters: 4, kernel: 3, stride: 2, padding: 'valid' }).shape, [null, 15, 15, 4]);
  });
  it('rejects bad output padding and oversized pads', () => {
    throwsShape(conv2dTranspose, [[null, 7, 7, 8]], { outputPadding: 1 }, "outputPadding only applies to 'explicit' or 'valid' padding ('same' always gives H·S)", 'outputPadding');
    throwsShape(conv2dTranspose, [[null, 7, 7, 8]], { padding: 'explicit', outputPadding: 2 }, 'outputPadding 2 must be smaller than the stride 2', 'outputPadding');
    throwsShape(
      conv2dTranspose,
      [[null, 1, 1, 8]],
      { kernel: 1, stride: 1, padding: 'explicit', pad: 1 },
      'pad 1 is too large: the output would be -1×-1 ((H−1)·S − 2P + K + outputPadding)',
      'pad',
    );
  });
});
