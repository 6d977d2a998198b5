import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cbam } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('attn/cbam', () => {
  it('C = 64, r = 16, k = 7 on 32×32: params 512 + 98 = 610', () => {
    const { shape, cost } = run(cbam, [[null, 32, 32, 64]]);
    assert.deepEqual(shape, [null, 32, 32, 64]);
    assert.equal(cost.params, 610);
    // shared MLP twice: 2·(2·64·4) = 1024; spatial conv 2·49·32·32 = 100,352
    assert.equal(cost.macs, 101_376);
    // 6·H·W·C + 4·H·W + 2·s + 5·C = 393,216 + 4096 + 8 + 320
    assert.equal(cost.ops, 397_640);
  });
  it('with MLP biases: + s + C params', () => {
    const { cost } = run(cbam, [[null, 32, 32, 64]], { bias: true });
    assert.equal(cost.params, 678);
    assert.equal(cost.ops, 397_776); // + 2·(4 + 64)
  });
  it('rejects even spatial kernels', () => {
    throwsShape(cbam, [[null, 32, 32, 64]], { spatialKernel: 4 }, 'spatialKernel must be odd (got 4) so the padding is symmetric', 'spatialKernel');
  });
});
