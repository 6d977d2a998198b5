import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchNorm } from './definition';
import { run } from '../../../tests/unit/blocks/harness';

describe('norm/batchnorm', () => {
  it('2·C learnable + 2·C running statistics', () => {
    const r = run(batchNorm, [[null, 16, 16, 64]]);
    assert.deepEqual(r.shape, [null, 16, 16, 64]);
    assert.deepEqual(r.cost, { params: 128, buffers: 128, macs: 0, ops: 65_536 }); // 4·16·16·64
  });
});
