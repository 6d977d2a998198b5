import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { flatten } from './definition';
import { run } from '../../../tests/unit/blocks/harness';

const zero = { params: 0, macs: 0, ops: 0 };

describe('reshape/flatten', () => {
  it('7×7×64 → 3136; a flat input stays flat', () => {
    const r = run(flatten, [[null, 7, 7, 64]]);
    assert.deepEqual(r.shape, [null, 3136]);
    assert.deepEqual(r.cost, zero);
    assert.deepEqual(run(flatten, [[null, 10]]).shape, [null, 10]);
  });
});
