import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LabError } from '../../../../src/shared/api';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { classify, finish } from '../../../../src/shared/templates/layers';
import { saveToMemory } from '../../../../src/main/engine/compile/artifacts';
import { compile } from '../../../../src/main/engine/compile/compile';
import { encodePng } from '../../../../src/main/engine/data/image/encode';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { attentionMaps, attentionProbs, attentionRollout, dataUrlBytes, patchGrid } from '../../../../src/main/engine/inspect/attention';
import { checkpointModelFiles, writeCheckpoint } from '../../../../src/main/runs/checkpoints';
import { fixedData, templateGraph } from '../export/helpers';

/** 8×8×3 → 2×2 patches of dim 8 + [cls] → 2 encoders (2 heads) → LN → cls → 3 classes. */
function tinyVit(): GraphDoc {
  const b = new GraphBuilder({ name: 'tiny', input: [8, 8, 3] });
  let x = b.input();
  x = b.add('tfm/patch_embed', { patch: 4, dim: 8 }, x, { label: 'embed' });
  x = b.add('tfm/class_token', {}, x, { label: 'cls' });
  x = b.add('tfm/pos_embed', { mode: 'learned' }, x, { label: 'pos' });
  x = b.add('tfm/encoder', { heads: 2, mlpDim: 16 }, x, { label: 'enc0' });
  x = b.add('tfm/encoder', { heads: 2, mlpDim: 16 }, x, { label: 'enc1' });
  x = b.add('norm/layernorm', {}, x, { label: 'ln' });
  x = b.add('tfm/cls_pool', { mode: 'token' }, x, { label: 'pool' });
  classify(b, x, 3, 'head');
  return finish(b);
}

const work = mkdtempSync(join(tmpdir(), 'netsmith-attn-'));
let graph: GraphDoc;
let model: tf.LayersModel;

/** A run folder as the registry writes it (checkpoint `epoch-1` when a model is given). */
async function fakeRun(id: string, g: GraphDoc, m?: tf.LayersModel): Promise<string> {
  const dir = join(work, id);
  mkdirSync(dir, { recursive: true });
  if (m) {
    const files = checkpointModelFiles(await saveToMemory(m));
    await writeCheckpoint(dir, 'epoch-1', { ...files, optimizer: { name: 'adam', step: 1, slots: {} }, progress: { epoch: 1, step: 1, metric: 0 } });
  }
  const now = new Date().toISOString();
  const checkpoints = m ? { last: 'epoch-1', best: 'epoch-1' } : {};
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ id, name: id, createdAt: now, updatedAt: now, state: 'completed', dataset: 'fake', epoch: 1, epochs: 1, step: 1, fallbackOps: [], checkpoints, config: {}, graph: g }));
  return dir;
}

/** A 4-image validation split of 8×8 RGB images with a bright square in one corner. */
function fakeDataset(): Dataset {
  const raw = (i: number): Uint8Array => {
    const img = new Uint8Array(8 * 8 * 3);
    for (let y = 0; y < 4; y++) for (let x = 0; x < 4; x++) for (let c = 0; c < 3; c++) img[((y + 4 * (i >> 1)) * 8 + x + 4 * (i & 1)) * 3 + c] = 255;
    return img;
  };
  const split = { name: 'val' as const, length: 4, rawImage: raw, image: (i: number) => Float32Array.from(raw(i), (v) => v / 255), label: (i: number) => i % 3, classCounts: () => [2, 1, 1] };
  return { info: { id: 'fake', name: 'fake', task: 'classification', shape: [8, 8, 3], classes: ['a', 'b', 'c'], sizes: { train: 0, val: 4, test: 0 }, source: 'test' }, norm: { mean: [0, 0, 0], std: [1, 1, 1] }, split: () => split };
}
const loader = async () => fakeDataset();

