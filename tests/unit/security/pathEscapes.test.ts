/* eslint-disable @typescript-eslint/no-explicit-any -- JSON replies are inspected loosely */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { RunExporter } from '../../../src/main/service/exports';
import { LabService } from '../../../src/main/service/labService';
import { RunRegistry } from '../../../src/main/service/runs/registry';
import { callLab } from '../../../src/main/util/labCall';
import { checkpointDir, childPath, displayPath, redactPaths } from '../../../src/main/util/paths';
import { LabError } from '../../../src/shared/api';
import { FOLDER_NAME_PATTERN, isRunId } from '../../../src/shared/ids';
import { templateById } from '../../../src/shared/templates';
import { startTestHost, type TestHost } from '../host/serverHelpers';

const temp = (name: string): string => mkdtempSync(join(tmpdir(), `netsmith-${name}-`));
const isCode = (code: string) => (e: unknown) => e instanceof LabError && e.code === code;
/** Whether `text` shows `path` as an absolute path (a `…/tail` display is fine). */
const leaks = (text: string, path: string): boolean => new RegExp(`(?<!…)${path.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`).test(text);
const graph = templateById('lenet_mnist')!.build();

/** A run folder as the registry writes it, with a `best` checkpoint folder (no real model: the path checks come first). */
function fakeRun(runs: string, id: string, checkpoints: Record<string, string> = { best: 'best' }): string {
  const dir = join(runs, id);
  mkdirSync(join(dir, 'checkpoints', 'best'), { recursive: true });
  const now = new Date().toISOString();
  writeFileSync(join(dir, 'run.json'), JSON.stringify({ id, name: id, createdAt: now, updatedAt: now, state: 'completed', dataset: 'mnist', epoch: 1, epochs: 1, step: 1, fallbackOps: [], checkpoints, config: {}, graph }));
  return dir;
}

describe('one folder-name rule for run ids and checkpoints', () => {
  test('accepts run ids and checkpoint names the lab makes; refuses ., .., separators, NUL, empty, hidden', () => {
    for (const ok of ['20261203-153901-a1b2c3', 'best', 'last', 'epoch-12', 'my_run.v2']) assert.ok(isRunId(ok), ok);
    for (const bad of ['', '.', '..', '.hidden', '../x', 'a/b', 'a\\b', 'a\0b', '/etc', 'x'.repeat(201), ' a', 'a b', '~']) assert.ok(!isRunId(bad), JSON.stringify(bad));
    assert.throws(() => childPath('/r', '..'), isCode('bad-id'));
  });

  test('no other run-id regex is left in the sources', () => {
    const hits: string[] = [];
    const walk = (dir: string): void => {
      for (const e of readdirSync(dir, { withFileTypes: true })) {
        const p = join(dir, e.name);
        if (e.isDirectory()) walk(p);
        else if (/\.tsx?$/.test(e.name) && /\^\[\\w\.-\]\+\$|\[A-Za-z0-9\]\[\\w\.-\]\*\$/.test(readFileSync(p, 'utf8'))) hits.push(p);
      }
    };
    walk('src');
    assert.deepEqual(hits, []);
    assert.equal(FOLDER_NAME_PATTERN.test('..'), false);
  });
});

