import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conv2d } from '../conv2d/definition';
import { conv2dTranspose } from './definition';
import { depthwiseConv2d } from '../depthwise_conv2d/definition';
import { separableConv2d } from '../separable_conv2d/definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('core/conv2d', () => {
  it('3×3, 3→16 on 32×32 same: 448 params, 442,368 MACs', () => {
    const { shape, cost } = run(conv2d, [[null, 32, 32, 3]], { filters: 16 });
    assert.deepEqual(shape, [null, 32, 32, 16]);
    assert.equal(cost.params, 3 * 3 * 3 * 16 + 16); // 448
    assert.equal(cost.params, 448);
    assert.equal(cost.macs, 442_368); // 3·3·3·16·32·32
  });
  it('reports a kernel larger than the padded input, mentioning dilation only when dilated', () => {
    throwsShape(conv2d, [[null, 5, 5, 3]], { kernel: 7, padding: 'valid' }, 'kernel 7 is larger than the padded input height 5', 'kernel');
    throwsShape(conv2d, [[null, 5, 5, 3]], { kernel: 3, dilation: 3, padding: 'valid' }, 'kernel 7 (dilated) is larger than the padded input height 5', 'kernel');
  });
});

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

describe('core/separable_conv2d', () => {
  it('3×3, 3→16 on 32×32: 27 + 48 + 16 = 91 params (vs 448 for a full conv)', () => {
    const { shape, cost } = run(separableConv2d, [[null, 32, 32, 3]], { filters: 16 });
    assert.deepEqual(shape, [null, 32, 32, 16]);
    assert.equal(cost.params, 91);
    assert.equal(cost.macs, 76_800); // (27 + 48)·32·32
  });
  it('MobileNet-style 32→64 on 112×112 without bias', () => {
    const { shape, cost } = run(separableConv2d, [[null, 112, 112, 32]], { filters: 64, bias: false });
    assert.deepEqual(shape, [null, 112, 112, 64]);
    assert.equal(cost.params, 2336); // 3·3·32 + 32·64
    assert.equal(cost.macs, 29_302_784); // 2336·112·112
  });
  it('multiplier 2, valid: 8 → 4 channels on 10×10', () => {
    const { shape, cost } = run(separableConv2d, [[null, 10, 10, 8]], { filters: 4, multiplier: 2, padding: 'valid' });
    assert.deepEqual(shape, [null, 8, 8, 4]);
    assert.equal(cost.params, 212); // 3·3·8·2 = 144, 16·4 = 64, bias 4
    assert.equal(cost.macs, 13_312); // (144 + 64)·8·8
  });
  it('rejects a kernel larger than the input', () => {
    throwsShape(separableConv2d, [[null, 4, 8, 3]], { kernel: 5, padding: 'valid' }, 'kernel 5 is larger than the padded input height 4', 'kernel');
  });
});

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
