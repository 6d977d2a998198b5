import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { importOnnxFile } from '../../../../src/main/engine/import/onnx/importOnnx';
import { fixedData, maxAbsDiff } from '../export/helpers';

const PYTHON = '/usr/bin/python3';
const probe = spawnSync(PYTHON, ['-c', 'import torch, torchvision'], { encoding: 'utf8' });
const skip = probe.status === 0 ? false : `Debian's torch/torchvision is not installed at ${PYTHON}: ${(probe.stderr || probe.error?.message || '').trim().split('\n').pop()}`;
// torchvision vit_b_16 at 224 px (86.6 M parameters, a 330 MB file): minutes on two cores, so only on request.
const MODELS = ['mha_batch_first', 'mha_seq_first', 'vit_small', ...(process.env.NETSMITH_SLOW ? ['vit_b_16'] : [])];
const REFUSED = ['mha_masked', 'mha_cross'];

const work = mkdtempSync(join(tmpdir(), 'netsmith-onnx-attn-'));
let counts: Record<string, number> = {};

before(async () => {
  await tf.setBackend('cpu');
  if (skip) return;
  const out = execFileSync(PYTHON, [resolve('tests/fixtures/onnx/torch_attention_export.py'), work, ...MODELS, ...REFUSED], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], timeout: 900_000 });
  counts = JSON.parse(out.trim().split('\n').pop()!) as Record<string, number>;
});
after(() => rmSync(work, { recursive: true, force: true }));

const EXPECTED: Record<string, string[]> = {
  mha_batch_first: ['io/input', 'tfm/patch_embed', 'attn/mhsa', 'tfm/cls_pool', 'head/classify'],
  mha_seq_first: ['io/input', 'tfm/patch_embed', 'attn/mhsa', 'tfm/cls_pool', 'head/classify'],
  vit_small: ['io/input', 'tfm/patch_embed', 'tfm/class_token', 'tfm/pos_embed', 'tfm/encoder', 'tfm/encoder', 'norm/layernorm', 'tfm/cls_pool', 'head/classify'],
  vit_b_16: ['io/input', 'tfm/patch_embed', 'tfm/class_token', 'tfm/pos_embed', ...new Array<string>(12).fill('tfm/encoder'), 'norm/layernorm', 'tfm/cls_pool', 'head/classify'],
};

describe('torch.onnx.export files with torch.nn.MultiheadAttention import as the lab\'s attention blocks and agree with onnxruntime', { skip }, () => {
  for (const name of MODELS) {
    test(name, async () => {
      const file = join(work, `${name}.onnx`);
      const imported = await importOnnxFile(file);
      try {
        assert.deepEqual(imported.graph.nodes.map((n) => n.type), EXPECTED[name]);
        assert.equal(imported.report.params, counts[name], `${name}: ${imported.report.params} params, torch has ${counts[name]}`);
        const [h, w, c] = imported.graph.meta.input.shape;
        const batch = 2;
        const nchw = fixedData(batch * c * h * w, 11);
        const session = await ort.InferenceSession.create(readFileSync(file));
        const ref = (await session.run({ input: new ort.Tensor('float32', nchw, [batch, c, h, w]) })).logits.data as Float32Array;
        const lab = tf.tidy(() => (imported.model.predict(tf.tensor(nchw, [batch, c, h, w]).transpose([0, 2, 3, 1])) as tf.Tensor).dataSync());
        assert.ok(Math.max(...Array.from(ref, Math.abs)) > 1e-2, 'the reference outputs are not trivial');
        const d = maxAbsDiff(lab, ref);
        assert.ok(d <= 1e-4, `max |lab − onnxruntime| = ${d}`);
      } finally {
        imported.model.dispose();
      }
    });
  }
});

describe('masked and cross-attention (not the lab\'s block) are refused, naming the attention, and nothing is imported', { skip }, () => {
  for (const name of REFUSED) {
    test(name, async () => {
      await assert.rejects(importOnnxFile(join(work, `${name}.onnx`)), (err: Error) => {
        assert.equal(err.name, 'UnmappedError');
        assert.match(err.message, /Nothing was imported\./);
        assert.match(err.message, /attention at Softmax node '\/mha\/Softmax' that is not plain multi-head self-attention/);
        return true;
      });
    });
  }
});
