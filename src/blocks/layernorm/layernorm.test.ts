import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { layerNorm } from './definition';
import { run } from '../../../tests/unit/blocks/harness';

describe('norm/layernorm', () => {
  it('ViT-B tokens 197×768: 2·768 params, 5 ops per element', () => {
    const r = run(layerNorm, [[null, 197, 768]]);
    assert.deepEqual(r.shape, [null, 197, 768]);
    assert.deepEqual(r.cost, { params: 1536, macs: 0, ops: 756_480 }); // 5·197·768
    assert.equal(run(layerNorm, [[null, 10]]).cost.params, 20);
    assert.equal(run(layerNorm, [[null, 8, 8, 32]]).cost.params, 64); // over the channels
  });
});
