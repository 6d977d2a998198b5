import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dense } from './definition';
import { run } from '../../../tests/unit/blocks/harness';

describe('core/dense', () => {
  it('per token on sequences', () => {
    const r = run(dense, [[null, 65, 64]], { units: 256 });
    assert.deepEqual(r.shape, [null, 65, 256]);
    assert.equal(r.cost.params, 16_640); // 64·256 + 256
    assert.equal(r.cost.macs, 1_064_960); // 64·256·65
  });
});
