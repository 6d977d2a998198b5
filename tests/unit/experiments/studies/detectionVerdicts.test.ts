// The detection studies' verdicts on hand-made measurements: each direction, and failed variants.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { detectionAnchors, type AnchorStudy } from '../../../../src/shared/experiments/catalog/detectionAnchors';
import { CONFIDENCE_GRID, detectionHardNegatives, type HardNegativeStudy } from '../../../../src/shared/experiments/catalog/detectionHardNegatives';
import type { VariantResult } from '../../../../src/shared/experiments/types';

const result = (variant: string, study?: object): VariantResult => ({ variant, name: variant, state: study ? 'completed' : 'failed', error: study ? undefined : 'boom', seconds: 1, params: 1, flops: 1, epochs: [], steps: [], probes: [], ...(study ? { study: study as Record<string, unknown> } : {}) });
const ctx = { graphs: {}, seed: 42 };

function head(negativesPerPositive: number, withNms: number, without: number, dups: number): AnchorStudy {
  const ev = (mAP50: number, d: number) => ({ mAP50, mAP: mAP50 / 3, duplicatesPerImage: d, detectionsPerImage: 20 });
  return {
    anchors: 3,
    anchorSizes: [],
    assignment: { images: 10, objects: 20, positivesPerObject: 3, negativesPerPositive, predictionsPerImage: 192 },
    images: 10,
    objects: 20,
    nms: ev(withNms, 0.1),
    noNms: ev(without, dups),
    bySize: [{ lo: 0, hi: 64, objects: 20, recall: 0.5, meanIoU: 0.7 }],
  };
}

test('detection-anchors verdict: supports when only the anchor-based head needs NMS; contradicts when the anchor-free one does too', () => {
  const supports = detectionAnchors.verdict([result('anchor-based', head(25, 0.5, 0.3, 2.5)), result('anchor-free', head(5, 0.3, 0.3, 0.05))], ctx);
  assert.equal(supports.effect.direction, 'supports', supports.effect.detail);
  assert.match(supports.effect.detail, /25\.0 negatives per positive anchor-based vs 5\.0 anchor-free \(5\.0×\)/);
  const both = detectionAnchors.verdict([result('anchor-based', head(25, 0.5, 0.3, 2.5)), result('anchor-free', head(5, 0.3, 0.2, 1.8))], ctx);
  assert.equal(both.effect.direction, 'contradicts');
  assert.match(both.effect.detail, /anchor-free head needs NMS too/);
  const noImbalance = detectionAnchors.verdict([result('anchor-based', head(6, 0.5, 0.3, 2.5)), result('anchor-free', head(5, 0.3, 0.3, 0.05))], ctx);
  assert.equal(noImbalance.effect.direction, 'contradicts');
  const failed = detectionAnchors.verdict([result('anchor-based', head(25, 0.5, 0.3, 2.5)), result('anchor-free')], ctx);
  assert.equal(failed.effect.direction, 'inconclusive');
  assert.match(failed.text, /anchor-free: failed \(boom\)/);
  assert.equal(supports.perVariant['anchor-based'].mAP50, 0.5);
  assert.equal(supports.perVariant['anchor-free'].recall_0_64px, 0.5);
});

/** A study whose recall at threshold t is maxRecall·(1 − t) and false positives per image fp·(1 − t)². */
function negatives(easyShare: number, mAP50: number, maxRecall: number, fp: number): HardNegativeStudy {
  return {
    objectness: 'bce',
    hardNegativeRatio: 0,
    images: 10,
    objects: 20,
    mAP50,
    mAP: mAP50 / 3,
    shares: [],
    easyShare,
    sweep: CONFIDENCE_GRID.map((t) => ({ threshold: t, recall: maxRecall * (1 - t), fpPerImage: fp * (1 - t) ** 2, tpPerImage: 0, precision: 0.5 })),
  };
}

test('detection-hard-negatives verdict: false positives compared at one recall every variant reaches', () => {
  const v = detectionHardNegatives.verdict([result('bce', negatives(0.4, 0.5, 0.8, 4)), result('hard-negatives', negatives(0.05, 0.5, 0.8, 2)), result('focal', negatives(0.01, 0.52, 0.7, 2))], ctx);
  assert.equal(v.effect.direction, 'supports', v.effect.detail);
  // 90% of the lowest maximum recall (0.7 · 0.99 at threshold 0.01)
  assert.ok(Math.abs((v.measurements.matched_recall as number) - 0.9 * 0.7 * 0.99) < 1e-12);
  assert.ok((v.perVariant.bce.fp_per_image_at_matched_recall as number) > (v.perVariant['hard-negatives'].fp_per_image_at_matched_recall as number));
  const worse = detectionHardNegatives.verdict([result('bce', negatives(0.4, 0.5, 0.8, 2)), result('hard-negatives', negatives(0.05, 0.5, 0.8, 3)), result('focal', negatives(0.01, 0.45, 0.8, 2.5))], ctx);
  assert.equal(worse.effect.direction, 'contradicts', worse.effect.detail);
  const mixed = detectionHardNegatives.verdict([result('bce', negatives(0.4, 0.5, 0.8, 4)), result('hard-negatives', negatives(0.05, 0.5, 0.8, 2)), result('focal', negatives(0.01, 0.5, 0.8, 4))], ctx);
  assert.equal(mixed.effect.direction, 'inconclusive');
  const failed = detectionHardNegatives.verdict([result('bce', negatives(0.4, 0.5, 0.8, 4)), result('hard-negatives'), result('focal', negatives(0.01, 0.5, 0.8, 2))], ctx);
  assert.equal(failed.effect.direction, 'inconclusive');
  assert.match(failed.text, /hard-negatives: failed/);
});
