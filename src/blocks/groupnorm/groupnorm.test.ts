import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { groupNorm } from './definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('norm/groupnorm', () => {
  it('32 groups on 16×16×64: 2·64 params', () => {
    const r = run(groupNorm, [[null, 16, 16, 64]]);
    assert.deepEqual(r.shape, [null, 16, 16, 64]);
    assert.deepEqual(r.cost, { params: 128, macs: 0, ops: 81_920 }); // 5·16·16·64
  });
  it('rejects groups that do not divide the channels', () => {
    throwsShape(groupNorm, [[null, 8, 8, 48]], {}, 'groups 32 must divide the channels 48', 'groups');
    rejectsParams(groupNorm, { groups: 0 }, [{ param: 'groups', message: 'must be ≥ 1' }]);
  });
});
