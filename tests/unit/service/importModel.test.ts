// File → Open of an .onnx: a host path, or a file the browser streamed to the real HTTP host (POST /api/upload, the
// one upload path Load weights uses too) and importModel then reads from the upload. A Netsmith LeNet export is
// imported into <home>/models/<name>-<n> (never overwriting), the project opens with meta.weights on that folder,
// the upload is removed, and bad files give the importer's message without a host path. A model larger than the
// old one-request limit (90 MB of base64) opens through the same streamed path.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LabError } from '../../../src/shared/api';
import { compile } from '../../../src/main/engine/compile/compile';
import { exportOnnx } from '../../../src/main/engine/export/onnx/export';
import { startServer, type RunningServer } from '../../../src/main/host/server';
import { importModelProject } from '../../../src/main/service/importModel';
import { LabService } from '../../../src/main/service/labService';
import { uploadsDir } from '../../../src/main/service/uploads';
import { parseProject } from '../../../src/renderer/core/project';
import { GraphBuilder } from '../../../src/shared/graph/builder';
import { classify, dense, finish } from '../../../src/shared/templates/layers';
import { templateById } from '../../../src/shared/templates';

const work = mkdtempSync(join(tmpdir(), 'netsmith-import-model-'));
const home = join(work, 'home');
const onnx = join(work, 'lenet.onnx');
let bytes: Uint8Array;
let service: LabService;
let server: RunningServer;

before(async () => {
  await tf.setBackend('cpu');
  const graph = templateById('lenet5')!.build();
  const { model } = compile(graph, { seed: 3 });
  bytes = exportOnnx(graph, model).bytes;
  model.dispose();
  writeFileSync(onnx, bytes);
  mkdirSync(home);
  service = new LabService({ kind: 'browser', home, version: 't' });
  server = await startServer({ api: service, version: 't', staticDir: null, uploads: { home } });
});
after(async () => {
  await server?.close();
  await service?.dispose();
  rmSync(work, { recursive: true, force: true });
});

type Reply<T> = { status: number; json: { result?: T; error?: { message: string; code: string } } };

async function upload(name: string, body: Uint8Array): Promise<string> {
  const r = await fetch(`http://127.0.0.1:${server.port}/api/upload?name=${encodeURIComponent(name)}`, { method: 'POST', headers: { 'x-netsmith-token': server.token }, body });
  const json = (await r.json()) as Reply<{ id: string; size: number }>['json'];
  assert.equal(r.status, 200, JSON.stringify(json));
  assert.equal(json.result!.size, body.length);
  return json.result!.id;
}

async function importModel(arg: unknown): Promise<Reply<{ dir: string; name: string; text: string; notes: string[] }>> {
  const r = await fetch(`http://127.0.0.1:${server.port}/api/importModel`, { method: 'POST', headers: { 'x-netsmith-token': server.token, 'content-type': 'application/json' }, body: JSON.stringify(arg) });
  return { status: r.status, json: (await r.json()) as never };
}

test('a host .onnx, then the same file uploaded, open as projects whose runs start from new model folders; an import never overwrites', async () => {
  const a = await importModelProject(home, { path: onnx });
  const r = parseProject(a.text);
  assert.ok(r.ok, JSON.stringify(!r.ok && r.errors));
  assert.equal(a.name, 'lenet');
  const dir = join(home, 'models', 'lenet-1');
  assert.deepEqual(readdirSync(dir).sort(), ['checkpoint', 'graph.json', 'netsmith-model.json', 'preprocessing.json']);
  assert.equal(r.graph.meta.weights?.from, dir);
  assert.ok(r.graph.nodes.some((n) => n.type === 'core/conv2d'));
  assert.deepEqual(r.graph.nodes.filter((n) => n.type === 'core/dense' || n.type === 'head/classify').map((n) => n.label), ['fc1', 'fc2', 'fc3']);
  assert.ok(!a.text.includes('"data"'), 'the weights are not in the graph JSON');

  const id = await upload('lenet.onnx', bytes);
  const b = await importModel({ upload: id });
  assert.equal(b.status, 200, JSON.stringify(b.json));
  assert.equal(b.json.result!.name, 'lenet');
  assert.equal(JSON.parse(b.json.result!.text).meta.weights.from, join(home, 'models', 'lenet-2'));
  assert.ok(existsSync(join(home, 'models', 'lenet-1', 'graph.json')));
  assert.deepEqual(readdirSync(uploadsDir(home)), [], 'the upload is taken');
  const again = await importModel({ upload: id });
  assert.equal(again.json.error?.code, 'not-found');
  assert.match(again.json.error!.message, /no longer on the host/);
});