before(async () => {
  await tf.setBackend('cpu');
  graph = tinyVit();
  model = compile(graph, { seed: 3 }).model;
  await fakeRun('vit', graph, model);
  await fakeRun('fresh', graph);
  const lenet = templateGraph('lenet_mnist');
  await fakeRun('lenet', lenet, compile(lenet, { seed: 1 }).model);
});
after(() => {
  model.dispose();
  rmSync(work, { recursive: true, force: true });
});

describe('attention rollout', () => {
  test('matches a hand-computed 2-layer, 2-token case', () => {
    // layer 1: heads identity and [[.6,.4],[.8,.2]] → mean [[.8,.2],[.4,.6]] → (A+I) rows renormalised [[.9,.1],[.2,.8]]
    // layer 2: one head [[.5,.5],[.1,.9]] → [[.75,.25],[.05,.95]];  R = Â2·Â1 = [[.725,.275],[.235,.765]]
    const r = attentionRollout([
      [[[1, 0], [0, 1]], [[0.6, 0.4], [0.8, 0.2]]],
      [[[0.5, 0.5], [0.1, 0.9]]],
    ]);
    const want = [[0.725, 0.275], [0.235, 0.765]];
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) assert.ok(Math.abs(r[i][j] - want[i][j]) < 1e-12, `R[${i}][${j}] = ${r[i][j]}`);
  });

  test('patch grids follow the aspect ratio', () => {
    assert.deepEqual(patchGrid(64, 32, 32), [8, 8]);
    assert.deepEqual(patchGrid(196, 224, 224), [14, 14]);
    assert.deepEqual(patchGrid(8, 16, 32), [2, 4]);
    assert.deepEqual(patchGrid(7, 8, 8), [1, 7]);
  });
});

