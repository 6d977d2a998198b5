/**
 * "Load weights…" with a PyTorch file or torchvision's ImageNet weights: a checkpoint streamed to the real HTTP
 * host (POST /api/upload) or named by host path is imported into the graph's torchvision template as a new model
 * folder; ImageNet weights come through torchvision's own cache (TORCH_HOME), and offline the message says so.
 */
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { LabError } from '../../../src/shared/api';
import { startServer, type RunningServer } from '../../../src/main/host/server';
import { readModelFolder } from '../../../src/main/engine/modelFolder';
import { LabService } from '../../../src/main/service/labService';
import { uploadsDir } from '../../../src/main/service/uploads';

const PYTHON = '/usr/bin/python3';
const HAS_TORCHVISION = spawnSync(PYTHON, ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0;
const SKIP = HAS_TORCHVISION ? false : 'Debian python3-torchvision (/usr/bin/python3) is not installed';
const FIXTURE = join(import.meta.dirname, '../../fixtures/torchvision_state.py');

const work = mkdtempSync(join(tmpdir(), 'netsmith-import-weights-'));
const home = join(work, 'home');
let service: LabService;
let server: RunningServer;
let state = '';

before(async () => {
  await tf.setBackend('cpu');
  mkdirSync(home);
  service = new LabService({ kind: 'browser', home, version: 't' });
  server = await startServer({ api: service, version: 't', staticDir: null, uploads: { home, maxBytes: 200 * 1024 ** 2 } });
  if (HAS_TORCHVISION) {
    const r = spawnSync(PYTHON, [FIXTURE, 'resnet18', join(work, 'r18')], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    state = join(work, 'r18', 'state.pth');
  }
});
after(async () => {
  await server?.close();
  await service?.dispose();
  rmSync(work, { recursive: true, force: true });
});

async function upload(name: string, body: Uint8Array): Promise<{ status: number; json: { result?: { id: string; size: number }; error?: { message: string; code: string } } }> {
  const r = await fetch(`http://127.0.0.1:${server.port}/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'x-netsmith-token': server.token }, body });
  return { status: r.status, json: (await r.json()) as never };
}

async function call(method: string, arg: unknown): Promise<{ status: number; json: { result?: never; error?: { message: string; code: string } } }> {
  const r = await fetch(`http://127.0.0.1:${server.port}/api/${method}`, { method: 'POST', headers: { 'x-netsmith-token': server.token, 'content-type': 'application/json' }, body: JSON.stringify(arg) });
  return { status: r.status, json: (await r.json()) as never };
}

describe('importing a torchvision checkpoint for Load weights', { skip: SKIP }, () => {
  test('an uploaded .pth (streamed to the host) becomes a model folder; the upload is removed', async () => {
    const bytes = readFileSync(state);
    const up = await upload('my resnet.pth', bytes);
    assert.equal(up.status, 200, JSON.stringify(up.json));
    assert.equal(up.json.result!.size, bytes.length);
    const { id } = up.json.result!;
    assert.ok(existsSync(join(uploadsDir(home), id, 'my_resnet.pth')));
    const r = await call('importWeights', { template: 'resnet18', source: { kind: 'upload', id } });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    const w = r.json.result as unknown as { from: string; label: string; layers: string[]; summary: string; graph?: string };
    assert.match(w.summary, /^loaded 102 of 102 tensors of my_resnet\.pth into ResNet-18$/);
    assert.ok(w.from.startsWith(join(home, 'models', 'resnet18-my_resnet-')), w.from);
    assert.ok(w.layers.includes('conv1') && w.layers.includes('fc'));
    assert.ok(w.graph);
    assert.match(w.label, /model folder ResNet-18/);
    const folder = await readModelFolder(w.from);
    assert.equal(folder.info.classes.length, 1000);
    assert.deepEqual(readdirSync(uploadsDir(home)), []);
    // Taken once: the id is gone.
    const again = await call('importWeights', { template: 'resnet18', source: { kind: 'upload', id } });
    assert.equal(again.json.error?.code, 'not-found');
    assert.match(again.json.error!.message, /no longer on the host/);
  });

  test('a file over the upload limit is refused with the limit in the message, and nothing is kept', async () => {
    const small = await startServer({ api: service, version: 't', staticDir: null, uploads: { home, maxBytes: 1024 } });
    try {
      // Without a Content-Length (a stream), the limit is found while streaming.
      const chunks = [new Uint8Array(1000), new Uint8Array(1000)];
      const body = new ReadableStream({
        pull(c) {
          const next = chunks.shift();
          if (next) c.enqueue(next);
          else c.close();
        },
      });
      const r = await fetch(`http://127.0.0.1:${small.port}/api/upload?name=big.pth`, { method: 'POST', headers: { 'x-netsmith-token': small.token }, body, duplex: 'half' } as RequestInit);
      assert.equal(r.status, 413);
      assert.match(((await r.json()) as { error: { message: string } }).error.message, /^big\.pth is larger than the upload limit \(0 MiB\): put it on the host and type its path$/);
      const declared = await fetch(`http://127.0.0.1:${small.port}/api/upload?name=big.pth`, { method: 'POST', headers: { 'x-netsmith-token': small.token }, body: new Uint8Array(4096) });
      assert.equal(declared.status, 413);
      assert.deepEqual(readdirSync(uploadsDir(home)), []);
    } finally {
      await small.close();
    }
  });

  test('uploads need the token', async () => {
    const r = await fetch(`http://127.0.0.1:${server.port}/api/upload?name=a.pth`, { method: 'POST', body: new Uint8Array(8) });
    assert.equal(r.status, 401);
  });

  test('bad files: not a checkpoint, another architecture, truncated, a folder, a wrong kind, an unknown template', async () => {
    writeFileSync(join(work, 'notes.pth'), 'hello, not a model');
    const notCk = await call('importWeights', { template: 'resnet18', source: { kind: 'path', path: join(work, 'notes.pth') } });
    assert.equal(notCk.json.error?.code, 'bad-args');
    assert.match(notCk.json.error!.message, /notes\.pth: not a PyTorch checkpoint \(not a zip archive\)/);
    const wrong = await call('importWeights', { template: 'mobilenet_v2', source: { kind: 'path', path: state } });
    assert.match(wrong.json.error!.message, /state\.pth is not a torchvision mobilenet_v2 state dict: none of its \d+ tensors matches/);
    assert.match(wrong.json.error!.message, /features\.0\.0\.weight: missing in the file/);
    const bytes = readFileSync(state);
    const up = await upload('cut.pth', bytes.subarray(0, bytes.length >> 1));
    const cut = await call('importWeights', { template: 'resnet18', source: { kind: 'upload', id: up.json.result!.id } });
    assert.match(cut.json.error!.message, /cut\.pth: the checkpoint is damaged or truncated/);
    const folder = await call('importWeights', { template: 'resnet18', source: { kind: 'path', path: join(work, 'r18.pth') } });
    assert.equal(folder.json.error?.code, 'not-found');
    mkdirSync(join(work, 'dir.pth'));
    const isDir = await call('importWeights', { template: 'resnet18', source: { kind: 'path', path: join(work, 'dir.pth') } });
    assert.match(isDir.json.error!.message, /dir\.pth is a folder, not a \.pth, \.pt or \.safetensors file/);
    const txt = await call('importWeights', { template: 'resnet18', source: { kind: 'path', path: join(work, 'r18', 'input.f32') } });
    assert.match(txt.json.error!.message, /input\.f32 is not a PyTorch checkpoint: choose a \.pth, \.pt or \.safetensors file/);
    const tpl = await call('importWeights', { template: 'lenet', source: { kind: 'path', path: state } });
    assert.match(tpl.json.error!.message, /'lenet' is not a template with torchvision's layout/);
    // Nothing half-written under models/.
    for (const d of existsSync(join(home, 'models')) ? readdirSync(join(home, 'models')) : []) assert.ok(statSync(join(home, 'models', d, 'netsmith-model.json')).isFile());
  });
});

describe("ImageNet weights through torchvision's cache", { skip: SKIP }, () => {
  test('offline with nothing cached: the message says offline and asks for a file; cached: imported with the ImageNet class names', async () => {
    const torchHome = join(work, 'torch-home');
    const saved = process.env.TORCH_HOME;
    process.env.TORCH_HOME = torchHome;
    try {
      const t0 = Date.now();
      const err = await service.importWeights({ template: 'resnet18', source: { kind: 'imagenet' } }).catch((e: unknown) => e);
      assert.ok(err instanceof LabError);
      assert.equal(err.code, 'offline');
      assert.match(err.message, /^offline: https:\/\/download\.pytorch\.org\/models\/resnet18-f37072fd\.pth is not in the torchvision cache and cannot be downloaded \(.*\)\. Choose a \.pth or \.safetensors file instead\.$/s);
      console.log(`offline answer in ${Date.now() - t0} ms: ${err.message}`);
      // torchvision's own cache lookup (TORCH_HOME/hub/checkpoints/<its file name>) finds a file put there.
      mkdirSync(join(torchHome, 'hub', 'checkpoints'), { recursive: true });
      copyFileSync(state, join(torchHome, 'hub', 'checkpoints', 'resnet18-f37072fd.pth'));
      const w = await service.importWeights({ template: 'resnet18', source: { kind: 'imagenet' } });
      assert.match(w.summary, /^loaded 102 of 102 tensors of resnet18-f37072fd\.pth into ResNet-18$/);
      const folder = await readModelFolder(w.from);
      assert.deepEqual(folder.info.classes.slice(0, 3), ['tench', 'goldfish', 'great white shark']);
      assert.match(folder.info.source, /torchvision resnet18 weights from resnet18-f37072fd\.pth/);
    } finally {
      if (saved === undefined) delete process.env.TORCH_HOME;
      else process.env.TORCH_HOME = saved;
    }
  });
});
