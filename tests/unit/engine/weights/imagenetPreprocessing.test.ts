/**
 * torchvision's ImageNet eval transform (Resize(256), CenterCrop(224)) travels with imported weights: the model
 * folder's preprocessing.json says so, predict applies it, and export's model-info/README describe it. Checked
 * against torchvision's own transforms (PIL) on a non-square PNG, through the real predict path of a model folder.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { shorterSideSize } from '../../../../src/main/engine/data/image/resizeCrop';
import { modelInfo, readmeSection } from '../../../../src/main/engine/export/modelInfo';
import { readModelFolder, trainedDataOf } from '../../../../src/main/engine/modelFolder';
import { loadModelFolderRun } from '../../../../src/main/engine/predict/fromModelFolder';
import { prepareUpload } from '../../../../src/main/engine/predict/image';
import { predictWith } from '../../../../src/main/engine/predict/index';
import { importTorchFile } from '../../../../src/main/engine/weights/importTorch';
import { f32, nhwc, PYTHON, SKIP, softmax } from './torchvisionFixture';

const FIXTURES = join(import.meta.dirname, '../../../fixtures');

const work = mkdtempSync(join(tmpdir(), 'netsmith-imagenet-pre-'));
after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  await initWasmBackend();
  await tf.setBackend('wasm');
});

test("Resize(256)'s output size: the shorter side to 256, the longer truncated as torchvision does", () => {
  assert.deepEqual(shorterSideSize(240, 320, 256), [256, 341]);
  assert.deepEqual(shorterSideSize(500, 375, 256), [341, 256]);
  assert.deepEqual(shorterSideSize(256, 256, 256), [256, 256]);
});

describe("torchvision's eval transform with imported weights", { skip: SKIP }, () => {
  test('preprocessing.json, predict and model-info apply resize-256 + centre-crop-224 as torchvision does', async (t) => {
    const state = join(work, 'r18');
    let r = spawnSync(PYTHON, [join(FIXTURES, 'torchvision_state.py'), 'resnet18', state, '--soft'], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const ref = join(work, 'ref');
    r = spawnSync(PYTHON, [join(FIXTURES, 'torchvision_transform.py'), join(state, 'state.pth'), 'resnet18', ref], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const dir = join(work, 'model');
    const { imported } = await importTorchFile(readFileSync(join(state, 'state.pth')), 'state.pth', 'resnet18', dir);
    imported.model.dispose();

    const folder = await readModelFolder(dir);
    assert.equal(folder.preprocessing.resizeShorter, 256);
    assert.deepEqual(folder.preprocessing.input, [224, 224, 3]);
    const json = JSON.parse(readFileSync(join(dir, 'preprocessing.json'), 'utf8')) as { resizeShorter: number; resize: string };
    assert.equal(json.resizeShorter, 256);

    // The input predict builds from the PNG, against torchvision's tensor.
    const png = readFileSync(join(ref, 'picture.png'));
    const theirsInput = nhwc(f32(join(ref, 'input.f32')), 3, 224, 224);
    const { norm } = trainedDataOf(folder);
    const ours = await prepareUpload(png, 'picture.png', [224, 224, 3], norm, 256);
    let maxIn = 0;
    let off = 0;
    for (let i = 0; i < ours.input.length; i++) {
      const d = Math.abs(ours.input[i] - theirsInput[i]);
      maxIn = Math.max(maxIn, d);
      if (d > 1e-4) off++;
    }
    const stretched = await prepareUpload(png, 'picture.png', [224, 224, 3], norm);
    let maxStretch = 0;
    for (let i = 0; i < stretched.input.length; i++) maxStretch = Math.max(maxStretch, Math.abs(stretched.input[i] - theirsInput[i]));

    // The prediction through the model folder's predict path.
    const run = await loadModelFolderRun(dir);
    assert.equal(run.resizeShorter, 256);
    const res = await predictWith(run, { bytes: png, name: 'picture.png', top: 5, channels: 8 });
    run.dispose();
    const q = softmax(f32(join(ref, 'logits.f32')));
    const theirTop = [...q.keys()].sort((a, b) => q[b] - q[a]).slice(0, 5);
    const top = res.top!;
    let maxProb = 0;
    for (const c of top) maxProb = Math.max(maxProb, Math.abs(c.probability - q[c.index]));
    const line = `input: max |diff| ${maxIn.toExponential(2)} (normalised units; 1/255/std ≈ 0.017), ${off} of ${ours.input.length} values differ by > 1e-4; stretched instead: max |diff| ${maxStretch.toFixed(2)}; top-5 ${top.map((c) => c.index).join(',')} vs torchvision ${theirTop.join(',')}, max |prob diff| ${maxProb.toExponential(2)}`;
    console.log(line);
    t.diagnostic(line);
    assert.deepEqual(top.map((c) => c.index), theirTop);
    assert.ok(maxProb < 1e-4, `probabilities differ by ${maxProb}`);
    assert.ok(maxStretch > 0.5, 'stretching gives a visibly different input (the crop matters)');

    // Export's model-info and README say what predict does.
    const info = modelInfo(folder.graph, { dataset: folder.info.source, data: trainedDataOf(folder), resizeShorter: 256 }, 'NCHW');
    assert.equal(info.preprocessing?.resizeShorter, 256);
    assert.match(info.preprocessing!.resize, /^shorter side to 256 \(bilinear, antialiased; the aspect ratio is kept\), then a centre crop to 224×224 \(width×height\): torchvision's Resize\(256\) \+ CenterCrop\(224\)$/);
    assert.match(readmeSection(info).join('\n'), /1\. Resize: shorter side to 256 .* CenterCrop\(224\)\./);
  });
});
