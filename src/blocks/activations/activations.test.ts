import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ACTIVATIONS, leakyRelu, prelu, softmax } from './definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

// Ops per element, as written on the doc cards (ReLU ≈ 1, sigmoid/tanh ≈ 4 as in the notes).
const OPS: Record<string, number> = {
  'act/relu': 1,
  'act/relu6': 2,
  'act/leaky_relu': 2,
  'act/prelu': 2,
  'act/elu': 4,
  'act/gelu': 8,
  'act/silu': 5,
  'act/hardswish': 4,
  'act/hardsigmoid': 3,
  'act/mish': 8,
  'act/sigmoid': 4,
  'act/tanh': 4,
  'act/softmax': 5,
};

describe('activations', () => {
  it('the family has exactly the listed types', () => {
    assert.deepEqual(ACTIVATIONS.map((a) => a.type).sort(), Object.keys(OPS).sort());
    for (const a of ACTIVATIONS) assert.equal(a.family, 'activation');
  });
  it('keep the shape; ops = per-element cost × 32·32·64', () => {
    for (const a of ACTIVATIONS) {
      const { shape, cost } = run(a, [[null, 32, 32, 64]]);
      assert.deepEqual(shape, [null, 32, 32, 64], a.type);
      assert.equal(cost.ops, OPS[a.type] * 65_536, a.type);
      assert.equal(cost.macs, 0);
      assert.equal(cost.params, a.type === 'act/prelu' ? 64 : 0, a.type);
    }
  });
  it('sigmoid on 32×32×64 = 262,144 ops, ReLU 65,536', () => {
    assert.equal(run(ACTIVATIONS.find((a) => a.type === 'act/sigmoid')!, [[null, 32, 32, 64]]).cost.ops, 262_144);
    assert.equal(run(ACTIVATIONS.find((a) => a.type === 'act/relu')!, [[null, 32, 32, 64]]).cost.ops, 65_536);
  });
  it('PReLU learns one slope per channel (last axis)', () => {
    assert.equal(prelu.trainable, true);
    assert.equal(run(prelu, [[null, 197, 768]]).cost.params, 768);
    assert.equal(run(prelu, [[null, 10]]).cost.params, 10);
  });
  it('softmax checks its axis', () => {
    assert.deepEqual(run(softmax, [[null, 10]]).shape, [null, 10]);
    assert.deepEqual(run(softmax, [[null, 8, 8, 4]], { axis: 3 }).shape, [null, 8, 8, 4]);
    throwsShape(softmax, [[null, 32, 32, 64]], { axis: 0 }, 'axis 0 is the batch axis; use 1…3 or −1…−3', 'axis');
    throwsShape(softmax, [[null, 32, 32, 64]], { axis: 4 }, 'axis 4 is out of range for a rank-3 input (use 1…3 or −1…−3)', 'axis');
    throwsShape(softmax, [[null, 32, 32, 64]], { axis: -4 }, 'axis -4 is the batch axis; use 1…3 or −1…−3', 'axis');
  });
  it('leaky ReLU slope is bounded', () => {
    rejectsParams(leakyRelu, { alpha: -0.1 }, [{ param: 'alpha', message: 'must be ≥ 0' }]);
  });
});
