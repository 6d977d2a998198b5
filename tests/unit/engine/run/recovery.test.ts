import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, promises as fsp, readdirSync, readFileSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { templateById } from '../../../../src/shared/templates';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import { runRecordSchema, type RunRecord } from '../../../../src/shared/runs/runRecord';
import { keepsEpoch, pruneCheckpoints } from '../../../../src/main/runs/checkpoints';
import { recoverAtStartup } from '../../../../src/main/service/recovery';
import { LabService } from '../../../../src/main/service/labService';
import { callLab } from '../../../../src/main/util/labCall';
import { processAlive, removeStaleTemps } from '../../../../src/main/util/atomicWrite';

const tempDir = (name: string): string => mkdtempSync(join(tmpdir(), `netsmith-${name}-`));
/** The pid of a process that has exited: what a run's owner is after kill -9. */
const deadPid = (): number => {
  const pid = spawnSync(process.execPath, ['-e', '']).pid!;
  assert.equal(processAlive(pid), false);
  return pid;
};

function writeRun(runsDir: string, id: string, patch: Partial<RunRecord>): string {
  const dir = join(runsDir, id);
  mkdirSync(dir, { recursive: true });
  const record: RunRecord = {
    id,
    name: 'orphan · mnist',
    createdAt: '2026-12-01T10:00:00.000Z',
    updatedAt: '2026-12-01T10:05:00.000Z',
    state: 'running',
    dataset: 'mnist',
    epoch: 2,
    epochs: 5,
    step: 40,
    fallbackOps: [],
    checkpoints: {},
    config: { epochs: 5 },
    graph: templateById('lenet_mnist')!.build(),
    ...patch,
  };
  writeFileSync(join(dir, 'run.json'), JSON.stringify(record));
  return dir;
}

