import { test } from 'node:test';
import assert from 'node:assert/strict';
import { nmsOf } from '../../../../src/shared/experiments/catalog/detectionNms';
import { duplicateCount } from '../../../../src/main/experiments/studies/detectionNms';
import { runStudy } from './run';

test('duplicateCount: a second confident hit on a found object is a duplicate; misses, other classes and low scores are not', () => {
  const truth = [{ imageId: 0, classId: 0, box: [0, 0, 10, 10] as [number, number, number, number] }];
  const box = (x: number): [number, number, number, number] => [x, 0, x + 10, 10];
  const r = duplicateCount(
    [
      { imageId: 0, classId: 0, score: 0.9, box: box(0) },
      { imageId: 0, classId: 0, score: 0.8, box: box(1) }, // IoU 9/11 with the object: duplicate
      { imageId: 0, classId: 1, score: 0.8, box: box(0) }, // other class
      { imageId: 0, classId: 0, score: 0.7, box: box(8) }, // IoU 2/18: a miss
      { imageId: 0, classId: 0, score: 0.1, box: box(0) }, // below the score
    ],
    truth,
  );
  assert.deepEqual(r, { duplicates: 1, confident: 4 });
});

test('detection-nms (seed 42, 1500 training images, 200 validation): no NMS floods duplicates and lowers mAP@0.5; NMS at a low-to-mid threshold is best', { timeout: 300_000 }, async () => {
  const r = await runStudy('detection-nms', { trainLimit: 1500, valLimit: 200, epochs: 1 });
  const s = Object.fromEntries(r.variants.map((v) => [v.variant, nmsOf(v)!]));
  for (const v of r.variants) assert.equal(v.state, 'completed', v.error);
  const none = s['no-nms'].at;
  const at05 = s['nms-0.5'].at;
  // the variants share one trained detector: every sweep is the same
  assert.deepEqual(s['nms-0.3'].sweep, s['no-nms'].sweep);
  assert.equal(s['no-nms'].sweep.at(-1)!.mAP50, none.mAP50);
  assert.ok(none.duplicatesPerImage > 3 * at05.duplicatesPerImage, `duplicates ${none.duplicatesPerImage} vs ${at05.duplicatesPerImage}`);
  assert.ok(none.detectionsPerImage > at05.detectionsPerImage);
  assert.ok(at05.mAP50 > none.mAP50 + 0.01, `mAP@0.5 ${at05.mAP50} vs ${none.mAP50}`);
  assert.ok(s['nms-0.3'].at.mAP50 > s['nms-0.9'].at.mAP50, 'a lower threshold beats a near-no-op one');
  assert.equal(s['nms-0.3'].at.duplicatesPerImage <= s['nms-0.7'].at.duplicatesPerImage, true);
  assert.equal(r.verdict.effect.direction, 'supports', r.verdict.effect.detail);
});