test('bad files: the importer says why, with the file name and no host or upload path; nothing is kept', async () => {
  const broken = await importModel({ upload: await upload('broken.onnx', new TextEncoder().encode('not a protobuf at all')) });
  assert.equal(broken.status, 400);
  assert.equal(broken.json.error?.code, 'bad-args');
  assert.match(broken.json.error!.message, /^cannot import broken\.onnx: /);
  assert.ok(!broken.json.error!.message.includes(home), broken.json.error!.message);

  const truncated = await importModel({ upload: await upload('cut.onnx', bytes.subarray(0, Math.floor(bytes.length / 2))) });
  assert.match(truncated.json.error!.message, /^cannot import cut\.onnx: /);
  assert.ok(!truncated.json.error!.message.includes(home), truncated.json.error!.message);

  const text = await importModel({ upload: await upload('notes.txt', new TextEncoder().encode('hello')) });
  assert.match(text.json.error!.message, /^notes\.txt is not an \.onnx file/);

  const empty = await importModel({ upload: await upload('empty.onnx', new Uint8Array(0)) });
  assert.match(empty.json.error!.message, /^cannot import empty\.onnx: empty\.onnx is empty$/);

  await assert.rejects(importModelProject(home, { path: join(work, 'notes.txt') }), /notes\.txt is not an \.onnx file/);
  await assert.rejects(importModelProject(home, { path: join(work, 'missing.onnx') }), (err: unknown) => err instanceof LabError && /cannot import .*missing\.onnx: .*no such file/.test(err.message));
  assert.deepEqual(readdirSync(uploadsDir(home)), [], 'failed imports remove their uploads too');
  assert.deepEqual(readdirSync(join(home, 'models')).sort(), ['lenet-1', 'lenet-2']);

  // The base64-in-one-request form is gone: importModel takes an upload id.
  const old = await importModel({ upload: { name: 'lenet.onnx', data: Buffer.from(bytes).toString('base64') } });
  assert.equal(old.json.error?.code, 'bad-args');
});

test('a model larger than the old 90 MB one-request limit streams to the host and opens', { timeout: 300_000 }, async () => {
  // 28×28×1 → flatten → dense 32,768 → 10: 26 M parameters, a 104 MB (99 MiB) .onnx (the old limit was 90 MiB).
  const b = new GraphBuilder({ name: 'wide', input: [28, 28, 1] });
  classify(b, dense(b, b.add('reshape/flatten', {}, b.input(), { label: 'flatten' }), 32_768, 'wide'), 10, 'head');
  const graph = finish(b);
  const { model } = compile(graph, { seed: 1 });
  const big = exportOnnx(graph, model).bytes;
  model.dispose();
  assert.ok(big.length > 90 * 1024 ** 2, `${big.length} bytes`);

  const r = await importModel({ upload: await upload('wide.onnx', big) });
  assert.equal(r.status, 200, JSON.stringify(r.json));
  const p = parseProject(r.json.result!.text);
  assert.ok(p.ok);
  assert.equal(p.graph.nodes.find((n) => n.label === 'wide')?.params.units, 32_768);
  assert.equal(p.graph.meta.weights?.from, join(home, 'models', 'wide-1'));
  assert.deepEqual(readdirSync(uploadsDir(home)), []);
});
