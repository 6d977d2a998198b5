import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encoder } from './definition';
import { patchEmbed } from '../patch_embed/definition';
import { clsPool } from '../cls_pool/definition';
import { classToken, posEmbed } from '../tokens/definition';
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

describe('tfm/class_token, tfm/pos_embed, tfm/cls_pool', () => {
  it('class token adds one learned token: D params', () => {
    const r = run(classToken, [[null, 196, 768]]);
    assert.deepEqual(r.shape, [null, 197, 768]);
    assert.deepEqual(r.cost, { params: 768, macs: 0, ops: 0 });
  });
  it('learned position table N·D; sinusoidal none', () => {
    const l = run(posEmbed, [[null, 197, 768]]);
    assert.deepEqual(l.shape, [null, 197, 768]);
    assert.equal(l.cost.params, 151_296); // 197·768
    assert.equal(run(posEmbed, [[null, 197, 768]], { mode: 'sinusoidal' }).cost.params, 0);
  });
  it('cls pool: N×D → D; mean costs N·D adds', () => {
    assert.deepEqual(run(clsPool, [[null, 197, 768]]).shape, [null, 768]);
    assert.equal(run(clsPool, [[null, 197, 768]]).cost.ops, 0);
    assert.equal(run(clsPool, [[null, 197, 768]], { mode: 'mean' }).cost.ops, 151_296);
  });
  it('need a token sequence', () => {
    throwsShape(classToken, [[null, 14, 14, 768]], {}, 'Class Token expects a tokens×dim sequence input, got 14×14×768');
  });
});

describe('tfm/encoder', () => {
  it("ViT-B block (D = 768, 12 heads, M = 3072): torchvision's EncoderBlock has 7,087,872 params", () => {
    const { shape, cost } = run(encoder, [[null, 197, 768]], { heads: 12 });
    assert.deepEqual(shape, [null, 197, 768]);
    // 2·(2·768) + (4·768² + 4·768) + (768·3072 + 3072) + (3072·768 + 768)
    assert.equal(cost.params, 3072 + 2_362_368 + 2_362_368 + 2_360_064);
    assert.equal(cost.params, 7_087_872);
    // attention 524,391,936 + MLP 2·197·768·3072 = 929,562,624
    assert.equal(cost.macs, 1_453_954_560);
  });
  it('small block: N = 65, D = 64, 4 heads, mlpDim 0 → 256', () => {
    const { cost } = run(encoder, [[null, 65, 64]]);
    assert.equal(cost.params, 49_984); // 256 + 16,640 + 16,640 + 16,448
    assert.equal(cost.macs, 3_735_680); // 4·65·64² + 2·65²·64 + 2·65·64·256
    // LNs 10·4160 = 41,600; attention 6·4·65² + 4·4160 = 118,040; MLP biases 16,640 + 4160;
    // GELU 8·16,640 = 133,120; residual adds 2·4160 = 8320
    assert.equal(cost.ops, 321_880);
  });
  it('rejects heads that do not divide D', () => {
    throwsShape(encoder, [[null, 65, 192]], { heads: 5 }, 'heads 5 must divide the embedding dim 192', 'heads');
  });
});
