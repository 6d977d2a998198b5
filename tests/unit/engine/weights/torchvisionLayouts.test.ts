/**
 * More torchvision layouts: resnet34, resnet50 and vgg11 state dicts (Debian's python3-torchvision, random weights,
 * non-trivial BatchNorm statistics, the last layer scaled so the softmax is not saturated) imported into their templates predict what torchvision predicts: the same
 * top-5 and probabilities within 1e-4. On the wasm backend (XNNPACK forward convolutions): the cpu backend takes
 * minutes per VGG forward pass on a 2-core machine.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { loadModelFolderModel, readModelFolder } from '../../../../src/main/engine/modelFolder';
import { importTorchFile } from '../../../../src/main/engine/weights/importTorch';
import { f32, nhwc, PYTHON, SKIP, softmax, top5 } from './torchvisionFixture';

const FIXTURE = join(import.meta.dirname, '../../../fixtures/torchvision_state.py');

const work = mkdtempSync(join(tmpdir(), 'netsmith-weights-layouts-'));
after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  await initWasmBackend();
  await tf.setBackend('wasm');
});

describe('torchvision layouts: resnet34, resnet50, vgg11', { skip: SKIP }, () => {
  for (const [name, safetensors] of [['resnet34', false], ['resnet50', true], ['vgg11', false]] as const) {
    test(`${name}: same top-5 as torchvision, probabilities within 1e-4`, async (t) => {
      const dir = join(work, name);
      const r = spawnSync(PYTHON, [FIXTURE, name, dir, '--soft', ...(safetensors ? ['--safetensors'] : [])], { encoding: 'utf8' });
      assert.equal(r.status, 0, r.stderr);
      const file = join(dir, safetensors ? 'state.safetensors' : 'state.pth');
      const out = join(work, `${name}-model`);
      const { imported } = await importTorchFile(readFileSync(file), file, name, out);
      imported.model.dispose();
      assert.equal(imported.report.loaded, imported.report.total);
      assert.deepEqual(imported.report.mismatches, []);
      const model = await loadModelFolderModel(await readModelFolder(out));
      const t0 = Date.now();
      const x = tf.tensor4d(nhwc(f32(join(dir, 'input.f32')), 3, 224, 224), [1, 224, 224, 3]);
      const y = model.predict(x) as tf.Tensor;
      const ours = (await y.data()) as Float32Array;
      tf.dispose([x, y]);
      model.dispose();
      const theirs = f32(join(dir, 'logits.f32'));
      let maxLogit = 0;
      for (let i = 0; i < ours.length; i++) maxLogit = Math.max(maxLogit, Math.abs(ours[i] - theirs[i]));
      const [p, q] = [softmax(ours), softmax(theirs)];
      let maxProb = 0;
      for (let i = 0; i < p.length; i++) maxProb = Math.max(maxProb, Math.abs(p[i] - q[i]));
      const scale = Math.max(...Array.from(theirs, Math.abs));
      const line = `${name}: ${imported.report.loaded} tensors, forward ${Date.now() - t0} ms, max |logit| ${scale.toFixed(2)}, max |logit diff| ${maxLogit.toExponential(2)}, max |prob diff| ${maxProb.toExponential(2)}, top prob ${Math.max(...q).toFixed(4)}`;
      console.log(line);
      t.diagnostic(line);
      assert.deepEqual(top5(ours), top5(theirs));
      assert.ok(maxProb < 1e-4, `probabilities differ by ${maxProb}`);
      assert.ok(maxLogit < 1e-4 * Math.max(1, scale), `logits differ by ${maxLogit}`);
      assert.ok(Math.max(...q) < 0.99, 'the softmax is not saturated (else the probability check proves little)');
    });
  }
});
