import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { add } from '../add/definition';
import { concat } from './definition';
import { multiply } from '../multiply/definition';
import { dropPath, dropout } from '../regularization/definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('merge/add', () => {
  it('names both nodes and shapes on a mismatch', () => {
    assert.deepEqual(run(add, [[null, 8, 8, 16], [null, 8, 8, 16]]).cost, { params: 0, macs: 0, ops: 1024 });
    throwsShape(add, [[null, 8, 8, 16], [null, 4, 4, 16]], {}, "cannot add 'a' (8×8×16) and 'b' (4×4×16): the shapes must be equal");
  });
});

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
