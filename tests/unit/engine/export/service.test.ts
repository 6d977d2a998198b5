import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { saveToMemory } from '../../../../src/main/engine/compile/artifacts';
import { EXPORT_FORMATS as ENGINE_FORMATS } from '../../../../src/main/engine/export';
import { RunExporter } from '../../../../src/main/service/exports';
import { LabService } from '../../../../src/main/service/labService';
import { checkpointModelFiles, writeCheckpoint } from '../../../../src/main/runs/checkpoints';
import type { RunRecord } from '../../../../src/shared/runs/runRecord';
import { callLab } from '../../../../src/main/util/labCall';
import { EXPORT_FORMATS, LabError } from '../../../../src/shared/api';
import { GraphBuilder } from '../../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { compiledWithStats, templateGraph } from './helpers';

const work = mkdtempSync(join(tmpdir(), 'netsmith-export-service-'));
const runs = join(work, 'runs');
let lenet: GraphDoc;

/** A run folder as the registry writes it: checkpoints `best` and `epoch-2` (the latest), or none. */
async function fakeRun(id: string, graph: GraphDoc, model?: tf.LayersModel): Promise<void> {
  const dir = join(runs, id);
  mkdirSync(dir, { recursive: true });
  if (model) {
    const files = checkpointModelFiles(await saveToMemory(model));
    for (const name of ['best', 'epoch-2']) await writeCheckpoint(dir, name, { ...files, optimizer: { name: 'adam', step: 1, slots: {} }, progress: { epoch: 2, step: 2, metric: 0 } });
  }
  const now = new Date().toISOString();
  const record: RunRecord = { id, name: id, createdAt: now, updatedAt: now, state: model ? 'completed' : 'running', dataset: 'mnist', epoch: 2, epochs: 2, step: 2, fallbackOps: [], checkpoints: model ? { best: 'best', last: 'epoch-2' } : {}, config: {}, graph };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
}

before(async () => {
  await tf.setBackend('cpu');
  lenet = templateGraph('lenet_mnist');
  const model = compiledWithStats(lenet).model;
  await fakeRun('done', lenet, model);
  await fakeRun('fresh', lenet);
  model.dispose();
  const b = new GraphBuilder({ name: 'conv-bn', input: [8, 8, 1] });
  let x = b.add('core/conv2d', { filters: 4, kernel: 3 }, b.input());
  x = b.add('norm/batchnorm', {}, x);
  x = b.add('act/relu', {}, x);
  x = b.add('reshape/flatten', {}, x);
  b.add('head/classify', { classes: 3 }, x);
  const convBn = b.build();
  const bnModel = compiledWithStats(convBn).model;
  await fakeRun('convbn', convBn, bnModel);
  bnModel.dispose();
});
after(() => rmSync(work, { recursive: true, force: true }));

const exportsOf = (id: string): string[] => (existsSync(join(runs, id, 'exports')) ? readdirSync(join(runs, id, 'exports')) : []);

