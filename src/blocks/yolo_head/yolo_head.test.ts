import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { dense } from '../dense/definition';
import { classify, segment } from '../heads/definition';
import { yoloHead } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

describe('core/dense', () => {
  it('per token on sequences', () => {
    const r = run(dense, [[null, 65, 64]], { units: 256 });
    assert.deepEqual(r.shape, [null, 65, 256]);
    assert.equal(r.cost.params, 16_640); // 64·256 + 256
    assert.equal(r.cost.macs, 1_064_960); // 64·256·65
  });
});

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

describe('det/yolo_head', () => {
  it('YOLOv3 large-object scale: 13×13×1024 on a 416 input → 13×13×255', () => {
    const r = run(yoloHead, [[null, 13, 13, 1024]], {}, [416, 416, 3]);
    assert.deepEqual(r.shape, [null, 13, 13, 255]); // 3·(5 + 80)
    assert.equal(r.cost.params, 261_375); // 1024·255 + 255
    assert.equal(r.cost.macs, 44_129_280); // 13·13·1024·255
    assert.equal(yoloHead.family, 'detection');
  });
  it('VOC and anchor-free layouts', () => {
    assert.deepEqual(run(yoloHead, [[null, 26, 26, 256]], { classes: 20, stride: 16 }, [416, 416, 3]).shape, [null, 26, 26, 75]);
    assert.deepEqual(run(yoloHead, [[null, 80, 80, 128]], { anchors: 0, stride: 8 }, [640, 640, 3]).shape, [null, 80, 80, 85]); // 4 + 1 + 80
    // 'same' padding rounds up: 100 → 4 at stride 32 (⌈100/32⌉)
    assert.deepEqual(run(yoloHead, [[null, 4, 4, 64]], { classes: 1 }, [100, 100, 3]).shape, [null, 4, 4, 18]);
  });
  it('checks the stride against the input size', () => {
    throwsShape(
      yoloHead,
      [[null, 13, 13, 1024]],
      { stride: 16 },
      'stride 16 does not match the feature map: the input is 416 high, so a 13-high map has stride 32, not 16',
      'stride',
      [416, 416, 3],
    );
  });
});
