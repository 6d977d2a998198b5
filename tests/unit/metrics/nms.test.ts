import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { boxIoU, cxcywhToXyxy, xyxyToCxcywh, type BoxXYXY } from '../../../src/shared/metrics/boxes';
import { batchedNms, nms } from '../../../src/shared/metrics/nms';
import { assertAllClose, assertClose } from './approx';

// A [0,0,10,10] .9, B [1,0,11,10] .8, C [5,0,15,10] .7, D [20,20,30,30] .6
// IoU(A,B) = 90/110 = .8182, IoU(A,C) = 50/150 = .3333, IoU(B,C) = 60/140 = .4286, D overlaps nothing.
const boxes: BoxXYXY[] = [
  [0, 0, 10, 10],
  [1, 0, 11, 10],
  [5, 0, 15, 10],
  [20, 20, 30, 30],
];
const scores = [0.9, 0.8, 0.7, 0.6];

describe('boxes', () => {
  it('IoU and format conversion', () => {
    assertClose(boxIoU(boxes[0], boxes[1]), 90 / 110);
    assertClose(boxIoU(boxes[0], boxes[2]), 1 / 3);
    assert.equal(boxIoU(boxes[0], boxes[3]), 0);
    assert.deepEqual(cxcywhToXyxy([5, 5, 10, 4]), [0, 3, 10, 7]);
    assert.deepEqual(xyxyToCxcywh([0, 3, 10, 7]), [5, 5, 10, 4]);
  });
});

describe('NMS', () => {
  it('hard NMS at IoU .5 drops B (.818) and keeps C (.333)', () => {
    assert.deepEqual(
      nms(boxes, scores, { iouThreshold: 0.5 }).map((k) => k.index),
      [0, 2, 3],
    );
  });

  it('hard NMS at IoU .3 also drops C', () => {
    assert.deepEqual(
      nms(boxes, scores, { iouThreshold: 0.3 }).map((k) => k.index),
      [0, 3],
    );
  });

  it('linear Soft-NMS (Nt = .3) decays instead of dropping', () => {
    // after A: B .8·(1 − .8182) = .1455, C .7·(1 − .3333) = .4667, D .6 → pick D, then C;
    // C decays B: .1455·(1 − .4286) = .0831
    const kept = nms(boxes, scores, { method: 'linear', iouThreshold: 0.3 });
    assert.deepEqual(
      kept.map((k) => k.index),
      [0, 3, 2, 1],
    );
    assertAllClose(
      kept.map((k) => k.score),
      [0.9, 0.6, 0.4666666666666667, 0.08311688311688309],
    );
    // a score threshold of .1 removes B once it falls below it
    assert.deepEqual(
      nms(boxes, scores, { method: 'linear', iouThreshold: 0.3, scoreThreshold: 0.1 }).map((k) => k.index),
      [0, 3, 2],
    );
  });

  it('Gaussian Soft-NMS: s·exp(−IoU²/σ), σ = .5', () => {
    // after A: B .8·e^(−.8182²/.5) = .2097, C .7·e^(−.3333²/.5) = .5605; D; then C decays B by e^(−.4286²/.5)
    const kept = nms(boxes, scores, { method: 'gaussian', sigma: 0.5 });
    assert.deepEqual(
      kept.map((k) => k.index),
      [0, 3, 2, 1],
    );
    assertAllClose(
      kept.map((k) => k.score),
      [0.9, 0.6, 0.5605161820417656, 0.1452449770446398],
    );
  });

  it('respects maxDetections and keeps input order on equal scores', () => {
    assert.deepEqual(
      nms(boxes, [0.5, 0.5, 0.5, 0.5], { iouThreshold: 0.9, maxDetections: 2 }).map((k) => k.index),
      [0, 1],
    );
  });

  it('per-class NMS never suppresses across classes', () => {
    const kept = batchedNms(boxes.slice(0, 2), scores.slice(0, 2), [0, 1], { iouThreshold: 0.5 });
    assert.deepEqual(
      kept.map((k) => k.index),
      [0, 1],
    );
    assert.deepEqual(
      batchedNms(boxes.slice(0, 2), scores.slice(0, 2), [0, 0], { iouThreshold: 0.5 }).map((k) => k.index),
      [0],
    );
  });
});
