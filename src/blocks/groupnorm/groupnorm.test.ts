import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { batchNorm } from '../batchnorm/definition';
import { groupNorm } from './definition';
import { layerNorm } from '../layernorm/definition';
import { rejectsParams, run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('norm/batchnorm', () => {
  it('2·C learnable + 2·C running statistics', () => {
    const r = run(batchNorm, [[null, 16, 16, 64]]);
    assert.deepEqual(r.shape, [null, 16, 16, 64]);
    assert.deepEqual(r.cost, { params: 128, buffers: 128, macs: 0, ops: 65_536 }); // 4·16·16·64
  });
});

describe('norm/layernorm', () => {
  it('ViT-B tokens 197×768: 2·768 params, 5 ops per element', () => {
    const r = run(layerNorm, [[null, 197, 768]]);
    assert.deepEqual(r.shape, [null, 197, 768]);
    assert.deepEqual(r.cost, { params: 1536, macs: 0, ops: 756_480 }); // 5·197·768
    assert.equal(run(layerNorm, [[null, 10]]).cost.params, 20);
    assert.equal(run(layerNorm, [[null, 8, 8, 32]]).cost.params, 64); // over the channels
  });
});

describe('norm/groupnorm', () => {
  it('32 groups on 16×16×64: 2·64 params', () => {
    const r = run(groupNorm, [[null, 16, 16, 64]]);
    assert.deepEqual(r.shape, [null, 16, 16, 64]);
    assert.deepEqual(r.cost, { params: 128, macs: 0, ops: 81_920 }); // 5·16·16·64
  });
  it('rejects groups that do not divide the channels', () => {
    throwsShape(groupNorm, [[null, 8, 8, 48]], {}, 'groups 32 must divide the channels 48', 'groups');
    rejectsParams(groupNorm, { groups: 0 }, [{ param: 'groups', message: 'must be ≥ 1' }]);
  });
});
