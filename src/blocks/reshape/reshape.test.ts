import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { reshape } from './definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

const zero = { params: 0, macs: 0, ops: 0 };

describe('reshape/reshape', () => {
  it('infers one −1 and keeps the element count', () => {
    assert.deepEqual(run(reshape, [[null, 7, 7, 64]], { shape: [-1, 64] }).shape, [null, 49, 64]);
    assert.deepEqual(run(reshape, [[null, 8, 8, 64]], { shape: [64, 64] }).shape, [null, 64, 64]);
    assert.deepEqual(run(reshape, [[null, 4, 4, 2]]).shape, [null, 32]); // default [-1] flattens
    assert.deepEqual(run(reshape, [[null, 8, 8, 64]]).cost, zero);
  });
  it('rejects impossible targets, naming the shape param', () => {
    const x = [[null, 32, 32, 3]];
    throwsShape(reshape, x, { shape: [100] }, 'cannot reshape 32×32×3 (3072 elements) to 100 (100 elements)', 'shape');
    throwsShape(reshape, x, { shape: [-1, -1] }, 'only one −1 is allowed in shape, got [-1, -1]', 'shape');
    throwsShape(reshape, x, { shape: [0, 5] }, 'shape entries must be positive or −1, got [0, 5]', 'shape');
    throwsShape(reshape, x, { shape: [-1, 5] }, 'cannot infer −1: 32×32×3 has 3072 elements, not divisible by 5', 'shape');
    throwsShape(reshape, x, { shape: [] }, 'shape needs at least one dimension', 'shape');
    rejectsParams(reshape, { shape: [-2, 4] }, [{ param: 'shape', message: 'values must be ≥ -1' }]);
  });
});
