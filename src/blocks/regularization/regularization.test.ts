import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dropPath, dropout } from './definition';
import { rejectsParams, run } from '../../../tests/unit/blocks/harness';

describe('reg/dropout and reg/droppath', () => {
  it('identity shapes, no cost at inference', () => {
    for (const def of [dropout, dropPath]) {
      const r = run(def, [[null, 197, 768]]);
      assert.deepEqual(r.shape, [null, 197, 768]);
      assert.deepEqual(r.cost, { params: 0, macs: 0, ops: 0 });
    }
  });
  it('rates are bounded below 1 (inverted dropout divides by 1 − p)', () => {
    rejectsParams(dropout, { rate: 1 }, [{ param: 'rate', message: 'must be ≤ 0.95' }]);
    rejectsParams(dropPath, { rate: -0.1 }, [{ param: 'rate', message: 'must be ≥ 0' }]);
  });
});
