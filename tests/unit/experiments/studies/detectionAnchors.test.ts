import { test } from 'node:test';
import assert from 'node:assert/strict';
import { anchorsOf } from '../../../../src/shared/experiments/catalog/detectionAnchors';
import { runStudy } from './run';

// The study's own config (2,000 training images, 300 validation), seed 42: the numbers `npm run cli -- experiment
// detection-anchors` reports.
test('detection-anchors (seed 42): the anchor-based head trains with several times the negatives per positive; both heads need NMS', { timeout: 900_000 }, async () => {
  const r = await runStudy('detection-anchors', {});
  for (const v of r.variants) assert.equal(v.state, 'completed', v.error);
  const based = anchorsOf(r.variants.find((v) => v.variant === 'anchor-based')!)!;
  const free = anchorsOf(r.variants.find((v) => v.variant === 'anchor-free')!)!;
  assert.equal(based.anchors, 3);
  assert.equal(based.anchorSizes.length, 3);
  assert.deepEqual(free.anchorSizes, []);
  // 8×8×3 vs 8×8 predictions per image
  assert.equal(based.assignment.predictionsPerImage, 192);
  assert.equal(free.assignment.predictionsPerImage, 64);
  // imbalance: the anchor-based assignment leaves far more negatives per positive
  assert.ok(based.assignment.negativesPerPositive > 3 * free.assignment.negativesPerPositive, `${based.assignment.negativesPerPositive} vs ${free.assignment.negativesPerPositive}`);
  // NMS: without it both heads fire duplicates and lose mAP@0.5
  for (const m of [based, free]) {
    assert.ok(m.noNms.duplicatesPerImage > 3 * m.nms.duplicatesPerImage, `duplicates ${m.noNms.duplicatesPerImage} vs ${m.nms.duplicatesPerImage}`);
    assert.ok(m.nms.mAP50 > m.noNms.mAP50 + 0.01, `mAP@0.5 ${m.nms.mAP50} vs ${m.noNms.mAP50}`);
  }
  // After one short epoch the anchor-based head is the more accurate one on these objects
  assert.ok(based.nms.mAP50 > free.nms.mAP50, `mAP@0.5 ${based.nms.mAP50} vs ${free.nms.mAP50}`);
  assert.equal(based.bySize.reduce((s, b) => s + b.objects, 0), based.objects);
  // note 000's "anchor-free needs no NMS" does not hold for this (several-cells-per-object) anchor-free head
  assert.equal(r.verdict.effect.direction, 'contradicts', r.verdict.effect.detail);
  assert.match(r.verdict.effect.detail, /imbalance holds.*the anchor-free head needs NMS too/);
});
