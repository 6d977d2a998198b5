import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { concat } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('merge/concat', () => {
  it('sums the channels; other axes on request', () => {
    assert.deepEqual(run(concat, [[null, 8, 8, 64], [null, 8, 8, 32]]).shape, [null, 8, 8, 96]);
    assert.deepEqual(run(concat, [[null, 8, 8, 64], [null, 8, 8, 32], [null, 8, 8, 8]]).shape, [null, 8, 8, 104]);
    assert.deepEqual(run(concat, [[null, 4, 8, 16], [null, 2, 8, 16]], { axis: 1 }).shape, [null, 6, 8, 16]);
    assert.deepEqual(run(concat, [[null, 1, 64], [null, 196, 64]], { axis: 1 }).shape, [null, 197, 64]);
    assert.deepEqual(run(concat, [[null, 8, 8, 64], [null, 8, 8, 32]]).cost, { params: 0, macs: 0, ops: 0 });
    assert.equal(concat.inputs[0].variadic, true);
    assert.equal(concat.inputs[0].min, 2);
  });
  it('names both nodes and both shapes when the other dimensions differ', () => {
    throwsShape(
      concat,
      [[null, 32, 32, 64], [null, 16, 16, 64]],
      {},
      "cannot concatenate 'a' (32×32×64) and 'b' (16×16×64) along axis -1: height 32 ≠ 16 (all other dimensions must match)",
    );
    throwsShape(
      concat,
      [[null, 8, 8, 64], [null, 8, 8, 64], [null, 8, 7, 64]],
      {},
      "cannot concatenate 'a' (8×8×64) and 'c' (8×7×64) along axis -1: width 8 ≠ 7 (all other dimensions must match)",
    );
    throwsShape(concat, [[null, 8, 8, 64], [null, 64]], {}, "cannot concatenate 'a' (8×8×64) and 'b' (64): the ranks differ");
    throwsShape(concat, [[null, 8, 8, 64], [null, 8, 8, 64]], { axis: 0 }, 'axis 0 is the batch axis; use 1…3 or −1…−3', 'axis');
  });
});
