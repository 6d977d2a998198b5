/**
 * The lab's predict runs on TF.js only (src/main/engine/predict: the inference worker); the PyTorch engine trains
 * and evaluates, it has no predict path. What the PyTorch engine runs is the module the PyTorch emitter writes
 * (exportPytorch: model.py + weights.safetensors, the same code and weight map the engine uses). An imported
 * torchvision resnet18, as that module in torch, gives torchvision's logits: same top-5, probabilities within 1e-4.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { exportModelFolder } from '../../../../src/main/engine/modelFolder';
import { importTorchFile } from '../../../../src/main/engine/weights/importTorch';
import { f32, PYTHON, SKIP, softmax, top5 } from './torchvisionFixture';

const FIXTURE = join(import.meta.dirname, '../../../fixtures/torchvision_state.py');

const work = mkdtempSync(join(tmpdir(), 'netsmith-torch-twin-'));
after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  await tf.setBackend('cpu');
});

const RUN = `
import importlib.util, sys
import numpy as np
import torch
spec = importlib.util.spec_from_file_location('netsmith_model', sys.argv[1] + '/model.py')
mod = importlib.util.module_from_spec(spec)
spec.loader.exec_module(mod)
model = mod.load_model(sys.argv[1] + '/weights.safetensors')
model.eval()
x = torch.from_numpy(np.fromfile(sys.argv[2], dtype='<f4').reshape(1, 3, 224, 224))
with torch.no_grad():
    y = model(x)
y.numpy().astype('<f4').tofile(sys.argv[3])
`;

describe("the PyTorch engine's module of an imported resnet18", { skip: SKIP }, () => {
  test("gives torchvision's logits: same top-5, probabilities within 1e-4", async (t) => {
    const ref = join(work, 'r18');
    const r = spawnSync(PYTHON, [FIXTURE, 'resnet18', ref, '--soft'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const dir = join(work, 'model');
    const { imported } = await importTorchFile(readFileSync(join(ref, 'state.pth')), 'state.pth', 'resnet18', dir);
    imported.model.dispose();
    const out = join(work, 'torch-export');
    await exportModelFolder(dir, 'pytorch', out);
    writeFileSync(join(work, 'run.py'), RUN);
    const run = spawnSync(PYTHON, [join(work, 'run.py'), out, join(ref, 'input.f32'), join(work, 'ours.f32')], { encoding: 'utf8' });
    assert.equal(run.status, 0, run.stderr);
    const ours = f32(join(work, 'ours.f32'));
    const theirs = f32(join(ref, 'logits.f32'));
    let maxLogit = 0;
    for (let i = 0; i < ours.length; i++) maxLogit = Math.max(maxLogit, Math.abs(ours[i] - theirs[i]));
    const [p, q] = [softmax(ours), softmax(theirs)];
    let maxProb = 0;
    for (let i = 0; i < p.length; i++) maxProb = Math.max(maxProb, Math.abs(p[i] - q[i]));
    const line = `resnet18 in torch (the lab's emitted module): max |logit diff| ${maxLogit.toExponential(2)}, max |prob diff| ${maxProb.toExponential(2)}, top prob ${Math.max(...q).toFixed(4)}`;
    console.log(line);
    t.diagnostic(line);
    assert.deepEqual(top5(ours), top5(theirs));
    assert.ok(maxProb < 1e-4, `probabilities differ by ${maxProb}`);
    assert.ok(maxLogit < 1e-4 * Math.max(1, ...Array.from(theirs, Math.abs)), `logits differ by ${maxLogit}`);
  });
});
