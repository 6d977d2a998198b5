import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { kmeansAnchors, meanBestIoU, shapeIoU } from '../../../../src/main/engine/detect/anchors';
import { assignTargets, bestShape, boxesFromRows, type GtBox } from '../../../../src/main/engine/detect/assign';
import { decodeBox, decodeTensor, encodeBox } from '../../../../src/main/engine/detect/codec';
import { makeLevels, priorTable, type DetectionLevel } from '../../../../src/main/engine/detect/levels';
import { assertAllClose, useCpu } from '../train/approx';

before(useCpu);

const image = { h: 64, w: 64 };
const anchored: DetectionLevel = { output: 0, stride: 8, gridH: 8, gridW: 8, classes: 2, anchors: [[10, 10], [20, 20], [40, 15]] };
const anchorFree: DetectionLevel = { ...anchored, anchors: [] };
const gt = (cls: number, cx: number, cy: number, w: number, h: number): GtBox => ({ cls, box: [cx / 64, cy / 64, w / 64, h / 64] });

describe('anchors', () => {
  it('shape IoU compares sizes with a common centre', () => {
    assert.equal(shapeIoU([10, 10], [10, 10]), 1);
    assert.equal(shapeIoU([10, 10], [20, 20]), 0.25);
    assert.equal(shapeIoU([10, 20], [20, 10]), 100 / 300);
  });

  it('k-means finds well-separated size clusters, sorted by area', () => {
    const sizes: [number, number][] = [];
    for (let i = 0; i < 30; i++) sizes.push([8 + (i % 3) * 0.5, 8 + (i % 2) * 0.5], [30 + (i % 3), 12 + (i % 2)], [20 + (i % 2), 40 + (i % 3)]);
    const anchors = kmeansAnchors(sizes, 3);
    assert.equal(anchors.length, 3);
    assert.ok(Math.abs(anchors[0][0] - 8.5) < 1 && Math.abs(anchors[0][1] - 8.25) < 1, `small ${anchors[0]}`);
    assert.ok(Math.abs(anchors[1][0] - 31) < 1.5 && Math.abs(anchors[1][1] - 12.5) < 1, `wide ${anchors[1]}`);
    assert.ok(Math.abs(anchors[2][0] - 20.5) < 1 && Math.abs(anchors[2][1] - 41) < 1.5, `tall ${anchors[2]}`);
    assert.ok(meanBestIoU(sizes, anchors) > 0.9);
  });

  it('go to the heads from the finest stride up, or come from the config', () => {
    const heads = [
      { output: 0, classes: 2, anchors: 2, stride: 16, gridH: 4, gridW: 4 },
      { output: 1, classes: 2, anchors: 2, stride: 8, gridH: 8, gridW: 8 },
    ];
    const sizes: [number, number][] = [[5, 5], [6, 6], [12, 12], [13, 13], [30, 30], [31, 31], [50, 50], [52, 52]];
    const levels = makeLevels(heads, sizes);
    assert.ok(levels[1].anchors[1][0] < levels[0].anchors[0][0], 'stride-8 head has the smaller anchors');
    assert.deepEqual(makeLevels(heads, sizes, [[1, 1], [2, 2], [3, 3], [4, 4]]).map((l) => l.anchors), [[[3, 3], [4, 4]], [[1, 1], [2, 2]]]);
    assert.throws(() => makeLevels(heads, sizes, [[1, 1]]), /1 anchors configured but the heads have 4/);
  });
});

