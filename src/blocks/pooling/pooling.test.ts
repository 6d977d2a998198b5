import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { avgPool, maxPool } from './definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('pool/maxpool and pool/avgpool', () => {
  it('default 2×2, stride 0 = size: 32×32×16 → 16×16×16 with 4 ops per output', () => {
    for (const def of [maxPool, avgPool]) {
      const { shape, cost } = run(def, [[null, 32, 32, 16]]);
      assert.deepEqual(shape, [null, 16, 16, 16]);
      assert.deepEqual(cost, { params: 0, macs: 0, ops: 16_384 }); // 2·2·16·16·16
    }
  });
  it('ResNet stem: 3×3 stride 2 pad 1 on 112×112×64 → 56×56×64', () => {
    const { shape, cost } = run(maxPool, [[null, 112, 112, 64]], { size: 3, stride: 2, padding: 'explicit', pad: 1 });
    // PyTorch: ⌊(112 + 2·1 − 3)/2⌋ + 1 = 56
    assert.deepEqual(shape, [null, 56, 56, 64]);
    assert.equal(cost.ops, 1_806_336); // 9·56·56·64
  });
  it("'same' = ⌈H/S⌉, 'valid' = ⌊(H − K)/S⌋ + 1", () => {
    assert.deepEqual(run(maxPool, [[null, 7, 7, 8]], { size: 3, stride: 2 }).shape, [null, 4, 4, 8]);
    assert.deepEqual(run(maxPool, [[null, 7, 7, 8]], { size: 3, stride: 2, padding: 'valid' }).shape, [null, 3, 3, 8]);
    assert.deepEqual(run(avgPool, [[null, 5, 5, 8]], { padding: 'valid' }).shape, [null, 2, 2, 8]);
    assert.deepEqual(run(avgPool, [[null, 9, 9, 8]], { size: 3, padding: 'valid' }).shape, [null, 3, 3, 8]); // stride 0 → 3
  });
  it('rejects oversized pads and windows', () => {
    throwsShape(maxPool, [[null, 8, 8, 4]], { size: 3, stride: 2, padding: 'explicit', pad: 2 }, "pad 2 must be at most half the window size 3 (PyTorch's rule: no window may hold only padding)", 'pad');
    throwsShape(avgPool, [[null, 4, 4, 4]], { size: 5, padding: 'valid' }, 'size 5 is larger than the padded input height 4', 'size');
    throwsShape(maxPool, [[null, 16]], {}, 'Max Pool expects a H×W×C feature map input, got 16');
    rejectsParams(maxPool, { size: 0 }, [{ param: 'size', message: 'must be ≥ 1' }]);
  });
});