describe('runs: ids and checkpoints stay inside the runs folder', () => {
  const home = temp('escape-runs');
  const runs = join(home, 'runs');
  const outside = temp('escape-outside');
  before(() => {
    fakeRun(runs, 'r1');
    // What an attacker wants exported or read: a run-like folder outside the run.
    fakeRun(outside, 'x');
    writeFileSync(join(home, 'run.json'), JSON.stringify({ id: 'home', secret: true }));
  });

  test('exportRun with checkpoint "../../../../tmp/x" is refused by the API and by the exporter', async () => {
    const service = new LabService({ kind: 'browser', home, exporter: new RunExporter({ runsDir: runs }) });
    const reply: any = await callLab(service, 'exportRun', { id: 'r1', format: 'tfjs', checkpoint: '../../../../tmp/x' });
    assert.equal(reply.error.code, 'bad-args');
    assert.match(reply.error.message, /field checkpoint: a checkpoint name/);
    const exporter = new RunExporter({ runsDir: runs });
    await assert.rejects(exporter.exportRun({ id: 'r1', format: 'tfjs', checkpoint: `../../../..${outside}/x/checkpoints/best` }), isCode('bad-id'));
    assert.equal(existsSync(join(runs, 'r1', 'exports')), false, 'nothing written');
  });

  test('a run record naming a checkpoint outside, or a symlinked checkpoint, is refused', async () => {
    const dir = fakeRun(runs, 'r2', { best: '../../../x' });
    await assert.rejects(checkpointDir(dir, '../../../x'), isCode('bad-id'));
    const exporter = new RunExporter({ runsDir: runs });
    await assert.rejects(exporter.exportRun({ id: 'r2', format: 'onnx', checkpoint: 'best' }), isCode('bad-id'));
    const r3 = fakeRun(runs, 'r3');
    symlinkSync(join(outside, 'x', 'checkpoints', 'best'), join(r3, 'checkpoints', 'evil'));
    await assert.rejects(checkpointDir(r3, 'evil'), isCode('bad-path'));
    await assert.rejects(exporter.exportRun({ id: 'r3', format: 'onnx', checkpoint: 'evil' }), (e: unknown) => isCode('bad-path')(e) && !leaks((e as Error).message, outside));
  });

  test('runDetail {"id":".."} does not read NETSMITH_HOME/run.json', async () => {
    const registry = new RunRegistry(runs);
    const service = new LabService({ kind: 'browser', home, runs: registry });
    for (const id of ['..', '.', '../r1', 'r1/..', '']) {
      const reply: any = await callLab(service, 'runDetail', { id });
      assert.equal(reply.error?.code, 'bad-args', id);
      assert.ok(!JSON.stringify(reply).includes('secret'), id);
    }
    await assert.rejects(registry.runDetail({ id: '..' }), isCode('bad-id'));
    for (const method of ['runSamples', 'controlRun', 'predict', 'attentionMaps'] as const) {
      const arg = { id: '..', indices: [], action: 'stop', image: { sampleIndex: 0 } };
      const reply: any = await callLab(service, method, arg);
      assert.equal(reply.error?.code, 'bad-args', method);
    }
    await registry.dispose();
  });
});

describe('projects: no side effects through a symlink', () => {
  test('writeProject through a symlinked folder creates nothing outside before refusing', async () => {
    const home = temp('escape-proj');
    const outside = temp('escape-proj-out');
    mkdirSync(join(home, 'projects'), { recursive: true });
    symlinkSync(outside, join(home, 'projects', 'link'));
    const service = new LabService({ kind: 'browser', home });
    const reply: any = await callLab(service, 'writeProject', { path: 'link/deep/er/x', text: '{}' });
    assert.equal(reply.error.code, 'bad-path');
    assert.deepEqual(readdirSync(outside), [], 'no folder was created outside');
    assert.ok(!leaks(reply.error.message, outside), reply.error.message);
    assert.ok(!leaks(reply.error.message, home), reply.error.message);
    // A dangling symlink is refused as well.
    symlinkSync(join(outside, 'gone'), join(home, 'projects', 'dangling'));
    const dangling: any = await callLab(service, 'writeProject', { path: 'dangling/x', text: '{}' });
    assert.equal(dangling.error.code, 'bad-path');
    assert.equal(existsSync(join(outside, 'gone')), false);
  });
});

describe('static files: symlinks out of the renderer folder', () => {
  let host: TestHost;
  before(async () => {
    host = await startTestHost();
    const home = join(host.staticDir, '..');
    symlinkSync(join(home, 'secret.txt'), join(host.staticDir, 'leak.txt'));
    symlinkSync(home, join(host.staticDir, 'up'));
  });
  after(() => host.close());

  test('are not followed', async () => {
    for (const path of ['/leak.txt', '/up/secret.txt']) {
      const res = await fetch(`${host.base}${path}`);
      const text = await res.text();
      assert.equal(res.status, 404, path);
      assert.ok(!text.includes('secret'), path);
    }
    assert.equal((await fetch(`${host.base}/assets/app.js`)).status, 200);
  });

  test('hostInfo and errors carry no absolute paths', async () => {
    const info: any = await (await fetch(`${host.base}/api/hostInfo`, { method: 'POST', headers: { 'x-netsmith-token': host.server.token } })).json();
    assert.equal(info.result.projectsDir, 'projects');
    const home = join(host.staticDir, '..');
    const res = await fetch(`${host.base}/api/readProject`, { method: 'POST', headers: { 'x-netsmith-token': host.server.token }, body: JSON.stringify({ path: 'nope' }) });
    const body = await res.text();
    assert.ok(!leaks(body, home), body);
  });
});