const readRecord = (dir: string): RunRecord => runRecordSchema.parse(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')));

function fakeCheckpoint(dir: string, name: string, epoch: number, step: number): void {
  const ck = join(dir, 'checkpoints', name);
  mkdirSync(ck, { recursive: true });
  for (const f of ['model.json', 'weights.bin', 'optimizer.json', 'optimizer.bin']) writeFileSync(join(ck, f), '{}');
  writeFileSync(join(ck, 'progress.json'), JSON.stringify({ epoch, step, metric: 1 }));
}

test('an orphaned run (run.json says running, its process is gone) becomes interrupted at startup', async () => {
  const runsDir = tempDir('runs');
  const pid = deadPid();
  const a = writeRun(runsDir, 'run-a', { state: 'running', pid, checkpoints: { last: 'epoch-2' } });
  fakeCheckpoint(a, 'epoch-2', 2, 40);
  // A kill mid-append leaves the last line without its newline.
  writeFileSync(join(a, 'metrics.jsonl'), '{"type":"step","step":40}\n{"type":"step","st');
  const b = writeRun(runsDir, 'run-b', { state: 'queued', epoch: 0, step: 0 }); // from before run.json named its process
  const c = writeRun(runsDir, 'run-c', { state: 'paused', pid });
  const done = writeRun(runsDir, 'run-d', { state: 'completed', epoch: 5 });
  // An earlier process that had this very pid (containers reuse pids across restarts).
  const e = writeRun(runsDir, 'run-e', { state: 'running', pid: process.pid, session: 'a-previous-one' });

  const reg = new RunRegistry(runsDir);
  const statuses: string[] = [];
  reg.onEvent((e) => e.type === 'run-status' && statuses.push(`${e.run.id}:${e.run.state}`));
  const report = await reg.recover();
  assert.deepEqual(report.interrupted.sort(), ['run-a', 'run-b', 'run-c', 'run-e']);
  assert.deepEqual(statuses.sort(), ['run-a:interrupted', 'run-b:interrupted', 'run-c:interrupted', 'run-e:interrupted'], 'an open window hears of it');
  assert.equal(readRecord(e).state, 'interrupted');
  assert.equal(readRecord(a).state, 'interrupted');
  assert.equal(readRecord(a).error, undefined);
  assert.match(readRecord(b).error!, /before the first checkpoint of this run: there is nothing to resume/);
  assert.equal(readRecord(c).state, 'interrupted');
  assert.equal(readRecord(done).state, 'completed');
  assert.ok(readFileSync(join(a, 'metrics.jsonl'), 'utf8').endsWith('"st\n'), 'the cut-off line is ended so the next append stands alone');
  const listed = await reg.listRuns();
  assert.deepEqual(listed.map((r) => `${r.id}:${r.state}`).sort(), ['run-a:interrupted', 'run-b:interrupted', 'run-c:interrupted', 'run-d:completed', 'run-e:interrupted']);

  // stop / pause on it answer what happened, not "is not running (running)".
  await assert.rejects(reg.controlRun({ id: 'run-a', action: 'stop' }), (e: Error) => {
    assert.match(e.message, /^run run-a is not running: it was interrupted when the lab closed, at epoch 2 of 5 \(resume continues it from its last checkpoint\)$/);
    return true;
  });
  await assert.rejects(reg.controlRun({ id: 'run-d', action: 'pause' }), /run run-d is not running: it completed all 5 epochs$/);
  await assert.rejects(reg.controlRun({ id: 'run-b', action: 'resume' }), /run run-b has no checkpoint to resume from/);
  await reg.dispose();
});

test('stop on an orphan before any recovery marks it interrupted and says so', async () => {
  const runsDir = tempDir('runs');
  writeRun(runsDir, 'run-x', { state: 'running', pid: deadPid() });
  const reg = new RunRegistry(runsDir);
  const r = await reg.controlRun({ id: 'run-x', action: 'stop' });
  assert.equal(r.state, 'interrupted');
  await assert.rejects(reg.controlRun({ id: 'run-x', action: 'stop' }), (e: Error) => !/\(running\)/.test(e.message) && /it was interrupted/.test(e.message));
});

test('a run that another live Netsmith process trains is left alone', async () => {
  const runsDir = tempDir('runs');
  const other = process.ppid; // alive, and not this process
  const dir = writeRun(runsDir, 'run-live', { state: 'running', pid: other });
  mkdirSync(join(dir, 'checkpoints', '.epoch-3.0123abcd.tmp'), { recursive: true });
  const reg = new RunRegistry(runsDir);
  const report = await reg.recover();
  assert.deepEqual(report.interrupted, []);
  assert.equal(readRecord(dir).state, 'running');
  assert.ok(existsSync(join(dir, 'checkpoints', '.epoch-3.0123abcd.tmp')), 'its checkpoint write in progress is not touched');
  await assert.rejects(reg.controlRun({ id: 'run-live', action: 'stop' }), new RegExp(`run run-live is training in another Netsmith process \\(pid ${other}\\); stop it there`));
});

test('startup removes temp files of interrupted atomic writes, and only those', async () => {
  const home = tempDir('home');
  const projects = join(home, 'projects');
  const runsDir = join(home, 'runs');
  mkdirSync(join(projects, 'sub'), { recursive: true });
  mkdirSync(join(home, 'experiments', 'results'), { recursive: true });
  const dead = deadPid();
  const hex = 'a1b2c3d4e5f6';
  const old = (p: string): string => (utimesSync(p, new Date(Date.now() - 3600_000), new Date(Date.now() - 3600_000)), p);
  const put = (p: string): string => (writeFileSync(p, 'x'.repeat(100)), p);
  const gone = [
    put(join(home, `.state.json.${dead}.${hex}.tmp`)), // its writer is dead
    old(put(join(home, `.autosave.json.${process.pid}.${hex}.tmp`))), // an hour old
    put(join(projects, 'sub', `.net.netsmith.json.${dead}.${hex}.tmp`)),
    put(join(home, 'experiments', 'results', `.r.json.${dead}.${hex}.tmp`)),
  ];
  const runDir = writeRun(runsDir, 'run-t', { state: 'stopped' });
  gone.push(put(join(runDir, `.run.json.${dead}.${hex}.tmp`)));
  mkdirSync(join(runDir, 'checkpoints', '.epoch-4.0a0b0c0d.tmp'), { recursive: true });
  writeFileSync(join(runDir, 'checkpoints', '.epoch-4.0a0b0c0d.tmp', 'weights.bin'), 'w');
  mkdirSync(join(runDir, 'checkpoints', '.last.0a0b0c0e.tmp.old'), { recursive: true });
  const kept = [
    put(join(home, `.state.json.${process.pid}.${hex}.tmp`)), // ours and fresh: a write in progress
    put(join(projects, 'notes.tmp')),
    put(join(projects, `.x.${dead}.short.tmp`)),
    put(join(projects, 'my.netsmith.json')),
  ];
  symlinkSync(join(projects, 'my.netsmith.json'), join(projects, `.link.${dead}.${hex}.tmp`));
  kept.push(join(projects, `.link.${dead}.${hex}.tmp`));
  mkdirSync(join(runsDir, 'empty-old'));
  old(join(runsDir, 'empty-old'));
  mkdirSync(join(runsDir, 'empty-new'));

  const report = await recoverAtStartup({ home, projectsDir: projects, runs: new RunRegistry(runsDir) });
  for (const p of gone) assert.equal(existsSync(p), false, p);
  for (const p of kept) assert.ok(existsSync(p), p);
  assert.deepEqual(readdirSync(join(runDir, 'checkpoints')), []);
  assert.equal(existsSync(join(runsDir, 'empty-old')), false);
  assert.ok(existsSync(join(runsDir, 'empty-new')), 'a folder being created right now is left alone');
  assert.equal(report.removedTemps.length, gone.length + 2);
  assert.match(report.summary, /^recovered: 7 leftover temp files of unfinished saves removed; 1 empty run folder removed$/);
  assert.deepEqual(await removeStaleTemps(home), [], 'idempotent');
});

test('checkpoints are kept by policy: best, last, the newest epoch and every Nth', async () => {
  assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12].filter((e) => keepsEpoch(e, 12, 5)), [5, 10, 12]);
  const dir = tempDir('ck');
  for (let e = 1; e <= 12; e++) fakeCheckpoint(dir, `epoch-${e}`, e, e * 10);
  fakeCheckpoint(dir, 'best', 7, 70);
  fakeCheckpoint(dir, 'last', 12, 120);
  const removed = await pruneCheckpoints(dir, { newest: 12, keepEvery: 5, protect: ['epoch-11'] });
  assert.deepEqual(removed.sort(), ['epoch-1', 'epoch-2', 'epoch-3', 'epoch-4', 'epoch-6', 'epoch-7', 'epoch-8', 'epoch-9'].sort());
  assert.deepEqual(readdirSync(join(dir, 'checkpoints')).sort(), ['best', 'epoch-10', 'epoch-11', 'epoch-12', 'epoch-5', 'last']);
});