describe('exportRun (browser host: under the run folder, contents returned)', () => {
  const exporter = new RunExporter({ runsDir: runs });

  test('ONNX of the best checkpoint: the file list with sizes and contents, written under runs/<id>/exports/', async () => {
    const r = await exporter.exportRun({ id: 'done', format: 'onnx' });
    assert.equal(r.checkpoint, 'best');
    assert.match(r.dir, /^runs\/done\/exports\/onnx-\d{4}-\d\d-\d\dT[\d-]+Z$/);
    assert.deepEqual(r.files.map((f) => f.name), ['README.md', 'labels.txt', 'model-info.json', 'model.onnx']);
    const onDisk = join(runs, 'done', 'exports', r.dir.split('/').pop()!);
    for (const f of r.files) {
      const bytes = readFileSync(join(onDisk, f.name));
      assert.equal(f.size, bytes.length);
      assert.ok(f.size > 0);
      assert.equal(Buffer.from(f.data!, 'base64').compare(bytes), 0, `${f.name}: returned contents differ from the file`);
    }
  });

  test("'last' resolves to the run's latest checkpoint folder", async () => {
    const r = await exporter.exportRun({ id: 'done', format: 'tfjs', checkpoint: 'last', fuseBatchNorm: false });
    assert.equal(r.checkpoint, 'epoch-2');
    assert.ok(r.files.some((f) => f.name === 'model.json') && r.files.some((f) => f.name === 'weights.bin'));
  });

  test('fuseBatchNorm reaches the ONNX exporter: the BatchNorm is folded away', async () => {
    const plain = await exporter.exportRun({ id: 'convbn', format: 'onnx' });
    const fused = await exporter.exportRun({ id: 'convbn', format: 'onnx', fuseBatchNorm: true });
    const size = (r: typeof plain): number => r.files.find((f) => f.name === 'model.onnx')!.size;
    assert.ok(size(fused) < size(plain), `fused ${size(fused)} B, plain ${size(plain)} B`);
  });

  test('graph: the project file and network.svg, even without a checkpoint', async () => {
    const r = await exporter.exportRun({ id: 'fresh', format: 'graph' });
    assert.deepEqual(r.files.map((f) => f.name), ['network.svg', 'project.json']);
    const svg = Buffer.from(r.files[0].data!, 'base64').toString('utf8');
    assert.match(svg, /^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
    assert.ok(svg.includes('conv1'));
    assert.equal(JSON.parse(Buffer.from(r.files[1].data!, 'base64').toString('utf8')).graph.meta.name, lenet.meta.name);
  });

  test('a run without a finished checkpoint: a LabError with the exporter message, no folder left', async () => {
    const before = exportsOf('fresh');
    await assert.rejects(exporter.exportRun({ id: 'fresh', format: 'onnx' }), (e: Error) => e instanceof LabError && e.code === 'no-checkpoint' && /^run fresh has no finished checkpoint yet \(state: running\)/.test(e.message));
    await assert.rejects(exporter.exportRun({ id: 'fresh', format: 'pytorch', checkpoint: 'best' }), (e: Error) => e instanceof LabError && /^run fresh has no best checkpoint yet \(state: running\)/.test(e.message));
    assert.deepEqual(exportsOf('fresh'), before);
    assert.ok(exportsOf('fresh').every((n) => !n.startsWith('.')));
  });

  test('an unknown run and a path for an id are refused', async () => {
    await assert.rejects(exporter.exportRun({ id: 'nope', format: 'onnx' }), (e: Error) => e instanceof LabError && e.code === 'not-found' && e.message === "no run 'nope'");
    await assert.rejects(exporter.exportRun({ id: '../runs/done', format: 'graph' }), (e: Error) => e instanceof LabError && e.code === 'bad-id');
    await assert.rejects(exporter.exportRun({ id: '..', format: 'graph' }), (e: Error) => e instanceof LabError && e.code === 'bad-id');
  });
});

describe('exportRun (Electron: a folder the user picks)', () => {
  test('an empty folder is used as is; a full one gets <run>-<format>, then -2', async () => {
    const empty = join(work, 'picked-empty');
    mkdirSync(empty);
    const titles: string[] = [];
    const exporter = new RunExporter({ runsDir: runs, pickFolder: async (title) => (titles.push(title), empty) });
    const first = await exporter.exportRun({ id: 'done', format: 'onnx' });
    assert.equal(first.dir, empty);
    assert.deepEqual(readdirSync(empty).sort(), ['README.md', 'labels.txt', 'model-info.json', 'model.onnx']);
    assert.ok(first.files.every((f) => f.data === undefined && f.size > 0), 'Electron gets sizes, not contents');
    assert.match(titles[0], /Export run done \(onnx\)/);
    const second = await exporter.exportRun({ id: 'done', format: 'onnx' });
    assert.equal(second.dir, join(empty, 'done-onnx'));
    const third = await exporter.exportRun({ id: 'done', format: 'onnx' });
    assert.equal(third.dir, join(empty, 'done-onnx-2'));
  });

  test('a cancelled pick writes nothing', async () => {
    const exporter = new RunExporter({ runsDir: runs, pickFolder: async () => null });
    assert.deepEqual(await exporter.exportRun({ id: 'done', format: 'onnx' }), { format: 'onnx', dir: '', files: [], cancelled: true });
  });

  test('a folder that cannot be written: the clear message, nothing left beside it', async () => {
    const file = join(work, 'not-a-folder');
    writeFileSync(file, 'x');
    const exporter = new RunExporter({ runsDir: runs, pickFolder: async () => file });
    await assert.rejects(exporter.exportRun({ id: 'done', format: 'onnx' }), (e: Error) => e instanceof LabError && e.code === 'export-failed' && /cannot write to .*not-a-folder: (ENOTDIR|EEXIST)/.test(e.message));
    assert.deepEqual(readdirSync(work).filter((n) => n.startsWith('.')), []);
  });

  test('the exporter checks the checkpoint before asking for a folder', async () => {
    let asked = 0;
    const exporter = new RunExporter({ runsDir: runs, pickFolder: async () => (asked++, work) });
    await assert.rejects(exporter.exportRun({ id: 'fresh', format: 'onnx', checkpoint: 'last' }), /no last checkpoint/);
    assert.equal(asked, 0);
  });
});

describe('LabService.exportRun', () => {
  test('validated like every LabApi call; without an exporter: no-engine', async () => {
    assert.deepEqual([...EXPORT_FORMATS], [...ENGINE_FORMATS]);
    const service = new LabService({ kind: 'browser', home: join(work, 'home'), exporter: new RunExporter({ runsDir: runs }) });
    const bad = await callLab(service, 'exportRun', { id: 'done', format: 'keras' });
    assert.ok('error' in bad && bad.error.code === 'bad-args' && /format/.test(bad.error.message), JSON.stringify(bad));
    const ok = await callLab(service, 'exportRun', { id: 'fresh', format: 'graph' });
    assert.ok('result' in ok, JSON.stringify(ok).slice(0, 200));
    const failed = await callLab(service, 'exportRun', { id: 'fresh', format: 'onnx' });
    assert.ok('error' in failed && failed.error.code === 'no-checkpoint' && /no finished checkpoint/.test(failed.error.message));
    const bare = new LabService({ kind: 'browser', home: join(work, 'home2') });
    await assert.rejects(bare.exportRun({ id: 'done', format: 'onnx' }), (e: Error) => e instanceof LabError && e.code === 'no-engine');
  });
});
