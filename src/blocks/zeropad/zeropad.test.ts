import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { zeroPad } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

const zero = { params: 0, macs: 0, ops: 0 };

describe('reshape/zeropad', () => {
  it('adds the four sides', () => {
    assert.deepEqual(run(zeroPad, [[null, 28, 28, 1]]).shape, [null, 30, 30, 1]);
    const r = run(zeroPad, [[null, 7, 7, 8]], { top: 0, bottom: 1, left: 0, right: 1 });
    assert.deepEqual(r.shape, [null, 8, 8, 8]);
    assert.deepEqual(r.cost, zero);
  });
  it('needs a feature map', () => {
    throwsShape(zeroPad, [[null, 10]], {}, 'Zero Padding expects a H×W×C feature map input, got 10');
  });
});
