import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flatten } from '../flatten/definition';
import { reshape } from './definition';
import { upsample } from '../upsample/definition';
import { zeroPad } from '../zeropad/definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

const zero = { params: 0, macs: 0, ops: 0 };

describe('reshape/flatten', () => {
  it('7×7×64 → 3136; a flat input stays flat', () => {
    const r = run(flatten, [[null, 7, 7, 64]]);
    assert.deepEqual(r.shape, [null, 3136]);
    assert.deepEqual(r.cost, zero);
    assert.deepEqual(run(flatten, [[null, 10]]).shape, [null, 10]);
  });
});

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

describe('reshape/zeropad', () => {
  it('adds the four sides', () => {
    assert.deepEqual(run(zeroPad, [[null, 28, 28, 1]]).shape, [null, 30, 30, 1]);
    const r = run(zeroPad, [[null, 7, 7, 8]], { top: 0, bottom: 1, left: 0, right: 1 });
    assert.deepEqual(r.shape, [null, 8, 8, 8]);
    assert.deepEqual(r.cost, zero);
  });
  it('needs a feature map', () => {
    throwsShape(zeroPad, [[null, 10]], {}, 'Zero Padding expects a H×W×C feature map input, got 10');
  });
});

describe('reshape/upsample', () => {
  it('nearest ×2: 13×13×256 → 26×26×256, no ops; bilinear 7 ops per output element', () => {
    const n = run(upsample, [[null, 13, 13, 256]]);
    assert.deepEqual(n.shape, [null, 26, 26, 256]);
    assert.deepEqual(n.cost, zero);
    const b = run(upsample, [[null, 13, 13, 256]], { mode: 'bilinear' });
    assert.equal(b.cost.ops, 1_211_392); // 7·26·26·256
    assert.equal(b.cost.macs, 0);
  });
  it('rejects scale 0 and unknown modes', () => {
    rejectsParams(upsample, { scale: 0 }, [{ param: 'scale', message: 'must be ≥ 1' }]);
    const r = rejectsParams;
    r(upsample, { mode: 'bicubic' }, [{ param: 'mode', message: 'Invalid option: expected one of "nearest"|"bilinear"' }]);
  });
});
