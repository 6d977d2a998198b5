import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { multiply } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('merge/multiply', () => {
  it('broadcasts like NumPy: H×W×C × 1×1×C gating', () => {
    const r = run(multiply, [[null, 32, 32, 64], [null, 1, 1, 64]]);
    assert.deepEqual(r.shape, [null, 32, 32, 64]);
    assert.deepEqual(r.cost, { params: 0, macs: 0, ops: 65_536 });
    assert.deepEqual(run(multiply, [[null, 1, 1, 16], [null, 8, 8, 16]]).shape, [null, 8, 8, 16]);
    // x · s_h · s_w (coordinate attention): 8×8×16 · 8×1×16 · 1×8×16
    const ca = run(multiply, [[null, 8, 8, 16], [null, 8, 1, 16], [null, 1, 8, 16]]);
    assert.deepEqual(ca.shape, [null, 8, 8, 16]);
    assert.equal(ca.cost.ops, 2048); // 2 products over 8·8·16
  });
  it('names the nodes when shapes cannot broadcast', () => {
    throwsShape(multiply, [[null, 8, 8, 16], [null, 8, 8, 8]], {}, "cannot multiply 'a' (8×8×16) and 'b' (8×8×8): channels 16 ≠ 8 and neither is 1");
    throwsShape(
      multiply,
      [[null, 8, 8, 16], [null, 16]],
      {},
      "cannot multiply 'a' (8×8×16) and 'b' (16): the ranks differ; give the smaller one size-1 axes (e.g. global pooling with keepDims gives 1×1×C)",
    );
  });
});
