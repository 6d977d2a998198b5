// Detection in the exported train.py: its target assignment (python/netsmith_runner/assign.py, inlined) equals
// the lab's (detect/assign.ts, codec.ts encodeBox) on random boxes, for anchor-based and anchor-free heads; and
// yolo_nano exported from the lab trains on shapes-det boxes in an .npz with the runner's detection loss
// (tasks.py, inlined), its loss going down. Debian's torch 1.13 (/usr/bin/python3), as in CI.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateById } from '../../../../src/shared/templates';
import { trainConfigSchema } from '../../../../src/shared/training/config';
import { adaptToDataset } from '../../../../src/shared/graph/adapt';
import { compile } from '../../../../src/main/engine/compile/compile';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import { BatchIterator } from '../../../../src/main/engine/data/batch';
import { boxRowsOf } from '../../../../src/main/engine/data/tensors';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { resolveDetectionConfig } from '../../../../src/main/engine/train/tasks/detection';
import { detectionTargets } from '../../../../src/main/engine/torch/tasks';
import type { DetectionLevel } from '../../../../src/main/engine/detect/levels';
import { PYTHON_ROOT } from '../../../../src/main/engine/torch/discover';

const PYTHON = '/usr/bin/python3';

function randomBoxes(seed: number, images: number): { data: Float32Array; rows: number } {
  let s = seed;
  const rand = (): number => ((s = (s * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
  const rows = 6;
  const data = new Float32Array(images * rows * 5);
  for (let i = 0; i < images * rows; i++) {
    const pad = rand() < 0.3;
    const w = 0.05 + rand() * 0.6;
    const h = 0.05 + rand() * 0.6;
    data.set(pad ? [-1, 0, 0, 0, 0] : [Math.floor(rand() * 3), w / 2 + rand() * (1 - w), h / 2 + rand() * (1 - h), w, h], i * 5);
  }
  return { data, rows };
}

const LEVELS: Record<string, DetectionLevel[]> = {
  'two anchor-based heads (yolo_nano-like)': [
    { output: 0, stride: 8, gridH: 8, gridW: 8, classes: 3, anchors: [[6, 7], [12, 10], [16, 22]] },
    { output: 1, stride: 16, gridH: 4, gridW: 4, classes: 3, anchors: [[24, 20], [30, 40], [52, 48]] },
  ],
  'two anchor-free heads': [
    { output: 0, stride: 8, gridH: 8, gridW: 8, classes: 3, anchors: [] },
    { output: 1, stride: 16, gridH: 4, gridW: 4, classes: 3, anchors: [] },
  ],
};

for (const [name, levels] of Object.entries(LEVELS)) {
  test(`train.py's target assignment equals the lab's: ${name}`, { timeout: 120_000 }, () => {
    const image = { h: 64, w: 64 };
    const images = 12;
    const { data, rows } = randomBoxes(name.length, images);
    const boxRows = Array.from({ length: images }, (_, n) => Array.from({ length: rows }, (_, j) => Array.from(data.subarray((n * rows + j) * 5, (n * rows + j) * 5 + 5))));
    for (const ratio of [1, 4]) {
      const lab = detectionTargets({ size: images, boxes: boxRows.map((r) => r.filter((b) => b[0] >= 0).map((b) => ({ cls: b[0], x: b[1], y: b[2], w: b[3], h: b[4] }))) } as never, levels, image, ratio);
      const py = JSON.parse(
        execFileSync(PYTHON, ['-c', `import json, sys\nfrom netsmith_runner.assign import detection_targets\na = json.load(sys.stdin)\nprint(json.dumps(detection_targets(a['rows'], a['levels'], a['image'], a['ratio'])))`], {
          input: JSON.stringify({ rows: boxRows, levels, image, ratio }),
          encoding: 'utf8',
          env: { ...process.env, PYTHONPATH: PYTHON_ROOT },
        }),
      ) as typeof lab;
      assert.ok(lab.levels.some((l) => l.rows.length > 0), 'some positives');
      assert.equal(py.images, lab.images);
      assert.deepEqual(py.gt.map((v) => Math.fround(v)), lab.gt);
      lab.levels.forEach((l, i) => {
        const p = py.levels[i];
        assert.deepEqual(p.rows, l.rows, `level ${i} (ratio ${ratio}): rows`);
        assert.deepEqual(p.cls, l.cls);
        assert.deepEqual(p.priors, l.priors);
        assert.deepEqual(p.boxes.map((v) => Math.fround(v)), l.boxes);
        p.encoded.forEach((v, k) => assert.ok(Math.abs(v - l.encoded[k]) < 1e-6, `encoded[${k}] ${v} vs ${l.encoded[k]}`));
      });
    }
  });
}

test('the exported train.py trains yolo_nano on shapes-det boxes (.npz) with the runner\'s detection loss; the loss goes down', { timeout: 600_000 }, async () => {
  const { dataset } = await loadDataset('shapes-det', { seed: 7 });
  const graph = adaptToDataset(templateById('yolo_nano')!.build(), { name: dataset.info.name, shape: dataset.info.shape, classes: dataset.info.classes.length }).graph;
  const { model } = compile(graph, { seed: 7 });
  const config = resolveDetectionConfig(dataset, trainConfigSchema.parse({ epochs: 6, batchSize: 16, optimizer: { name: 'adam', lr: 2e-3 } }), model);
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-trainpy-det-'));
  try {
    await writeExportFolder(dir, await exportFiles('pytorch', graph, model, config));
  } finally {
    model.dispose();
  }
  const train = readFileSync(join(dir, 'train.py'), 'utf8');
  assert.match(train, /# ---- from python\/netsmith_runner\/tasks\.py ----/);
  assert.match(train, /class DetectionLoss:/);
  assert.ok(!/^from \.|^import netsmith_runner/m.test(train), 'train.py stands alone');
  // 64 training and 32 validation images with their boxes, as the lab's batches carry them.
  const batch = (split: 'train' | 'val', n: number) => new BatchIterator(dataset, split, { batchSize: n, seed: 7, limit: n, dropLast: false }).epoch(0).next().value!;
  for (const [split, n] of [['train', 64], ['val', 32]] as const) {
    const b = batch(split, n);
    const boxes = boxRowsOf(b, 8);
    writeFileSync(join(dir, `x_${split}.bin`), new Uint8Array(b.x.buffer, b.x.byteOffset, b.x.byteLength));
    writeFileSync(join(dir, `y_${split}.bin`), new Uint8Array(boxes.data.buffer));
  }
  const [h, w, c] = dataset.info.shape;
  execFileSync(PYTHON, ['-c', `import numpy as np\nd = {}\nfor s in ('train', 'val'):\n    d['x_' + s] = np.fromfile(f'x_{s}.bin', np.float32).reshape(-1, ${h}, ${w}, ${c})\n    d['y_' + s] = np.fromfile(f'y_{s}.bin', np.float32).reshape(d['x_' + s].shape[0], -1, 5)\nnp.savez('data.npz', **d)`], { cwd: dir });
  const log = execFileSync(PYTHON, ['train.py', '--data', 'data.npz', '--from-weights'], { cwd: dir, encoding: 'utf8', env: { ...process.env, OMP_NUM_THREADS: '1' } });
  const epochs = [...log.matchAll(/epoch (\d+)\/6 {2}loss (\d+\.\d+) {2}val_loss (\d+\.\d+)/g)].map((m) => ({ loss: Number(m[2]), val: Number(m[3]) }));
  assert.equal(epochs.length, 6, log);
  assert.ok(epochs.every((e) => Number.isFinite(e.loss) && Number.isFinite(e.val)), log);
  assert.ok(epochs[5].loss < epochs[0].loss * 0.8, `training loss ${epochs[0].loss} → ${epochs[5].loss}\n${log}`);
  assert.ok(epochs[5].val < epochs[0].val, `validation loss ${epochs[0].val} → ${epochs[5].val}\n${log}`);
  assert.match(log, /saved trained\.pt/);
});
