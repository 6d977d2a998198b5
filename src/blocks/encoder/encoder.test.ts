import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encoder } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

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