describe('target assignment', () => {
  it('puts a box on the cell holding its centre and the anchor of best shape (YOLOv3)', () => {
    // centre (19.2, 35.2) px → cell (2, 4); 18×20 fits anchor 1 (20×20) best.
    const [pos] = assignTargets([[], [gt(1, 19.2, 35.2, 18, 20)]], [anchored], image);
    assert.equal(pos.length, 1);
    const p = pos[0];
    assert.deepEqual([p.image, p.gx, p.gy, p.anchor, p.cls], [1, 2, 4, 1, 1]);
    assert.equal(p.row, 8 * 8 * 3 + (4 * 8 + 2) * 3 + 1);
    // a wide box takes the wide anchor
    assert.equal(assignTargets([[gt(0, 30, 30, 38, 14)]], [anchored], image)[0][0].anchor, 2);
  });

  it('also trains every anchor within anchorRatio of the box (YOLOv5), on every head', () => {
    const anchorsOf = (anchorRatio: number, levels = [anchored]) => assignTargets([[gt(1, 19.2, 35.2, 18, 20)]], levels, image, { anchorRatio }).map((ps) => ps.map((p) => [p.gx, p.gy, p.anchor]));
    assert.deepEqual(anchorsOf(4), [[[2, 4, 0], [2, 4, 1], [2, 4, 2]]]);
    assert.deepEqual(anchorsOf(2.1), [[[2, 4, 0], [2, 4, 1]]], '10×10 is within 2.1× of 18×20, 40×15 is not');
    assert.deepEqual(anchorsOf(2), [[[2, 4, 1]]]);
    assert.deepEqual(anchorsOf(1), [[[2, 4, 1]]]);
    const coarse: DetectionLevel = { output: 1, stride: 16, gridH: 4, gridW: 4, classes: 2, anchors: [[30, 30], [80, 80]] };
    assert.deepEqual(anchorsOf(4, [anchored, coarse]), [[[2, 4, 0], [2, 4, 1], [2, 4, 2]], [[1, 2, 0]]]);
  });

  it('sends a box to the head whose anchors fit it, across scales', () => {
    const fine: DetectionLevel = { ...anchored, anchors: [[8, 8], [12, 12]] };
    const coarse: DetectionLevel = { output: 1, stride: 16, gridH: 4, gridW: 4, classes: 2, anchors: [[24, 24], [40, 40]] };
    assert.deepEqual(bestShape([fine, coarse], 38, 42), { level: 1, anchor: 1, iou: (38 * 40) / (38 * 42 + 40 * 40 - 38 * 40) });
    const [a, b] = assignTargets([[gt(0, 40, 40, 38, 42), gt(1, 10, 10, 9, 9)]], [fine, coarse], image);
    assert.deepEqual(a.map((p) => [p.gx, p.gy, p.anchor, p.cls]), [[1, 1, 0, 1]]);
    assert.deepEqual(b.map((p) => [p.gx, p.gy, p.anchor, p.cls]), [[2, 2, 1, 0]]);
  });

  it('keeps the better-fitting box when two share a cell and an anchor', () => {
    const [pos] = assignTargets([[gt(0, 20, 20, 12, 12), gt(1, 21, 21, 10, 10)]], [anchored], image);
    assert.equal(pos.length, 1);
    assert.equal(pos[0].cls, 1);
  });

  it('samples the cells near the centre inside the box when anchor-free', () => {
    // 24×24 box centred at (32, 32): cell centres strictly inside (20, 44) are 28 and 36 → cells 3 and 4.
    const [pos] = assignTargets([[gt(0, 32, 32, 24, 24)]], [anchorFree], image);
    assert.deepEqual(pos.map((p) => [p.gx, p.gy]), [[3, 3], [4, 3], [3, 4], [4, 4]]);
    // a box smaller than a cell still gets the cell of its centre
    const [small] = assignTargets([[gt(0, 13, 50, 3, 3)]], [anchorFree], image);
    assert.deepEqual(small.map((p) => [p.gx, p.gy, p.anchor]), [[1, 6, 0]]);
    // a shared cell learns the smaller box
    const [shared] = assignTargets([[gt(0, 32, 32, 40, 40), gt(1, 30, 30, 6, 6)]], [anchorFree], image);
    assert.equal(shared.find((p) => p.gx === 3 && p.gy === 3)!.cls, 1);
  });

  it('reads boxes from the batch rows, skipping padding', () => {
    const rows = [0, 0.5, 0.5, 0.2, 0.2, -1, 0, 0, 0, 0, 2, 0.1, 0.1, 0.1, 0.1, -1, 0, 0, 0, 0];
    assert.deepEqual(boxesFromRows(rows, 2, 2), [[{ cls: 0, box: [0.5, 0.5, 0.2, 0.2] }], [{ cls: 2, box: [0.1, 0.1, 0.1, 0.1] }]]);
  });
});

describe('box encoding', () => {
  const boxes: [number, number, number, number][] = [[0.3, 0.55, 0.28, 0.31], [0.05, 0.9, 0.1, 0.12], [0.5, 0.5, 0.9, 0.6]];
  for (const level of [anchored, anchorFree]) {
    const kind = level.anchors.length ? 'anchor-based' : 'anchor-free';
    it(`decode(encode(box)) = box (${kind})`, () => {
      for (const b of boxes) {
        const gx = Math.floor(b[0] * 8);
        const gy = Math.floor(b[1] * 8);
        for (let a = 0; a < Math.max(1, level.anchors.length); a++) assertAllClose(decodeBox(level, image, gx, gy, a, encodeBox(level, image, gx, gy, a, b)), b, 1e-9, `${b} @${a}`);
      }
      if (level.anchors.length) assertAllClose(encodeBox(level, image, 2, 4, 1, [19.2 / 64, 35.2 / 64, 20 / 64, 40 / 64]), [0.4, 0.4, 0, Math.log(2)], 1e-9);
    });

    it(`the tensor decoder agrees with decodeBox (${kind})`, () => {
      const priors = priorTable(level);
      const a = Math.max(1, level.anchors.length);
      const rows: number[][] = [];
      const expected: number[] = [];
      const prior: number[] = [];
      for (const b of boxes) {
        const gx = Math.floor(b[0] * 8);
        const gy = Math.floor(b[1] * 8);
        const k = a - 1;
        const r = encodeBox(level, image, gx, gy, k, b);
        const logit = (p: number): number => Math.log(p / (1 - p));
        rows.push(level.anchors.length ? [logit(r[0]), logit(r[1]), r[2], r[3]] : r);
        expected.push(...b);
        prior.push(...priors.subarray(((gy * 8 + gx) * a + k) * 4, ((gy * 8 + gx) * a + k) * 4 + 4));
      }
      const out = tf.tidy(() => decodeTensor(level, image, tf.tensor2d(rows), tf.tensor2d(prior, [boxes.length, 4])).dataSync());
      assertAllClose(out, expected, 1e-5);
    });
  }
});