test('a startRun that fails (full disk) leaves no run folder', async () => {
  const runsDir = tempDir('runs');
  const lenet = JSON.stringify(templateById('lenet_mnist')!.build());
  const reg = new RunRegistry(runsDir);
  const open = fsp.open;
  fsp.open = (async () => {
    throw Object.assign(new Error('ENOSPC: no space left on device'), { code: 'ENOSPC' });
  }) as typeof fsp.open;
  try {
    await assert.rejects(reg.startRun({ project: lenet, dataset: 'mnist', config: { epochs: 1 } }), /ENOSPC/);
  } finally {
    fsp.open = open;
  }
  assert.deepEqual(readdirSync(runsDir), []);
});

test('writeProject on a full disk: the project is saved, the failing recent list is a warning', async () => {
  const home = tempDir('home');
  const service = new LabService({ kind: 'browser', home });
  const open = fsp.open;
  fsp.open = (async (path: Parameters<typeof fsp.open>[0], ...rest: unknown[]) => {
    if (String(path).includes('state.json')) throw Object.assign(new Error('ENOSPC: no space left on device, open'), { code: 'ENOSPC' });
    return (open as (...a: unknown[]) => ReturnType<typeof fsp.open>)(path, ...rest);
  }) as typeof fsp.open;
  try {
    const entry = await service.writeProject({ path: 'deep/net', text: '{"hello":1}' });
    assert.equal(entry.path, 'deep/net.netsmith.json');
    assert.equal(entry.warning, 'Saved, but the recent-projects list could not be updated (the disk is full)');
    assert.equal(readFileSync(join(home, 'projects', 'deep', 'net.netsmith.json'), 'utf8'), '{"hello":1}');
    const read = await service.readProject({ path: 'deep/net' });
    assert.equal(read.text, '{"hello":1}', 'reading works on a full disk too');
  } finally {
    fsp.open = open;
  }
  const ok = await service.writeProject({ path: 'deep/net', text: '{"hello":2}' });
  assert.equal(ok.warning, undefined);
  assert.deepEqual(await service.recentProjects(), ['deep/net.netsmith.json']);
  await service.dispose();
});

