import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clsPool } from './definition';
import { run } from '../../../tests/unit/blocks/harness';

describe('tfm/cls_pool', () => {
  it('cls pool: N×D → D; mean costs N·D adds', () => {
    assert.deepEqual(run(clsPool, [[null, 197, 768]]).shape, [null, 768]);
    assert.equal(run(clsPool, [[null, 197, 768]]).cost.ops, 0);
    assert.equal(run(clsPool, [[null, 197, 768]], { mode: 'mean' }).cost.ops, 151_296);
  });
});
