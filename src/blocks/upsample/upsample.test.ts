import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upsample } from './definition';
import { rejectsParams, run } from '../../../tests/unit/blocks/harness';

const zero = { params: 0, macs: 0, ops: 0 };

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
