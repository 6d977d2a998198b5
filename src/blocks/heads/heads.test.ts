import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { classify, segment } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('head/classify', () => {
  it('512 features → 10 logits: 5130 params', () => {
    const r = run(classify, [[null, 512]]);
    assert.deepEqual(r.shape, [null, 10]);
    assert.deepEqual(r.cost, { params: 5130, macs: 5120, ops: 10 });
    assert.equal(classify.family, 'head');
  });
  it('tells the user to flatten or pool first', () => {
    throwsShape(classify, [[null, 7, 7, 512]], {}, 'Classify expects a flat feature vector, got 7×7×512: add Flatten or global average pooling before the head');
  });
});

describe('head/segment', () => {
  it('1×1 conv to K classes per pixel', () => {
    const r = run(segment, [[null, 128, 128, 64]], { classes: 3 });
    assert.deepEqual(r.shape, [null, 128, 128, 3]);
    assert.equal(r.cost.params, 195); // 64·3 + 3
    assert.equal(r.cost.macs, 3_145_728); // 128·128·64·3
  });
  it('needs a feature map', () => {
    throwsShape(segment, [[null, 64]], {}, 'Segment expects a H×W×C feature map input, got 64');
  });
});
