import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { patchEmbed } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('tfm/patch_embed', () => {
  it('ViT-B/16 on 224×224×3: 196 tokens × 768', () => {
    const { shape, cost } = run(patchEmbed, [[null, 224, 224, 3]], { patch: 16, dim: 768 });
    assert.deepEqual(shape, [null, 196, 768]);
    assert.equal(cost.params, 590_592); // 16·16·3·768 + 768
    assert.equal(cost.macs, 115_605_504); // 589,824·196
  });
  it('CIFAR-size: 32×32×3, patch 4, dim 192 → 64 tokens', () => {
    const { shape, cost } = run(patchEmbed, [[null, 32, 32, 3]], { patch: 4, dim: 192 });
    assert.deepEqual(shape, [null, 64, 192]);
    assert.equal(cost.params, 9408); // 4·4·3·192 + 192
    assert.equal(cost.macs, 589_824); // 9216·64
  });
  it('rejects a patch that does not divide H or W', () => {
    throwsShape(patchEmbed, [[null, 30, 32, 3]], { patch: 16 }, 'patch 16 must divide the input height 30', 'patch');
    throwsShape(patchEmbed, [[null, 32, 30, 3]], { patch: 16 }, 'patch 16 must divide the input width 30', 'patch');
  });
});
