import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importOnnxFile } from '../../../../src/main/engine/import/onnx/importOnnx';
import { fixedData, maxAbsDiff } from '../export/helpers';

const PYTHON = '/usr/bin/python3';
const MODELS = ['resnet18', 'mobilenet_v2', 'mobilenet_v3_small', 'efficientnet_b0'];
const SIZE = 64;
const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : `Debian's torch/torchvision is not installed at ${PYTHON}: ${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}`;

const work = mkdtempSync(join(tmpdir(), 'netsmith-onnx-tv-'));
let counts: Record<string, number> = {};

before(async () => {
  await tf.setBackend('cpu');
  if (skip) return;
  const out = execFileSync(PYTHON, [resolve('tests/fixtures/onnx/torchvision_export.py'), work, String(SIZE), ...MODELS], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 600_000 });
  counts = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
});
after(() => rmSync(work, { recursive: true, force: true }));

describe("torch.onnx.export files of torchvision models import with torchvision's parameter counts and onnxruntime's outputs", { skip }, () => {
  for (const name of MODELS) {
    test(name, async () => {
      const file = join(work, `${name}.onnx`);
      const imported = await importOnnxFile(file);
      try {
        assert.equal(imported.report.params, counts[name], `${name}: ${imported.report.params} params, torchvision has ${counts[name]}`);
        assert.deepEqual(imported.graph.meta.input.shape, [SIZE, SIZE, 3]);
        assert.ok(imported.graph.nodes.some((n) => n.type === 'norm/batchnorm'), 'BatchNorm stays a block');
        assert.equal(imported.graph.nodes.at(-1)!.type, 'head/classify');
        const n = 2;
        const nchw = fixedData(n * 3 * SIZE * SIZE, 21);
        const session = await ort.InferenceSession.create(file);
        const ref = (await session.run({ input: new ort.Tensor('float32', nchw, [n, 3, SIZE, SIZE]) })).logits.data as Float32Array;
        const lab = tf.tidy(() => (imported.model.predict(tf.tensor(nchw, [n, 3, SIZE, SIZE]).transpose([0, 2, 3, 1])) as tf.Tensor).dataSync());
        const d = maxAbsDiff(lab, ref);
        assert.ok(d <= 1e-4, `${name}: max |lab − onnxruntime| = ${d}`);
      } finally {
        imported.model.dispose();
      }
    });
  }
});

describe('torch.onnx.export patterns beyond the classifiers: Pad, ConvTranspose, LayerNorm (one op and decomposed), GELU (erf)', { skip }, () => {
  let params = 0;
  before(() => {
    if (skip) return;
    const out = execFileSync(PYTHON, [resolve('tests/fixtures/onnx/torch_patterns.py'), work], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 300_000 });
    params = Number(out.trim().split('\n').pop());
  });
  for (const opset of [13, 17]) {
    test(`opset ${opset}`, async () => {
      const file = join(work, `patterns_opset${opset}.onnx`);
      const imported = await importOnnxFile(file);
      try {
        assert.deepEqual(
          imported.graph.nodes.map((n) => n.type),
          ['io/input', 'reshape/zeropad', 'core/conv2d', 'act/relu', 'core/conv2d_transpose', 'pool/global_avgpool', 'core/dense', 'norm/layernorm', 'act/gelu', 'head/classify'],
        );
        assert.deepEqual(imported.graph.nodes[1].params, { top: 0, bottom: 1, left: 1, right: 2 });
        assert.equal(imported.graph.nodes.find((n) => n.type === 'norm/layernorm')!.params.epsilon, 1e-6);
        assert.equal(imported.report.params, params);
        const nchw = fixedData(2 * 3 * 16 * 16, 4);
        const session = await ort.InferenceSession.create(file);
        const ref = (await session.run({ input: new ort.Tensor('float32', nchw, [2, 3, 16, 16]) })).logits.data as Float32Array;
        const lab = tf.tidy(() => (imported.model.predict(tf.tensor(nchw, [2, 3, 16, 16]).transpose([0, 2, 3, 1])) as tf.Tensor).dataSync());
        assert.ok(maxAbsDiff(lab, ref) <= 1e-5, `max |lab − onnxruntime| = ${maxAbsDiff(lab, ref)}`);
      } finally {
        imported.model.dispose();
      }
    });
  }
});
