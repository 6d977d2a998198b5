import { emptyGraph } from '../../../src/renderer/core/state';
import { test, mock } from 'node:test';
import assert from 'node:assert/strict';
import { promises as fsp, mkdtempSync, readdirSync, symlinkSync, mkdirSync, writeFileSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError, type LabEvent } from '../../../src/shared/api';
import { LabService } from '../../../src/main/service/labService';
import type { RunManager } from '../../../src/main/service/runManager';
import { atomicWrite } from '../../../src/main/util/atomicWrite';

function tempHome(): string {
  return mkdtempSync(join(tmpdir(), 'netsmith-svc-'));
}

function service(home = tempHome(), runs?: RunManager): LabService {
  return new LabService({ kind: 'browser', home, version: '9.9.9', runs });
}

test('writes, lists and reads projects by relative path', async () => {
  const lab = service();
  const entry = await lab.writeProject({ path: 'nets/lenet', text: '{"a":1}' });
  assert.equal(entry.path, 'nets/lenet.netsmith.json');
  assert.equal(entry.name, 'lenet');
  assert.equal(entry.size, 7);
  await lab.writeProject({ path: 'b.netsmith.json', text: '{}' });
  const list = await lab.listProjects();
  assert.deepEqual(list.map((p) => p.path), ['b.netsmith.json', 'nets/lenet.netsmith.json']);
  assert.deepEqual(await lab.readProject({ path: 'nets/lenet.netsmith.json' }), { path: 'nets/lenet.netsmith.json', text: '{"a":1}' });
});

test('hostInfo reports the kind, version and projects folder', async () => {
  const home = tempHome();
  const info = await service(home).hostInfo();
  assert.deepEqual(info, { kind: 'browser', version: '9.9.9', projectsDir: 'projects' });
});

test('an atomic write leaves no temp file behind', async () => {
  const lab = service();
  await lab.writeProject({ path: 'x', text: 'one' });
  await lab.writeProject({ path: 'x', text: 'two' });
  assert.deepEqual(readdirSync(lab.projects.root), ['x.netsmith.json']);
  assert.equal((await lab.readProject({ path: 'x' })).text, 'two');
});

test('a crash mid-write (the rename fails) keeps the old file intact and cleans up', async () => {
  const lab = service();
  await lab.writeProject({ path: 'keep', text: 'old content' });
  const rename = mock.method(fsp, 'rename', async () => {
    throw Object.assign(new Error('simulated crash'), { code: 'EIO' });
  });
  try {
    await assert.rejects(lab.writeProject({ path: 'keep', text: 'new content' }), /simulated crash/);
  } finally {
    rename.mock.restore();
  }
  assert.equal(readFileSync(join(lab.projects.root, 'keep.netsmith.json'), 'utf8'), 'old content');
  assert.deepEqual(readdirSync(lab.projects.root), ['keep.netsmith.json']);
});

test('atomicWrite replaces content and refuses to leave partial files', async () => {
  const dir = tempHome();
  const file = join(dir, 'f.json');
  await atomicWrite(file, 'a');
  await atomicWrite(file, new Uint8Array([98]));
  assert.equal(readFileSync(file, 'utf8'), 'b');
  assert.deepEqual(readdirSync(dir), ['f.json']);
});

test('paths escaping the projects folder are refused', async () => {
  const lab = service();
  for (const path of ['../evil', 'a/../../evil', '/etc/passwd', 'C:\\Windows\\x', '..\\evil', 'a/\0b', '.']) {
    await assert.rejects(lab.writeProject({ path, text: 'x' }), (err: unknown) => err instanceof LabError && err.code === 'bad-path', path);
    await assert.rejects(lab.readProject({ path }), (err: unknown) => err instanceof LabError && err.code === 'bad-path', path);
  }
});

test('a symlink out of the projects folder is refused', async () => {
  const home = tempHome();
  const outside = tempHome();
  writeFileSync(join(outside, 'secret.netsmith.json'), 'secret');
  mkdirSync(join(home, 'projects'), { recursive: true });
  symlinkSync(outside, join(home, 'projects', 'link'));
  const lab = service(home);
  await assert.rejects(lab.readProject({ path: 'link/secret' }), (err: unknown) => err instanceof LabError && err.code === 'bad-path');
  await assert.rejects(lab.writeProject({ path: 'link/other', text: 'x' }), (err: unknown) => err instanceof LabError && err.code === 'bad-path');
  assert.deepEqual(readdirSync(outside), ['secret.netsmith.json']);
});