/** Debian's python3-torch lives in /usr/bin/python3 (the python3 on PATH has no torch). */
const PYTHON = ['/usr/bin/python3', 'python3'].find((p) => spawnSync(p, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0);

describe('attention probabilities equal torch.nn.MultiheadAttention', { skip: PYTHON ? false : 'no python3 with torch' }, () => {
  test('first encoder block, all heads, within 1e-5', () => {
    const x = tf.tensor4d(fixedData(8 * 8 * 3, 7), [1, 8, 8, 3]);
    const probs = attentionProbs(model, x);
    assert.equal(probs.length, 2);
    assert.deepEqual([probs[0].probs.length, probs[0].probs[0].length, probs[0].probs[0][0].length], [2, 5, 5]);
    // The encoder's input (the position embedding's output) and its ln1 + attention weights, for torch.
    const tokens = tf.model({ inputs: model.inputs, outputs: model.getLayer('pos').output as tf.SymbolicTensor }).predict(x) as tf.Tensor;
    const w = (layer: string) => Object.fromEntries(model.getLayer(layer).weights.map((v) => [v.name.split('/').pop(), { shape: v.shape, data: Array.from(v.read().dataSync()) }]));
    const job = { x: { shape: tokens.shape, data: Array.from(tokens.dataSync()) }, ln: w('enc0__ln1'), attn: w('enc0__attn') };
    const code = `
import json, sys, torch
job = json.load(sys.stdin)
t = lambda a: torch.tensor(a['data'], dtype=torch.float64).reshape(a['shape'])
x = t(job['x'])
ln, at = job['ln'], job['attn']
g = [v for k, v in ln.items() if 'gamma' in k][0]; b = [v for k, v in ln.items() if 'beta' in k][0]
h = torch.nn.functional.layer_norm(x, (x.shape[-1],), t(g), t(b), eps=1e-6)
d = x.shape[-1]
mha = torch.nn.MultiheadAttention(d, 2, bias=True, batch_first=True).double()
with torch.no_grad():
    mha.in_proj_weight.copy_(t([v for k, v in at.items() if k.endswith('qkv_kernel')][0]).T)
    mha.in_proj_bias.copy_(t([v for k, v in at.items() if k.endswith('qkv_bias')][0]))
    _, a = mha(h, h, h, need_weights=True, average_attn_weights=False)
print(json.dumps(a[0].tolist()))
`;
    const ref = JSON.parse(execFileSync(PYTHON!, ['-c', code], { input: JSON.stringify(job), encoding: 'utf8' })) as number[][][];
    let max = 0;
    for (let h = 0; h < 2; h++) for (let i = 0; i < 5; i++) for (let j = 0; j < 5; j++) max = Math.max(max, Math.abs(ref[h][i][j] - probs[0].probs[h][i][j]));
    assert.ok(max < 1e-5, `max |Δ| = ${max}`);
    tf.dispose([x, tokens]);
  });
});

describe('attentionMaps of a run', () => {
  test('a validation sample: per layer and head the class token over the 2×2 grid, rollout, image', async () => {
    const maps = await attentionMaps(join(work, 'vit'), { image: { sampleIndex: 3 } }, loader);
    assert.deepEqual(maps.grid, [2, 2]);
    assert.equal(maps.query, 'cls');
    assert.deepEqual(maps.layers.map((l) => l.name), ['enc0', 'enc1']);
    assert.equal(maps.layerCount, 2);
    for (const l of maps.layers) {
      assert.equal(l.heads.length, 2);
      for (const h of l.heads) {
        const s = h.flat().reduce((a, b) => a + b, 0);
        assert.ok(s > 0 && s < 1, `patch attention sums to ${s}`);
      }
    }
    const rs = maps.rollout.flat();
    assert.equal(rs.length, 4);
    assert.ok(rs.reduce((a, b) => a + b, 0) < 1);
    assert.match(maps.image, /^data:image\/png;base64,/);
    assert.equal(maps.label, 0);
    assert.ok(maps.predicted !== undefined && maps.predicted >= 0 && maps.predicted < 3);
    assert.equal(maps.checkpoint, 'epoch-1');
  });

  test('an uploaded PNG gives the same maps as the sample it was made from; layer and head filters', async () => {
    const png = `data:image/png;base64,${encodePng(fakeDataset().split('val').rawImage(3), 8, 8, 3).toString('base64')}`;
    const a = await attentionMaps(join(work, 'vit'), { image: { sampleIndex: 3 } }, loader);
    const b = await attentionMaps(join(work, 'vit'), { image: { dataUrl: png }, layer: 1, head: 1 }, loader);
    assert.equal(b.layers.length, 1);
    assert.equal(b.layers[0].name, 'enc1');
    assert.deepEqual(b.layers[0].heads, [a.layers[1].heads[1]]);
    assert.deepEqual(b.rollout, a.rollout);
    assert.equal(b.label, undefined);
  });

  test('clear errors: no attention layers, no checkpoint, not an image, out of range, no dataset', async () => {
    const code = (c: string, re: RegExp) => (err: unknown) => err instanceof LabError && err.code === c && re.test(err.message);
    await assert.rejects(attentionMaps(join(work, 'lenet'), { image: { sampleIndex: 0 } }, loader), code('no-attention', /has no attention layers/));
    await assert.rejects(attentionMaps(join(work, 'fresh'), { image: { sampleIndex: 0 } }, loader), code('no-checkpoint', /no finished checkpoint/));
    await assert.rejects(attentionMaps(join(work, 'vit'), { image: { dataUrl: 'data:text/plain;base64,aGVsbG8=' } }, loader), code('bad-image', /not an image/));
    await assert.rejects(attentionMaps(join(work, 'vit'), { image: { dataUrl: 'hello' } }, loader), code('bad-image', /not a data URL/));
    await assert.rejects(attentionMaps(join(work, 'vit'), { image: { sampleIndex: 99 } }, loader), code('bad-image', /out of range/));
    await assert.rejects(attentionMaps(join(work, 'vit'), { image: { sampleIndex: 0 }, layer: 5 }, loader), code('bad-layer', /2 attention layers/));
    await assert.rejects(attentionMaps(join(work, 'vit'), { image: { sampleIndex: 0 } }, async () => Promise.reject(new Error('gone'))), code('no-dataset', /dataset 'fake' cannot be loaded \(gone\)/));
    assert.throws(() => dataUrlBytes('data:image/png,abc'), /base64/);
  });
});
