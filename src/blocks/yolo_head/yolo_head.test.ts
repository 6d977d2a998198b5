import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { yoloHead } from './definition';
import { run, throwsShape } from '../../../tests/unit/blocks/harness';

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