test('reading a missing project is a not-found LabError', async () => {
  await assert.rejects(service().readProject({ path: 'nope' }), (err: unknown) => err instanceof LabError && err.code === 'not-found');
});

test('recent projects: newest first, deduplicated, persisted in state.json, missing files dropped', async () => {
  const home = tempHome();
  const lab = service(home);
  const changes: string[][] = [];
  lab.onRecentChange((r) => changes.push(r));
  await lab.writeProject({ path: 'a', text: '1' });
  await lab.writeProject({ path: 'b', text: '2' });
  await lab.readProject({ path: 'a' });
  assert.deepEqual(await lab.recentProjects(), ['a.netsmith.json', 'b.netsmith.json']);
  assert.equal(changes.length, 3);
  assert.deepEqual(JSON.parse(readFileSync(join(home, 'state.json'), 'utf8')).recent, ['a.netsmith.json', 'b.netsmith.json']);

  await fsp.rm(join(home, 'projects', 'b.netsmith.json'));
  const reopened = service(home);
  assert.deepEqual(await reopened.recentProjects(), ['a.netsmith.json']);
});

test('autosave: write, read, clear', async () => {
  const lab = service();
  assert.equal(await lab.readAutosave(), null);
  await lab.writeAutosave({ text: '{"graph":1}' });
  const saved = await lab.readAutosave();
  assert.equal(saved?.text, '{"graph":1}');
  assert.ok(!Number.isNaN(Date.parse(saved?.savedAt ?? '')));
  await lab.clearAutosave();
  assert.equal(await lab.readAutosave(), null);
  await lab.clearAutosave(); // clearing twice is fine
});

test('a corrupt autosave reads as none', async () => {
  const home = tempHome();
  writeFileSync(join(home, 'autosave.json'), '{"text": 1');
  assert.equal(await service(home).readAutosave(), null);
});

test('without an engine, run methods fail with no-engine', async () => {
  const lab = service();
  for (const call of [() => lab.listDatasets(), () => lab.listRuns(), () => lab.startRun({ project: '{}', dataset: 'mnist' }), () => lab.controlRun({ id: 'r', action: 'stop' })]) {
    await assert.rejects(call(), (err: unknown) => err instanceof LabError && err.code === 'no-engine' && /not connected/.test(err.message));
  }
});

test('run calls are delegated to the RunManager and its events reach subscribers', async () => {
  let emitRun: (e: LabEvent) => void = () => undefined;
  const run = { id: 'r1', name: 'r1', state: 'running' as const, createdAt: 'now', dataset: 'mnist', epoch: 0, epochs: 1, step: 0 };
  const runs: RunManager = {
    listDatasets: async () => [],
    startRun: async (a) => ({ ...run, dataset: a.dataset, name: JSON.stringify(a.config) }),
    controlRun: async (a) => ({ ...run, id: a.id, state: 'stopped' }),
    listRuns: async () => [run],
    datasetPreview: async () => ({ dataset: { id: 'd', name: 'd', task: 'classification', shape: [1, 1, 1], classes: ['a', 'b'], sizes: { train: 1, val: 0, test: 0 } }, counts: [1, 0], samples: [] }),
    augmentPreview: async () => ({ items: [] }),
    runDetail: async () => ({ summary: run, config: {}, graph: emptyGraph(), events: [] }),
    runSamples: async (a) => ({ images: a.indices.map((index) => ({ index, label: 0, image: '' })) }),
    onEvent: (listener) => {
      emitRun = listener;
      return () => undefined;
    },
    backendName: async () => 'cpu',
  };
  const lab = service(tempHome(), runs);
  assert.equal((await lab.startRun({ project: '{}', dataset: 'cifar' })).name, '{}');
  assert.deepEqual((await lab.runSamples({ id: 'r1', indices: [3, 5] })).images.map((i) => i.index), [3, 5]);
  assert.deepEqual((await lab.datasetPreview({ id: 'd' })).counts, [1, 0]);
  assert.equal((await lab.controlRun({ id: 'r9', action: 'stop' })).state, 'stopped');
  assert.equal((await lab.hostInfo()).backend, 'cpu');
  const seen: LabEvent[] = [];
  const off = lab.subscribe((e) => seen.push(e));
  lab.subscribe(() => {
    throw new Error('a broken listener does not stop the others');
  });
  const consoleError = mock.method(console, 'error', () => undefined);
  emitRun({ type: 'run-status', run });
  off();
  emitRun({ type: 'run-status', run });
  consoleError.mock.restore();
  assert.equal(seen.length, 1);
});
