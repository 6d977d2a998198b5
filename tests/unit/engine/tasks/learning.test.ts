import assert from 'node:assert/strict';
import { before, test } from 'node:test';
import { selectBackend } from '../../../../src/main/engine/backend/select';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import { train } from '../../../../src/main/engine/train/trainer';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { tinyDetector, tinyUnet } from './models';

// End-to-end: the real trainer, the wasm backend, generated data. Thresholds sit well below what these runs
// reach (the diagnostics print the values), so that they hold on a loaded 2-core machine; about a minute each
// on an idle one.

before(async () => {
  await selectBackend({ prefer: 'wasm' });
});

test('a tiny detector learns to find and name shapes (shapes-det, mAP@0.5)', { timeout: 300_000 }, async (t) => {
  const { dataset } = await loadDataset('shapes-det', { sizes: { train: 2000, val: 200, test: 1 }, cache: false });
  const { model } = compile(tinyDetector({ size: 64, classes: 6 }), { seed: 1 });
  const config = trainConfigSchema.parse({ epochs: 3, batchSize: 32, probeEvery: 0, seed: 1, optimizer: { name: 'adam', lr: 3e-3 } });
  const mAP50: number[] = [];
  const result = await train({ model, dataset, config, hooks: { epoch: (e) => mAP50.push(e.val.detection!.mAP50) } });
  const d = result.final!.detection!;
  t.diagnostic(`mAP@0.5 per epoch ${mAP50.map((v) => v.toFixed(3)).join(', ')}; mAP@[.5:.95] ${d.mAP.toFixed(3)}`);
  assert.ok(d.mAP50 > 0.4, `mAP@0.5 ${d.mAP50.toFixed(3)} per epoch ${mAP50.map((v) => v.toFixed(3))}`);
  assert.ok(d.mAP > 0.1 && d.mAP < d.mAP50, `mAP@[.5:.95] ${d.mAP}`);
  assert.ok(mAP50[mAP50.length - 1] > mAP50[0], `mAP@0.5 rises: ${mAP50}`);
  assert.equal(result.final!.headline, d.mAP50);
  assert.ok(result.final!.samples!.some((s) => s.predicted!.length > 0), 'the sample images show predicted boxes');
});

test('a tiny UNet learns to segment shapes (shapes-seg at 32 px, mIoU)', { timeout: 300_000 }, async (t) => {
  const { dataset } = await loadDataset('shapes-seg', { size: 32, sizes: { train: 3000, val: 200, test: 1 }, cache: false });
  const { model } = compile(tinyUnet({ size: 32, classes: 7 }), { seed: 1 });
  const config = trainConfigSchema.parse({ epochs: 3, batchSize: 32, probeEvery: 0, seed: 1, optimizer: { name: 'adam', lr: 1e-2 } });
  const mIoU: number[] = [];
  const result = await train({ model, dataset, config, hooks: { epoch: (e) => mIoU.push(e.val.segmentation!.mIoU) } });
  const s = result.final!.segmentation!;
  t.diagnostic(`mIoU per epoch ${mIoU.map((v) => v.toFixed(3)).join(', ')}; pixel accuracy ${s.pixelAccuracy.toFixed(3)}, Dice ${s.meanDice.toFixed(3)}`);
  // Background alone would score mIoU ≈ 0.12 (its IoU ≈ 0.83, every shape class 0).
  assert.ok(s.mIoU > 0.3, `mIoU ${s.mIoU.toFixed(3)}, per class ${s.perClassIoU.map((v) => v?.toFixed(2))}`);
  assert.ok(s.pixelAccuracy > 0.85, `pixel accuracy ${s.pixelAccuracy}`);
  assert.ok(s.perClassIoU.filter((v) => v !== null && v > 0.2).length >= 4, `${s.perClassIoU}`);
  assert.equal(result.final!.headline, s.mIoU);
  assert.equal(result.final!.samples!.length, 8);
});
