import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { loadCheckpointModel } from '../../../../src/main/engine/compile/artifacts';
import { readCheckpoint, readCheckpointModel, writeCheckpoint } from '../../../../src/main/runs/checkpoints';
import { CheckpointError, RunStore } from '../../../../src/main/runs/runStore';
import { LabError, type LabEvent } from '../../../../src/shared/api';
import { isActive, RUN_STATES, runRecordSchema, summaryOf, type RunRecord } from '../../../../src/shared/runs/runRecord';
import { templateById } from '../../../../src/shared/templates';

const work = mkdtempSync(join(tmpdir(), 'netsmith-runstore-'));
after(() => rmSync(work, { recursive: true, force: true }));

function record(id: string, patch: Partial<RunRecord> = {}): RunRecord {
  const now = new Date().toISOString();
  return { id, name: id, createdAt: now, updatedAt: now, state: 'queued', dataset: 'mnist', epoch: 0, epochs: 2, step: 0, fallbackOps: [], checkpoints: {}, config: {}, graph: templateById('lenet_mnist')!.build(), ...patch };
}

test('isActive: starting, running and paused runs are active, nothing else', () => {
  assert.deepEqual(RUN_STATES.filter(isActive), ['queued', 'running', 'paused']);
  assert.equal(isActive(undefined), false);
  assert.equal(isActive(null), false);
});

test('one run-id rule: ids with separators, `.` or `..` are refused before any file is touched', async () => {
  const store = new RunStore(join(work, 'runs-ids'));
  for (const bad of ['..', '.', '../x', 'a/b', 'a\\b', '.hidden', '', 'a\0b']) {
    assert.throws(() => store.dir(bad), (e: unknown) => e instanceof LabError && e.code === 'bad-id', `'${bad}' is refused`);
    assert.equal(store.has(bad), false);
  }
  await assert.rejects(store.read('..'), (e: unknown) => e instanceof LabError && e.code === 'bad-id');
  assert.equal(runRecordSchema.safeParse(record('../up')).success, false, 'run.json with such an id does not parse');
  await store.create(record('20260101-000000-abc123'));
  mkdirSync(join(store.root, 'not a run!'));
  mkdirSync(join(store.root, '.trash'));
  assert.deepEqual(await store.ids(), ['20260101-000000-abc123']);
});

test('run.json: written atomically (no temp file left), read back typed; missing and unreadable records are clear errors', async () => {
  const store = new RunStore(join(work, 'runs-json'));
  const r = record('r1', { state: 'running', stepsPerEpoch: 469, engine: { name: 'tfjs', backend: 'wasm', device: 'cpu', version: '4.22.0' } });
  await store.create(r);
  r.step = 17;
  await store.write(r);
  assert.deepEqual(readdirSync(store.dir('r1')), ['run.json']);
  const back = await store.read('r1');
  assert.equal(back.step, 17);
  assert.equal(back.graph.nodes.length, r.graph.nodes.length);
  assert.deepEqual(summaryOf(back), { id: 'r1', name: 'r1', state: 'running', createdAt: r.createdAt, dataset: 'mnist', epoch: 0, epochs: 2, step: 17, task: 'classification', engine: r.engine, stepsPerEpoch: 469 });
  await assert.rejects(store.read('nope'), (e: unknown) => e instanceof LabError && e.code === 'not-found' && e.message === "no run 'nope'");
  writeFileSync(join(store.dir('r1'), 'run.json'), '{"id": "r1", "graph": 3');
  await assert.rejects(store.read('r1'), (e: unknown) => e instanceof LabError && e.code === 'corrupt' && /unreadable record/.test(e.message));
});

test('metrics.jsonl: appended one line per event; a line cut off by a kill is ended before the next append', async () => {
  const store = new RunStore(join(work, 'runs-log'));
  await store.create(record('r2'));
  const e = (step: number): LabEvent => ({ type: 'step', runId: 'r2', step, epoch: 1, loss: 1, lr: 0.1, samplesPerSec: 10 }) as LabEvent;
  await store.appendEvents('r2', [e(1), e(2)]);
  writeFileSync(join(store.dir('r2'), 'metrics.jsonl'), readFileSync(join(store.dir('r2'), 'metrics.jsonl'), 'utf8') + '{"type":"st');
  await store.endLogLine('r2');
  await store.appendEvents('r2', [e(3)]);
  const lines = (await store.logLines('r2')).filter(Boolean);
  assert.equal(lines.length, 4);
  assert.deepEqual([lines[0], lines[1], lines[3]].map((l) => (JSON.parse(l) as { step: number }).step), [1, 2, 3]);
});

test('checkpoints: one reader, one error (CheckpointError) for a missing, a named-but-absent and an unreadable checkpoint', async () => {
  const store = new RunStore(join(work, 'runs-ck'));
  const r = record('r3', { state: 'running' });
  await store.create(r);
  const missing = (re: RegExp) => (e: unknown) => e instanceof CheckpointError && e.code === 'no-checkpoint' && re.test(e.message);
  await assert.rejects(store.pickCheckpoint(r, undefined, 'predict'), missing(/^run r3 has no finished checkpoint yet \(state: running\): train it until an epoch ends, then predict$/));
  await assert.rejects(store.pickCheckpoint(r, 'epoch-9', 'export'), missing(/^run r3 has no checkpoint 'epoch-9' yet/));
  await assert.rejects(store.pickCheckpoint(r, '../r1', 'export'), (e: unknown) => e instanceof LabError && e.code === 'bad-id');

  await writeCheckpoint(store.dir('r3'), 'best', { modelJson: '{"modelTopology": {}, "weightSpecs": []}', weights: new Uint8Array(8), optimizer: { name: 'adam', step: 1, slots: { m: [new Float32Array([1, 2])] } }, progress: { epoch: 1, step: 5, metric: 0.5 } });
  r.checkpoints = { best: 'best' };
  const ck = await store.pickCheckpoint(r, undefined, 'predict');
  assert.equal(ck.name, 'best');
  assert.match(ck.stamp, /^best@[\d.]+:8$/);
  const files = await readCheckpointModel(ck.dir);
  assert.equal(files.weightData.byteLength, 8);
  assert.deepEqual(Array.from((await readCheckpoint(ck.dir)).optimizer.slots.m[0]), [1, 2]);

  writeFileSync(join(ck.dir, 'model.json'), 'not json');
  await assert.rejects(loadCheckpointModel(ck), (e: unknown) => e instanceof CheckpointError && e.code === 'corrupt' && /^checkpoint 'best' of run r3 cannot be loaded: /.test(e.message));
  rmSync(join(ck.dir, 'optimizer.bin'));
  await assert.rejects(readCheckpoint(ck.dir), (e: unknown) => e instanceof CheckpointError && e.code === 'corrupt' && /^checkpoint 'best' cannot be read to resume from: /.test(e.message) && !e.message.includes(work));
});
