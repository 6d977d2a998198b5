import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { coordAttention } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

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
