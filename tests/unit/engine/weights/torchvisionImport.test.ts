/**
 * torchvision state dicts (made by Debian's python3-torchvision with random weights and non-trivial BatchNorm
 * statistics) imported into their templates give torchvision's outputs; bad files get clear messages.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isModelFolder, loadModelFolderModel, readModelFolder } from '../../../../src/main/engine/modelFolder';
import { importTorchFile } from '../../../../src/main/engine/weights/importTorch';
import { StateDictError } from '../../../../src/main/engine/weights/stateDict';
import { f32, nhwc, PYTHON, SKIP, softmax, top5 } from './torchvisionFixture';

const FIXTURE = join(import.meta.dirname, '../../../fixtures/torchvision_state.py');

const work = mkdtempSync(join(tmpdir(), 'netsmith-weights-import-'));
after(() => rmSync(work, { recursive: true, force: true }));
before(async () => {
  await tf.setBackend('cpu');
});

function fixture(name: string, safetensors = false): string {
  const dir = join(work, `${name}${safetensors ? '-st' : ''}`);
  const r = spawnSync(PYTHON, [FIXTURE, name, dir, ...(safetensors ? ['--safetensors'] : [])], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  return dir;
}

describe('torchvision weight import', { skip: SKIP }, () => {
  for (const [name, safetensors] of [['resnet18', false], ['mobilenet_v2', true]] as const) {
    test(`${name} (${safetensors ? '.safetensors' : '.pth'}): the imported model gives torchvision's logits`, async (t) => {
      const dir = fixture(name, safetensors);
      const file = join(dir, safetensors ? 'state.safetensors' : 'state.pth');
      const out = join(work, `${name}-model`);
      const { imported } = await importTorchFile(readFileSync(file), file, name, out);
      imported.model.dispose();
      assert.equal(imported.report.loaded, imported.report.total);
      assert.ok(isModelFolder(out));
      // Read back from disk, as predict and export do.
      const folder = await readModelFolder(out);
      assert.deepEqual(folder.preprocessing.mean, [0.485, 0.456, 0.406]);
      assert.deepEqual(folder.preprocessing.std, [0.229, 0.224, 0.225]);
      assert.deepEqual(folder.preprocessing.input, [224, 224, 3]);
      assert.equal(folder.info.classes.length, 1000);
      const model = await loadModelFolderModel(folder);
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
      t.diagnostic(`${name}: max |logit diff| ${maxLogit.toExponential(2)}, max |prob diff| ${maxProb.toExponential(2)}`);
      assert.ok(maxProb < 1e-4, `probabilities differ by ${maxProb}`);
      assert.ok(maxLogit < 1e-4 * Math.max(1, ...Array.from(theirs, Math.abs)), `logits differ by ${maxLogit}`);
      assert.deepEqual(top5(ours), top5(theirs));
    });
  }

  test('a file of another architecture gets a per-layer report', async () => {
    const dir = join(work, 'resnet18');
    const file = existsSync(join(dir, 'state.pth')) ? join(dir, 'state.pth') : join(fixture('resnet18'), 'state.pth');
    await assert.rejects(importTorchFile(readFileSync(file), 'state.pth', 'mobilenet_v2', join(work, 'wrong')), (err: Error) => {
      assert.ok(err instanceof StateDictError);
      assert.match(err.message, /state\.pth is not a torchvision mobilenet_v2 state dict|does not fit MobileNet/);
      assert.match(err.message, /features\.0\.0\.weight: missing in the file/);
      return true;
    });
    assert.ok(!existsSync(join(work, 'wrong')));
  });

  test('a file of a smaller network: the missing blocks are reported by layer', async () => {
    const dir = join(work, 'resnet18');
    const file = join(dir, 'state.pth');
    // resnet34 shares resnet18's first layers: the file is missing blocks, and the report says which.
    await assert.rejects(importTorchFile(readFileSync(file), 'state.pth', 'resnet34', join(work, 'r34')), /layer1\.2\.conv1\.weight: missing in the file \(64×64×3×3 in the graph\)/);
  });
});

describe('ImageNet weights through torchvision\'s cache', { skip: SKIP }, () => {
  test('a cached file is used offline, with the ImageNet class names; without one, the message says offline', async () => {
    const { fetchImagenetWeights } = await import('../../../../src/main/engine/weights/imagenet');
    const home = join(work, 'torch-home');
    const saved = process.env.TORCH_HOME;
    try {
      process.env.TORCH_HOME = home;
      await assert.rejects(fetchImagenetWeights('resnet18'), /^Error: offline: https:\/\/download\.pytorch\.org\/models\/resnet18-f37072fd\.pth is not in the torchvision cache/);
      const dir = existsSync(join(work, 'resnet18', 'state.pth')) ? join(work, 'resnet18') : fixture('resnet18');
      mkdirSync(join(home, 'hub', 'checkpoints'), { recursive: true });
      copyFileSync(join(dir, 'state.pth'), join(home, 'hub', 'checkpoints', 'resnet18-f37072fd.pth'));
      const got = await fetchImagenetWeights('resnet18');
      assert.equal(got.classes.length, 1000);
      assert.deepEqual(got.classes.slice(0, 2), ['tench', 'goldfish']);
      const { imported } = await importTorchFile(got.bytes, 'resnet18-f37072fd.pth', 'resnet18', join(work, 'imagenet-model'), got.classes);
      imported.model.dispose();
      assert.equal(imported.info.classes[0], 'tench');
    } finally {
      if (saved === undefined) delete process.env.TORCH_HOME;
      else process.env.TORCH_HOME = saved;
    }
  });
});

describe('bad checkpoint files', () => {
  test('not a checkpoint', async () => {
    await assert.rejects(importTorchFile(new TextEncoder().encode('hello, not a model'), 'notes.pth', 'resnet18', join(work, 'x1')), /notes\.pth: not a PyTorch checkpoint \(not a zip archive\)/);
    await assert.rejects(importTorchFile(new Uint8Array(4), 'w.safetensors', 'resnet18', join(work, 'x2')), /not a \.safetensors file/);
  });

  test('a truncated file', { skip: SKIP }, async () => {
    const dir = join(work, 'resnet18');
    const file = existsSync(join(dir, 'state.pth')) ? join(dir, 'state.pth') : join(fixture('resnet18'), 'state.pth');
    const bytes = readFileSync(file);
    await assert.rejects(importTorchFile(bytes.subarray(0, bytes.length >> 1), 'cut.pth', 'resnet18', join(work, 'x3')), /cut\.pth: the checkpoint is damaged or truncated/);
    const st = join(work, 'mobilenet_v2-st', 'state.safetensors');
    if (existsSync(st)) {
      const b = readFileSync(st);
      await assert.rejects(importTorchFile(b.subarray(0, b.length - 1000), 'cut.safetensors', 'mobilenet_v2', join(work, 'x4')), /lies outside the file \(truncated file\?\)/);
    }
  });

  test('an unknown template', async () => {
    writeFileSync(join(work, 'empty.safetensors'), Buffer.concat([Buffer.from([2, 0, 0, 0, 0, 0, 0, 0]), Buffer.from('{}')]));
    await assert.rejects(importTorchFile(readFileSync(join(work, 'empty.safetensors')), 'empty.safetensors', 'resnet18', join(work, 'x5')), /holds no tensors/);
    const t = new Uint8Array(readFileSync(join(work, 'empty.safetensors')));
    await assert.rejects(
      importTorchFile(Buffer.concat([Buffer.from([64, 0, 0, 0, 0, 0, 0, 0]), Buffer.from(JSON.stringify({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }).padEnd(64)), Buffer.alloc(4)]), 'a.safetensors', 'lenet9', join(work, 'x6')),
      /'lenet9' is not a template with torchvision's layout; use one of resnet18, resnet34/,
    );
    assert.ok(t.length > 0);
  });
});
