// Detection and segmentation runs on the PyTorch engine through the run registry, as the Train panel starts
// them: the epochs carry the same reports as TF.js runs (mAP, per-class AP with PR curves and sample boxes;
// mIoU, Dice and sample masks), the step metric is the task's, and the checkpoints open in Predict.
// Debian's torch 1.13 at /usr/bin/python3, as in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LabEvent } from '../../../../src/shared/api';
import { templateById } from '../../../../src/shared/templates';
import { RunRegistry } from '../../../../src/main/service/runs/registry';

process.env.NETSMITH_PYTHON = '/usr/bin/python3';

async function torchRun(template: string, dataset: string): Promise<{ reg: RunRegistry; id: string; events: LabEvent[] }> {
  const reg = new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-torch-tasks-')));
  const events: LabEvent[] = [];
  reg.onEvent((e) => events.push(e));
  const config = { epochs: 1, batchSize: 8, trainLimit: 64, valLimit: 16, probeEvery: 4, backend: 'torch', device: 'cpu', optimizer: { name: 'adam', lr: 0.003 } };
  const run = await reg.startRun({ project: JSON.stringify(templateById(template)!.build()), dataset, config });
  const done = await reg.wait(run.id);
  assert.equal(done.state, 'completed', done.error);
  assert.match(done.backend ?? '', /^PyTorch · CPU · torch/);
  return { reg, id: run.id, events };
}

test('yolo_nano on shapes-det trains on PyTorch: mAP, PR curves and sample boxes each epoch; Predict draws boxes', { timeout: 600_000 }, async () => {
  const { reg, id, events } = await torchRun('yolo_nano', 'shapes-det');
  const step = events.find((e) => e.type === 'step');
  assert.ok(step && step.type === 'step' && step.metricName !== 'accuracy' && (step.accuracy ?? -1) >= 0 && (step.accuracy ?? 2) <= 1, 'the step metric is the positives\' mean IoU');
  const epoch = events.find((e) => e.type === 'epoch');
  assert.ok(epoch && epoch.type === 'epoch');
  const det = epoch.val.detection!;
  assert.ok(det && typeof det.mAP50 === 'number' && det.perClass.length === 6, 'detection report');
  assert.ok(det.perClass.some((c) => c.pr && c.pr.recall.length === 101), 'PR curves');
  assert.ok(det.anchors && det.anchors[0].length === 3, 'the anchors the run trained with');
  assert.equal(epoch.val.samples!.length, 8);
  assert.ok(epoch.val.samples!.every((s) => Array.isArray(s.truth) && Array.isArray(s.predicted)));
  assert.ok(events.some((e) => e.type === 'probe'), 'probes');
  const predicted = await reg.predict({ id, image: { sampleIndex: 0 } });
  assert.equal(predicted.task, 'detection');
  assert.ok(Array.isArray(predicted.boxes));
});

test('unet_small on shapes-seg trains on PyTorch: mIoU, Dice and sample masks each epoch', { timeout: 600_000 }, async () => {
  const { reg, id, events } = await torchRun('unet_small', 'shapes-seg');
  const epoch = events.find((e) => e.type === 'epoch');
  assert.ok(epoch && epoch.type === 'epoch');
  const seg = epoch.val.segmentation!;
  assert.ok(seg && seg.mIoU >= 0 && seg.mIoU <= 1 && seg.perClassIoU.length === epoch.val.confusion!.length, 'segmentation report');
  assert.ok(epoch.val.samples!.length > 0 && epoch.val.samples![0].mask!.width === 64, 'sample masks');
  const step = events.find((e) => e.type === 'step');
  assert.ok(step && step.type === 'step' && (step.accuracy ?? 0) > 0, 'pixel accuracy per step');
  const predicted = await reg.predict({ id, image: { sampleIndex: 0 } });
  assert.equal(predicted.task, 'segmentation');
});
