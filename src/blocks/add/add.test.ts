import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { add } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('merge/add', () => {
  it('names both nodes and shapes on a mismatch', () => {
    assert.deepEqual(run(add, [[null, 8, 8, 16], [null, 8, 8, 16]]).cost, { params: 0, macs: 0, ops: 1024 });
    throwsShape(add, [[null, 8, 8, 16], [null, 4, 4, 16]], {}, "cannot add 'a' (8×8×16) and 'b' (4×4×16): the shapes must be equal");
  });
});
