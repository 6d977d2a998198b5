import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { apTable, boxIoU, classesWithCurve, curveLabel, matchBoxes, matchSummary, prRows, samplesAtEpoch } from '../../../src/renderer/dashboards/detection/detectionData';
import { RunTelemetry } from '../../../src/renderer/telemetry/run';
import type { EpochEvent } from '../../../src/shared/api';
import type { DetectionReport, SampleBox } from '../../../src/shared/training/telemetry';

const grid = Array.from({ length: 101 }, (_, i) => i / 100);
const report: DetectionReport = {
  mAP50: 0.75,
  mAP75: 0.5,
  mAP: 0.45,
  mAR: 0.6,
  perClassAP: [1, 0.5, null],
  perClass: [
    { ap50: 1, ap: 0.6, recall: 1, numGroundTruth: 3, numDetections: 4, pr: { recall: grid, precision: grid.map(() => 1) } },
    { ap50: 0.5, ap: 0.3, recall: 0.5, numGroundTruth: 2, numDetections: 7, pr: { recall: grid, precision: grid.map((r) => (r <= 0.5 ? 1 : 0)) } },
    { ap50: null, ap: null, recall: null, numGroundTruth: 0, numDetections: 1 },
  ],
};
const box = (cls: number, x: number, y: number, w: number, h: number, score?: number): SampleBox => ({ cls, x, y, w, h, ...(score !== undefined ? { score } : {}) });

describe('detection dashboard data', () => {
  it('PR rows: one per recall point, a column per class with a curve', () => {
    assert.deepEqual(classesWithCurve(report), [0, 1]);
    const rows = prRows(report, [0, 1]);
    assert.equal(rows.length, 101);
    assert.deepEqual(rows[0], { recall: 0, c0: 1, c1: 1 });
    assert.deepEqual(rows[50], { recall: 0.5, c0: 1, c1: 1 });
    assert.deepEqual(rows[51], { recall: 0.51, c0: 1, c1: 0 });
    // One class picked; a class without curve is left out.
    assert.deepEqual(Object.keys(prRows(report, [1, 2])[0]), ['recall', 'c1']);
    assert.deepEqual(prRows(report, [2]), []);
    assert.equal(curveLabel('circle', 0.9534), 'circle · AP 0.953');
    assert.equal(curveLabel('star', null), 'star · no ground truth');
  });

  it('AP table: per-class rows and means over the classes with ground truth', () => {
    const { rows, mean } = apTable(report, ['circle', 'square', 'star']);
    assert.deepEqual(rows.map((r) => [r.name, r.ap50, r.ap, r.recall, r.numGroundTruth, r.numDetections]), [
      ['circle', 1, 0.6, 1, 3, 4],
      ['square', 0.5, 0.3, 0.5, 2, 7],
      ['star', null, null, null, 0, 1],
    ]);
    assert.equal(mean.ap50, 0.75);
    assert.ok(Math.abs(mean.ap! - 0.45) < 1e-12);
    assert.equal(mean.recall, 0.75);
    assert.equal(mean.numGroundTruth, 5);
    assert.equal(mean.numDetections, 12);
  });

  it('box IoU by hand', () => {
    // [0.1,0.3]² vs [0.2,0.4]²: intersection 0.01, union 0.04 + 0.04 − 0.01.
    assert.ok(Math.abs(boxIoU(box(0, 0.2, 0.2, 0.2, 0.2), box(0, 0.3, 0.3, 0.2, 0.2)) - 0.01 / 0.07) < 1e-12);
    assert.equal(boxIoU(box(0, 0.2, 0.2, 0.1, 0.1), box(0, 0.8, 0.8, 0.1, 0.1)), 0);
    assert.ok(Math.abs(boxIoU(box(0, 0.5, 0.5, 0.2, 0.2), box(0, 0.5, 0.5, 0.2, 0.2)) - 1) < 1e-12);
  });

  it('matches predictions to truths greedily by score, same class, IoU ≥ 0.5', () => {
    const truth = [box(0, 0.25, 0.25, 0.2, 0.2), box(1, 0.75, 0.75, 0.2, 0.2), box(2, 0.5, 0.8, 0.1, 0.1)];
    const predicted = [
      box(0, 0.26, 0.25, 0.2, 0.2, 0.6), // hit, but a higher-scoring duplicate takes the truth first
      box(0, 0.25, 0.25, 0.2, 0.2, 0.9), // hit
      box(0, 0.75, 0.75, 0.2, 0.2, 0.8), // right place, wrong class: false positive
      box(1, 0.8, 0.8, 0.2, 0.2, 0.7), // IoU (0.15²)/(0.08 − 0.15²) ≈ 0.39 < 0.5: false positive
    ];
    const m = matchBoxes(truth, predicted);
    assert.deepEqual(m.predicted.map((p) => p.hit), [false, true, false, false]);
    assert.ok(Math.abs(m.predicted[3].iou - 0.0225 / 0.0575) < 1e-12);
    assert.equal(m.predicted[2].iou, 0);
    assert.deepEqual(m.truth.map((t) => t.found), [true, false, false]);
    assert.deepEqual(matchSummary(m), { hits: 1, falsePositives: 3, missed: 2 });
    assert.deepEqual(matchSummary(matchBoxes(truth, [])), { hits: 0, falsePositives: 0, missed: 3 });
  });

  it('picks the samples of an epoch (or the latest before it)', () => {
    const h = [1, 2, 4].map((epoch) => ({ epoch, samples: [] }));
    assert.equal(samplesAtEpoch(h, 2)?.epoch, 2);
    assert.equal(samplesAtEpoch(h, 3)?.epoch, 2);
    assert.equal(samplesAtEpoch(h, 9)?.epoch, 4);
    assert.equal(samplesAtEpoch(h, 0)?.epoch, 1);
    assert.equal(samplesAtEpoch([], 1), undefined);
  });

  it('run telemetry keeps every epoch of sample boxes (not masks), a resumed epoch replacing the old one', () => {
    const run = new RunTelemetry('r');
    const epoch = (n: number, mask = false): EpochEvent => ({
      type: 'epoch',
      runId: 'r',
      epoch: n,
      lr: 1e-3,
      seconds: 1,
      train: { loss: 1 },
      val: { loss: 1, accuracy: 0.5, samples: [{ index: 3, truth: [box(0, 0.5, 0.5, 0.2, 0.2)], predicted: [box(0, 0.5, 0.5, 0.2, 0.2, n / 10)], ...(mask ? { mask: { width: 1, height: 1, truth: 'AA==', predicted: 'AA==' } } : {}) }] },
    });
    for (const n of [1, 2, 3]) run.ingest(epoch(n));
    run.ingest(epoch(2));
    assert.deepEqual(run.sampleHistory.map((h) => h.epoch), [1, 2]);
    assert.equal(run.sampleHistory[1].samples[0].predicted![0].score, 0.2);
    for (let n = 3; n <= 80; n++) run.ingest(epoch(n));
    assert.ok(run.sampleHistory.length <= 60, `${run.sampleHistory.length} kept`);
    assert.equal(run.sampleHistory[0].epoch, 1);
    assert.equal(run.sampleHistory[run.sampleHistory.length - 1].epoch, 80);
    const seg = new RunTelemetry('s');
    seg.ingest(epoch(1, true));
    assert.equal(seg.sampleHistory.length, 0);
  });
});
