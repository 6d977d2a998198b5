import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { conv2d } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

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
