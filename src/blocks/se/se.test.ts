import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
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
