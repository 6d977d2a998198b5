import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { separableConv2d } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

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
