// File → Open of an .onnx on the host: a Netsmith LeNet export is imported into <home>/models/<name>-<n> (never
// overwriting), the returned project opens with meta.weights on that folder, and bad files give the importer's message.
import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { LabError } from '../../../src/shared/api';
import { compile } from '../../../src/main/engine/compile/compile';
import { exportOnnx } from '../../../src/main/engine/export/onnx/export';
import { importModelProject } from '../../../src/main/service/importModel';
import { parseProject } from '../../../src/renderer/core/project';
import { templateById } from '../../../src/shared/templates';

const work = mkdtempSync(join(tmpdir(), 'netsmith-import-model-'));
const home = join(work, 'home');
const onnx = join(work, 'lenet.onnx');
let bytes: Uint8Array;
before(async () => {
  await tf.setBackend('cpu');
  const graph = templateById('lenet5')!.build();
  const { model } = compile(graph, { seed: 3 });
  bytes = exportOnnx(graph, model).bytes;
  model.dispose();
  writeFileSync(onnx, bytes);
});
after(() => rmSync(work, { recursive: true, force: true }));

test('a host .onnx opens as a project whose runs start from a new model folder; a second import never overwrites', async () => {
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
  const b = await importModelProject(home, { upload: { name: 'lenet.onnx', data: Buffer.from(bytes).toString('base64') } });
  assert.equal(JSON.parse(b.text).meta.weights.from, join(home, 'models', 'lenet-2'));
  assert.ok(existsSync(join(home, 'models', 'lenet-1', 'graph.json')));
});

test('a bad file: the importer says why, with the file name and no temp path; nothing is kept', async () => {
  const err = await importModelProject(home, { upload: { name: 'broken.onnx', data: Buffer.from('not a protobuf at all').toString('base64') } }).catch((e: unknown) => e);
  assert.ok(err instanceof LabError, String(err));
  assert.match(err.message, /^cannot import broken\.onnx: /);
  assert.ok(!err.message.includes(tmpdir()), err.message);
  await assert.rejects(importModelProject(home, { path: join(work, 'notes.txt') }), /notes\.txt is not an \.onnx file/);
  await assert.rejects(importModelProject(home, { path: join(work, 'missing.onnx') }), /cannot import .*missing\.onnx: .*no such file/);
  assert.ok(!existsSync(join(home, 'models', 'broken-1')));
});