test('startRun through the API: broken projects are clear client errors, never internal', async () => {
  const home = tempDir('home');
  const service = new LabService({ kind: 'browser', home, runs: new RunRegistry(join(home, 'runs')) });
  const deep = `{"schemaVersion":2,"meta":${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}}`;
  const cases: [string, RegExp][] = [
    ['{"edges":[null]}', /edges\[0\]: Invalid input: expected object, received null/],
    ['{"edges":"ab"}', /edges: Invalid input: expected array/],
    ['{"edges":{}}', /edges: /],
    ['{"schemaVersion":"x","nodes":3}', /schemaVersion: must be a whole number from 1 to 2 \(found "x"\)/],
    ['{"format":"netsmith.project","graph":{"schemaVersion":2,"meta":5,"nodes":"a","edges":7}}', /meta: .*nodes: .*edges: /],
    [deep, /nests deeper than 64 levels/],
    ['null', /expected a graph object/],
  ];
  for (const [project, message] of cases) {
    const reply = await callLab(service, 'startRun', { project, dataset: 'mnist' });
    assert.ok('error' in reply, project.slice(0, 40));
    if (!('error' in reply)) continue;
    assert.equal(reply.error.code, 'invalid-project', `${project.slice(0, 40)}: ${reply.error.message}`);
    assert.match(reply.error.message, /^The project cannot be trained: /);
    assert.match(reply.error.message, message);
  }
  let augment: Record<string, unknown> = {};
  const config = { epochs: 1, augment };
  for (let i = 0; i < 100_000; i++) augment = (augment.x = {}) as Record<string, unknown>;
  const lenet = JSON.stringify(templateById('lenet_mnist')!.build());
  const reply = await callLab(service, 'startRun', { project: lenet, dataset: 'mnist', config });
  assert.ok('error' in reply && reply.error.code === 'invalid-config', JSON.stringify(reply).slice(0, 300));
  assert.match(reply.error.message, /^Invalid training settings: augment\.x\.x.*: the document nests deeper than 32 levels; settings need far fewer$/);
  assert.deepEqual(existsSync(join(home, 'runs')) ? readdirSync(join(home, 'runs')) : [], [], 'no run folder for a refused start');
  await service.dispose();
});

test('a recovery that fails does not keep the lab from starting; it says what it could not do', async () => {
  const home = tempDir('home');
  const report = await recoverAtStartup({ home, projectsDir: join(home, 'projects'), runs: { recover: () => Promise.reject(new Error('EACCES: permission denied, scandir')) } });
  assert.equal(report.summary, 'startup recovery: could not recover the runs folder: EACCES: permission denied, scandir');
});
