import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { depthwiseConv2d } from './definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('core/depthwise_conv2d', () => {
  it('3×3 on 32×32×16 same with bias: 9·16 + 16 = 160 params, 144·32·32 MACs', () => {
    const { shape, cost } = run(depthwiseConv2d, [[null, 32, 32, 16]]);
    assert.deepEqual(shape, [null, 32, 32, 16]);
    assert.equal(cost.params, 160);
    assert.equal(cost.macs, 147_456);
    assert.equal(cost.ops, 16_384); // bias adds
  });
  it('stride 2, pad 1, multiplier 2, no bias on 112×112×32 → 56×56×64', () => {
    const { shape, cost } = run(depthwiseConv2d, [[null, 112, 112, 32]], { stride: 2, padding: 'explicit', pad: 1, multiplier: 2, bias: false });
    // ⌊(112 + 2 − 3)/2⌋ + 1 = 56
    assert.deepEqual(shape, [null, 56, 56, 64]);
    assert.equal(cost.params, 576); // 3·3·32·2
    assert.equal(cost.macs, 1_806_336); // 576·56·56
    assert.equal(cost.ops, 0);
  });
  it('rejects bad configurations', () => {
    throwsShape(depthwiseConv2d, [[null, 5, 5, 8]], { kernel: 7, padding: 'valid' }, 'kernel 7 is larger than the padded input height 5', 'kernel');
    throwsShape(depthwiseConv2d, [[null, 32, 32, 8]], { stride: 2, dilation: 2 }, 'stride > 1 and dilation > 1 cannot be combined', 'dilation');
    throwsShape(depthwiseConv2d, [[null, 64]], {}, 'Depthwise Conv2D expects a H×W×C feature map input, got 64');
    rejectsParams(depthwiseConv2d, { stride: 0 }, [{ param: 'stride', message: 'must be ≥ 1' }]);
  });
});
