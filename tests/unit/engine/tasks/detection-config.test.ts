import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import type * as tf from '@tensorflow/tfjs';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { kmeansAnchors } from '../../../../src/main/engine/detect/anchors';
import { detectionWarnings, resolveDetectionConfig, setupDetector } from '../../../../src/main/engine/train/tasks/detection';
import { epochLine, summaryMetrics } from '../../../../src/main/host/commands/train';
import type { EpochEvent } from '../../../../src/shared/api';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import { buildYoloNano } from '../../../../src/shared/templates';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { taskMetricNames } from '../../../../src/shared/training/metricNames';
import { useCpu } from '../train/approx';

let dataset: Dataset;
before(async () => {
  await useCpu();
  ({ dataset } = await loadDataset('shapes-det', { sizes: { train: 80, val: 8, test: 1 }, cache: false }));
});

/** Max-pools straight into YOLO heads at the given strides (the smallest detection graph). */
function heads(strides: number[], anchors = 3): tf.LayersModel {
  const b = new GraphBuilder({ name: 'heads', task: 'detection', input: [64, 64, 3] });
  const input = b.input();
  const pool = (x: ReturnType<typeof b.input>, s: number) => b.add('pool/maxpool', { size: s, stride: s, padding: 'explicit', pad: 0 }, x);
  // Pools are at most 31 wide: stride 32 is two of them.
  for (const stride of strides) b.add('det/yolo_head', { classes: 6, anchors, stride }, stride > 16 ? pool(pool(input, 16), stride / 16) : pool(input, stride));
  return compile(b.build(), { seed: 1 }).model;
}

const trainSizes = (): [number, number][] => {
  const split = dataset.split('train');
  const out: [number, number][] = [];
  for (let i = 0; i < split.length; i++) for (const b of split.boxes!(i)) out.push([b.w * 64, b.h * 64]);
  return out;
};

describe('the detection settings saved with a run', () => {
  it('fixes the k-means anchors (smallest first, finest stride first) and fills in every default', () => {
    const model = heads([16, 8]);
    const resolved = resolveDetectionConfig(dataset, trainConfigSchema.parse({}), model);
    const d = resolved.detection!;
    const expected = kmeansAnchors(trainSizes(), 6).map(([w, h]) => [Math.round(w * 100) / 100, Math.round(h * 100) / 100]);
    assert.deepEqual(d.anchors, expected);
    assert.equal(d.nms.iouThreshold, 0.5);
    assert.equal(d.boxLoss, 'ciou');
    // Decoding with the saved anchors gives the stride-8 head the three smallest, whatever the output order.
    const setup = setupDetector(dataset, resolved, model);
    assert.deepEqual(setup.levels.map((l) => l.stride), [16, 8]);
    assert.deepEqual(setup.levels[1].anchors, expected.slice(0, 3));
    assert.deepEqual(setup.levels[0].anchors, expected.slice(3));
    setup.decoder.dispose();
    model.dispose();
  });

  it('keeps configured anchors, and leaves anchor-free heads without any', () => {
    const model = heads([8]);
    const anchors: [number, number][] = [[5, 6], [10, 12], [20, 22]];
    assert.deepEqual(resolveDetectionConfig(dataset, trainConfigSchema.parse({ detection: { anchors } }), model).detection!.anchors, anchors);
    model.dispose();
    const free = heads([8], 0);
    assert.equal(resolveDetectionConfig(dataset, trainConfigSchema.parse({}), free).detection!.anchors, undefined);
    free.dispose();
  });

  it('yolo_nano: one stride-8 head on an 8×8 grid with three anchors', () => {
    const { model } = compile(buildYoloNano(), { seed: 1 });
    assert.deepEqual(model.outputs.map((o) => o.shape), [[null, 8, 8, 33]]);
    const d = resolveDetectionConfig(dataset, trainConfigSchema.parse({}), model).detection!;
    assert.equal(d.anchors!.length, 3);
    model.dispose();
  });
});

describe('headline metric names', () => {
  const event = (metricName: string | undefined, headline: number | undefined, val: Partial<EpochEvent['val']>): EpochEvent => ({
    type: 'epoch',
    runId: 'r',
    epoch: 1,
    lr: 1e-3,
    seconds: 1,
    train: { loss: 2, accuracy: 0.6 },
    val: { loss: 1, accuracy: 0.5, ...val },
    headline,
    metricName,
  });

  it('names them per task', () => {
    assert.deepEqual([taskMetricNames('classification').headline, taskMetricNames('detection').headline, taskMetricNames('segmentation').headline], ['accuracy', 'mAP@0.5', 'mIoU']);
    assert.equal(taskMetricNames('detection').key, 'mAP50');
    assert.equal(taskMetricNames('detection').step, 'box IoU');
  });

  it('prints detection and segmentation epochs with their metric, classification as before', () => {
    const det = epochLine(event('mAP@0.5', 0.9123, { accuracy: 0.9123, detection: { mAP50: 0.9123, mAP75: 0.7, mAP: 0.55, mAR: 0.61, perClassAP: [], perClass: [] } }));
    assert.equal(det, 'train loss 2.0000 box IoU 60.00%  val loss 1.0000 mAP@0.5 0.912 mAP@[.5:.95] 0.550 mAR 0.610');
    const seg = epochLine(event('mIoU', 0.42, { accuracy: 0.9, segmentation: { pixelAccuracy: 0.9, mIoU: 0.42, meanDice: 0.5, meanClassAccuracy: 0.5, perClassIoU: [], perClassDice: [] } }));
    assert.equal(seg, 'train loss 2.0000 pixel acc 60.00%  val loss 1.0000 mIoU 0.420 pixel acc 90.00%');
    assert.equal(epochLine(event('accuracy', 0.5, {})), 'train loss 2.0000 acc 60.00%  val loss 1.0000 acc 50.00%');
    assert.equal(epochLine(event(undefined, undefined, { top5: 0.9 })), 'train loss 2.0000 acc 60.00%  val loss 1.0000 acc 50.00% top-5 90.00%');
  });

  it('summarises a detection run without repeating mAP@0.5 as an accuracy', () => {
    assert.equal(summaryMetrics({ train_loss: 2, train_accuracy: 0.6, val_loss: 1, val_accuracy: 0.9, val_mAP50: 0.9 }), 'train_loss 2.0000, train_box_iou 0.6000, val_loss 1.0000, val_mAP50 0.9000');
    assert.equal(summaryMetrics({ val_loss: 1, val_accuracy: 0.5 }), 'val_loss 1.0000, val_accuracy 50.00%');
  });
});

describe('detection warnings', () => {
  it('names a head whose grid is too coarse for the images (yolo_tiny on 64-px shapes-det)', () => {
    const coarse = heads([32, 8]);
    const warnings = detectionWarnings(dataset, coarse);
    assert.equal(warnings.length, 1);
    assert.match(warnings[0], /stride 32: on 64×64 images that is a 2×2 grid/);
    coarse.dispose();
    const fine = heads([8, 16]);
    assert.deepEqual(detectionWarnings(dataset, fine), []);
    fine.dispose();
  });
});
