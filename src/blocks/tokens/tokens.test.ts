import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classToken, posEmbed } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('tfm/class_token, tfm/pos_embed', () => {
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
  it('need a token sequence', () => {
    throwsShape(classToken, [[null, 14, 14, 768]], {}, 'Class Token expects a tokens×dim sequence input, got 14×14×768');
  });
});