describe('display paths', () => {
  test('relative to the lab folder or ~, never absolute', () => {
    const lab = temp('display');
    assert.equal(displayPath(join(lab, 'runs', 'a', 'run.json'), lab), 'runs/a/run.json');
    assert.equal(displayPath(join(homedir(), 'photos', 'cats'), lab), '~/photos/cats');
    assert.equal(displayPath('/srv/data/sets/pets', lab), '…/sets/pets');
    const message = redactPaths(`cannot open ${join(lab, 'runs', 'x')}: ENOENT, open '/srv/a/b.json'. See ws://127.0.0.1:80/ws`, lab);
    assert.equal(message, "cannot open runs/x: ENOENT, open '…/a/b.json'. See ws://127.0.0.1:80/ws");
    assert.ok(!relative(lab, lab).includes(sep));
  });
});

describe('dataset folders: the home folder plus folders the user adds', () => {
  const home = temp('roots');
  const userHome = temp('roots-user');
  const elsewhere = temp('roots-elsewhere');
  mkdirSync(join(userHome, 'photos'));
  symlinkSync(elsewhere, join(userHome, 'link-out'));
  const service = (): LabService => new LabService({ kind: 'browser', home, userHome });

  test('folders outside the roots are refused before anything is read', async () => {
    const lab = service();
    // 'src' is a folder in the working folder: a bare word naming a folder is a path like any other.
    for (const id of ['src', '/etc', 'folder:/etc/ssh', `folder:${elsewhere}`, `${userHome}/../`, `${userHome}/link-out`, '/proc/self']) {
      for (const method of ['datasetPreview', 'augmentPreview'] as const) {
        const reply: any = await callLab(lab, method, { id });
        assert.equal(reply.error?.code, 'outside-roots', `${method} ${id}: ${JSON.stringify(reply)}`);
        assert.ok(!leaks(reply.error.message, elsewhere), reply.error.message);
      }
      const start: any = await callLab(lab, 'startRun', { project: '{}', dataset: id });
      assert.equal(start.error?.code, 'outside-roots', id);
    }
    // Inside the home folder and built-in sets pass the check (then meet the engine, absent here).
    assert.equal(((await callLab(lab, 'datasetPreview', { id: `folder:${userHome}/photos` })) as any).error.code, 'no-engine');
    assert.equal(((await callLab(lab, 'datasetPreview', { id: 'mnist' })) as any).error.code, 'no-engine');
    assert.equal(((await callLab(lab, 'datasetPreview', { id: 'cifar-typo' })) as any).error.code, 'no-engine', 'an unknown name reaches the engine (which says "unknown dataset")');
  });

  test('addDatasetRoot allows a folder, persists it, and refuses the whole machine', async () => {
    const lab = service();
    const added: any = await callLab(lab, 'addDatasetRoot', { path: elsewhere });
    assert.ok(added.result.roots.length === 2, JSON.stringify(added));
    assert.equal(((await callLab(lab, 'datasetPreview', { id: `folder:${elsewhere}` })) as any).error.code, 'no-engine');
    // Kept in state.json: a new service (a restarted host) still allows it.
    assert.equal(((await callLab(service(), 'datasetPreview', { id: `${userHome}/link-out` })) as any).error.code, 'no-engine');
    for (const [path, code] of [['/', 'forbidden'], ['/etc', 'forbidden'], ['/proc', 'forbidden'], ['relative/dir', 'bad-path'], [join(elsewhere, 'missing'), 'not-found'], [join(home, 'state.json'), 'not-a-folder'], [join(userHome, '..'), 'forbidden']] as const) {
      const reply: any = await callLab(lab, 'addDatasetRoot', { path });
      assert.equal(reply.error?.code, code, `${path}: ${JSON.stringify(reply)}`);
    }
  });
});
