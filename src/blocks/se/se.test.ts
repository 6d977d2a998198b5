import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { cbam } from '../cbam/definition';
import { coordAttention } from '../coord_attention/definition';
import { mhsa } from '../mhsa/definition';
import { squeezeExcite } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('attn/se', () => {
  it('C = 64, r = 16: s = 4, params 2·64·4 + 4 + 64 = 580', () => {
    const { shape, cost } = run(squeezeExcite, [[null, 56, 56, 64]]);
    assert.deepEqual(shape, [null, 56, 56, 64]);
    assert.equal(cost.params, 580);
    assert.equal(cost.macs, 512); // 64·4 + 4·64
    // GAP 56·56·64 + scale 56·56·64 = 401,408; ReLU 4; sigmoid 4·64 = 256; biases 68
    assert.equal(cost.ops, 401_736);
  });
  it("EfficientNet-B0 MBConv SE: 96 channels, squeeze 4, SiLU → torchvision's 868", () => {
    // fc1 96·4 + 4 = 388, fc2 4·96 + 96 = 480
    assert.equal(run(squeezeExcite, [[null, 56, 56, 96]], { squeeze: 4, activation: 'silu' }).cost.params, 868);
  });
  it("MobileNetV3 SE: 72 channels, squeeze 24, hard sigmoid → torchvision's 3552", () => {
    // fc1 72·24 + 24 = 1752, fc2 24·72 + 72 = 1800
    const r = run(squeezeExcite, [[null, 28, 28, 72]], { squeeze: 24, gate: 'hardsigmoid' });
    assert.equal(r.cost.params, 3552);
    assert.equal(r.cost.macs, 3456);
  });
  it('s = round(C/r): C = 24, r = 16 → 2; bias off = the notes\' SELayer', () => {
    assert.equal(run(squeezeExcite, [[null, 8, 8, 24]]).cost.params, 122); // 2·24·2 + 2 + 24
    assert.equal(run(squeezeExcite, [[null, 8, 8, 64]], { bias: false }).cost.params, 512);
  });
  it('needs a feature map', () => {
    throwsShape(squeezeExcite, [[null, 64]], {}, 'Squeeze-and-Excitation expects a H×W×C feature map input, got 64');
  });
});

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

describe('attn/coord_attention', () => {
  it("C = 64, r = 32 → mid = max(8, 2) = 8: 1688 params as the paper's CoordAtt", () => {
    const { shape, cost } = run(coordAttention, [[null, 32, 32, 64]]);
    assert.deepEqual(shape, [null, 32, 32, 64]);
    // conv1 64·8 + 8 = 520, BN 16, F_h and F_w 8·64 + 64 = 576 each
    assert.equal(cost.params, 1688);
    assert.equal(cost.buffers, 16);
    assert.equal(cost.macs, 65_536); // 2·64·8·(32 + 32)
    // pools + final products 4·32·32·64 = 262,144; per position (64 of them): mid·(BN 4 + h-swish 4 + bias 1) + C·(sigmoid 4 + bias 1) = 72 + 320
    assert.equal(cost.ops, 287_232);
  });
  it("the notes' CA_Block: r = 16, ReLU, no bias (C = 64 → mid 4)", () => {
    const { cost } = run(coordAttention, [[null, 16, 16, 64]], { reduction: 16, minMid: 1, activation: 'relu', bias: false });
    assert.equal(cost.params, 776); // 64·4 + BN 8 + 2·4·64
    assert.equal(cost.macs, 16_384); // 2·64·4·32
  });
  it('needs a feature map', () => {
    throwsShape(coordAttention, [[null, 196, 64]], {}, 'Coordinate Attention expects a H×W×C feature map input, got 196×64');
  });
});

describe('attn/mhsa', () => {
  it('ViT-B: 197 tokens × 768, 12 heads', () => {
    const { shape, cost } = run(mhsa, [[null, 197, 768]], { heads: 12 });
    assert.deepEqual(shape, [null, 197, 768]);
    assert.equal(cost.params, 2_362_368); // 4·768² + 4·768, as torch.nn.MultiheadAttention
    // 4·N·D² = 464,781,312 and 2·N²·D = 59,610,624
    assert.equal(cost.macs, 524_391_936);
    // (scale 1 + softmax 5)·12·197² = 2,794,248 and 4 bias adds·197·768 = 605,184
    assert.equal(cost.ops, 3_399_432);
  });
  it('without Q/K/V biases: 4D² + D', () => {
    assert.equal(run(mhsa, [[null, 197, 768]], { heads: 12, qkvBias: false }).cost.params, 2_360_064);
  });
  it('rejects heads that do not divide D, and image inputs', () => {
    throwsShape(mhsa, [[null, 197, 768]], { heads: 5 }, 'heads 5 must divide the embedding dim 768', 'heads');
    throwsShape(mhsa, [[null, 32, 32, 64]], {}, 'Multi-Head Self-Attention expects a tokens×dim sequence input, got 32×32×64');
  });
});
