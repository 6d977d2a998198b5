import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LabError, LAB_METHODS, type LabEvent, type RunDetail, type RunSummary } from '../../../src/shared/api';
import { EXPERIMENTS } from '../../../src/shared/experiments';
import type { ExperimentEvent, ExperimentResult } from '../../../src/shared/experiments/types';
import { experimentsFor } from '../../../src/main/experiments/service';
import { LabService, NO_EXPERIMENTS_MESSAGE } from '../../../src/main/service/labService';
import type { RunManager } from '../../../src/main/service/runManager';
import { callLab } from '../../../src/main/util/labCall';
import { restore } from '../../../src/shared/graph/restore';

function restoredGraph(project: string): RunDetail['graph'] {
  const r = restore(project);
  if (!r.ok) throw new Error(r.errors[0].message);
  return r.graph;
}

/** LabService's experiment methods: delegation to ExperimentService, argument validation, events, no-engine. */

const home = (): string => mkdtempSync(join(tmpdir(), 'netsmith-exp-svc-'));

/**
 * A RunManager whose runs finish at once: a probe at step 0, one epoch (val accuracy from `acc`), then
 * 'completed'. runDetail answers from what it emitted, so user experiments can be evaluated.
 */
function fakeRuns(acc: (config: Record<string, unknown>, n: number) => number, hold?: (n: number) => Promise<void>): RunManager & { started: number } {
  const listeners = new Set<(e: LabEvent) => void>();
  const logs = new Map<string, { summary: RunSummary; config: Record<string, unknown>; graph: RunDetail['graph']; events: LabEvent[] }>();
  const emit = (e: LabEvent): void => {
    const id = e.type === 'run-status' ? e.run.id : 'runId' in e ? e.runId : undefined;
    const log = id ? logs.get(id) : undefined;
    if (log) {
      if (e.type === 'run-status') log.summary = e.run;
      else log.events.push(e);
    }
    listeners.forEach((l) => l(e));
  };
  const self = {
    started: 0,
    listDatasets: async () => [],
    async startRun(a: { project: string; dataset: string; config: Record<string, unknown> }): Promise<RunSummary> {
      const n = ++self.started;
      const id = `run-${n}`;
      const summary = (state: RunSummary['state'], epoch: number): RunSummary => ({ id, name: `${JSON.parse(a.project).meta.name}`, state, createdAt: '', dataset: a.dataset, epoch, epochs: 1, step: 4 });
      logs.set(id, { summary: summary('queued', 0), config: a.config, graph: restoredGraph(a.project), events: [] });
      setTimeout(async () => {
        await hold?.(n);
        emit({ type: 'probe', runId: id, step: 0, epoch: 1, layers: [{ node: 'a', layer: 'a', kind: 'weights', gradNorm: 1 }, { node: 'b', layer: 'b', kind: 'weights', gradNorm: 2 }] } as LabEvent);
        emit({ type: 'step', runId: id, step: 4, epoch: 1, loss: 0.9, lr: 0.01, samplesPerSec: 100 });
        emit({ type: 'epoch', runId: id, epoch: 1, lr: 0.01, seconds: 1, train: { loss: 0.9, accuracy: 0.6 }, val: { loss: 0.8, accuracy: acc(a.config, n) } } as LabEvent);
        emit({ type: 'run-status', run: summary('completed', 1) });
      }, 5);
      return summary('queued', 0);
    },
    controlRun: async (a: { id: string }) => logs.get(a.id)!.summary,
    listRuns: async () => [...logs.values()].map((l) => l.summary),
    datasetPreview: async () => {
      throw new Error('unused');
    },
    augmentPreview: async () => ({ items: [] }),
    async runDetail(a: { id: string }): Promise<RunDetail> {
      const log = logs.get(a.id);
      if (!log) throw new LabError(`no run '${a.id}'`, 'not-found');
      return { summary: log.summary, config: log.config, graph: log.graph, events: log.events };
    },
    runSamples: async () => ({ images: [] }),
    onEvent(l: (e: LabEvent) => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
  return self;
}

function waitFor(events: LabEvent[], pred: (e: ExperimentEvent) => boolean, ms = 10_000): Promise<ExperimentEvent> {
  const end = Date.now() + ms;
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const hit = events.find((e): e is ExperimentEvent => e.type === 'experiment' && pred(e));
      if (hit) resolve(hit);
      else if (Date.now() > end) reject(new Error(`timed out; saw ${events.map((e) => (e.type === 'experiment' ? e.phase : e.type)).join(',')}`));
      else setTimeout(tick, 10);
    };
    tick();
  });
}

test('every experiment method is a LAB method', () => {
  for (const m of ['listExperiments', 'startExperiment', 'stopExperiment', 'runningExperiments', 'createExperimentProjects', 'saveUserExperiment', 'evaluateUserExperiment', 'deleteUserExperiment', 'listExperimentResults', 'readExperimentResult']) {
    assert.ok((LAB_METHODS as string[]).includes(m), m);
  }
});

test('without an experiments side, experiment methods fail with a clear no-engine error (direct and over the wire)', async () => {
  const lab = new LabService({ kind: 'browser', home: home() });
  const calls = [
    () => lab.listExperiments(),
    () => lab.startExperiment({ id: 'receptive-field' }),
    () => lab.stopExperiment({ session: 's' }),
    () => lab.createExperimentProjects({ id: 'receptive-field' }),
    () => lab.saveUserExperiment({ title: 't', runs: [{ runId: 'a' }, { runId: 'b' }] }),
    () => lab.evaluateUserExperiment({ id: 'x' }),
    () => lab.deleteUserExperiment({ id: 'x' }),
    () => lab.listExperimentResults(),
    () => lab.runningExperiments(),
    () => lab.readExperimentResult({ file: 'x-20260101-000000.json' }),
  ];
  for (const call of calls) await assert.rejects(call(), (err: unknown) => err instanceof LabError && err.code === 'no-engine' && err.message === NO_EXPERIMENTS_MESSAGE);
  const reply = await callLab(lab, 'listExperiments', null);
  assert.deepEqual(reply, { error: { message: NO_EXPERIMENTS_MESSAGE, code: 'no-engine' } });
});

test('arguments are validated by the transports (LAB_ARGS) before the service sees them', async () => {
  const h = home();
  const runs = fakeRuns(() => 0.5);
  const lab = new LabService({ kind: 'browser', home: h, runs, experiments: experimentsFor(runs, h) });
  const bad = async (method: string, arg: unknown, pattern: RegExp): Promise<void> => {
    const r = await callLab(lab, method, arg);
    assert.ok('error' in r, `${method} ${JSON.stringify(arg)} should fail`);
    assert.equal(r.error.code, 'bad-args');
    assert.match(r.error.message, pattern);
  };
  await bad('startExperiment', {}, /id/);
  await bad('startExperiment', { id: 'optimizers', concurrency: 0 }, /concurrency/);
  await bad('startExperiment', { id: 'optimizers', seed: 1.5 }, /seed/);
  await bad('stopExperiment', null, /expected object/i);
  await bad('saveUserExperiment', { title: 'one run', runs: [{ runId: 'a' }] }, /at least two runs/);
  await bad('saveUserExperiment', { title: '   ', runs: [{ runId: 'a' }, { runId: 'b' }] }, /title/);
  await bad('readExperimentResult', { file: '' }, /file/);
  // Past validation, the service's own errors keep their codes.
  assert.deepEqual(await callLab(lab, 'startExperiment', { id: 'nope' }), { error: { message: "no experiment 'nope'", code: 'not-found' } });
  assert.deepEqual(await callLab(lab, 'stopExperiment', { session: 'nope' }), { error: { message: "no experiment running as 'nope'", code: 'not-running' } });
  const unknownRun = await callLab(lab, 'saveUserExperiment', { title: 'Two', runs: [{ runId: 'r-a' }, { runId: 'r-b' }] });
  assert.ok('error' in unknownRun && unknownRun.error.code === 'not-found' && /r-a/.test(unknownRun.error.message));
  const badMetric = await callLab(lab, 'saveUserExperiment', { title: 'Two', runs: [{ runId: 'r-a' }, { runId: 'r-b' }], metric: 'speed' });
  assert.ok('error' in badMetric && badMetric.error.code === 'invalid-experiment' && /metric/.test(badMetric.error.message));
  await lab.dispose();
});

test('the gallery lists the guided experiments; a computed one runs and its events and stored result come back', async () => {
  const h = home();
  const runs = fakeRuns(() => 0.5);
  const lab = new LabService({ kind: 'browser', home: h, runs, experiments: experimentsFor(runs, h) });
  const list = await lab.listExperiments();
  assert.deepEqual(list.builtin.map((e) => e.id), EXPERIMENTS.map((e) => e.id));
  assert.deepEqual(list.saved, []);
  const rf = list.builtin.find((e) => e.id === 'receptive-field')!;
  assert.equal(rf.kind, 'computed');
  assert.ok(rf.variants.every((v) => v.params > 0 && v.graph.nodes.length > 0));

  const events: LabEvent[] = [];
  lab.subscribe((e) => events.push(e));
  const { session } = await lab.startExperiment({ id: 'receptive-field' });
  const finished = await waitFor(events, (e) => e.phase === 'finished');
  assert.equal(finished.session, session);
  assert.equal((events.find((e) => e.type === 'experiment') as ExperimentEvent).phase, 'started');
  const result = finished.result as ExperimentResult;
  assert.equal(result.verdict.effect.direction, 'supports');
  assert.equal(result.verdict.perVariant.stack3x3.receptive_field, 7);
  assert.equal(runs.started, 0, 'a computed experiment trains nothing');

  // The store keeps the result (written after the event): the gallery reads it back after a reload.
  let stored = await lab.listExperimentResults();
  for (let i = 0; i < 100 && stored.length === 0; i++) {
    await new Promise((r) => setTimeout(r, 10));
    stored = await lab.listExperimentResults();
  }
  assert.equal(stored.length, 1);
  assert.equal(stored[0].experiment, 'receptive-field');
  const back = await lab.readExperimentResult({ file: stored[0].file });
  assert.deepEqual(back.verdict, result.verdict);
  await lab.dispose();
});

test('a trained experiment: run and experiment events reach subscribers; a user experiment is saved from two of its runs and evaluated', async () => {
  const h = home();
  // Adam-family optimisers get the better accuracy.
  const runs = fakeRuns((c) => ((c.optimizer as { name: string }).name.startsWith('adam') ? 0.9 : 0.7));
  const lab = new LabService({ kind: 'browser', home: h, runs, experiments: experimentsFor(runs, h) });
  const events: LabEvent[] = [];
  lab.subscribe((e) => events.push(e));
  const { session } = await lab.startExperiment({ id: 'optimizers', seed: 3 });
  const finished = await waitFor(events, (e) => e.phase === 'finished' && e.session === session);
  const phases = events.filter((e): e is ExperimentEvent => e.type === 'experiment').map((e) => e.phase);
  assert.deepEqual(phases, ['started', ...Array(4).fill(['variant-started', 'variant-finished']).flat(), 'finished']);
  assert.ok(events.some((e) => e.type === 'epoch') && events.some((e) => e.type === 'run-status'), 'the runs’ own events are forwarded too');
  const result = finished.result!;
  assert.equal(result.seed, 3);
  assert.deepEqual(result.variants.map((v) => v.state), ['completed', 'completed', 'completed', 'completed']);
  const [sgd, , adam] = result.variants;

  const saved = await lab.saveUserExperiment({ title: 'SGD vs Adam (mine)', runs: [{ runId: sgd.runId! }, { runId: adam.runId!, name: 'Adam' }], metric: 'val_accuracy', expectedBest: adam.runId! });
  assert.equal(saved.id, 'sgd-vs-adam-mine');
  assert.equal((await lab.listExperiments()).saved.length, 1);
  const evaluated = await lab.evaluateUserExperiment({ id: saved.id });
  assert.equal(evaluated.source, 'user');
  assert.equal(evaluated.verdict.effect.direction, 'supports');
  assert.equal(evaluated.verdict.perVariant[adam.runId!].val_accuracy, 0.9);
  assert.equal(evaluated.verdict.perVariant[sgd.runId!].val_accuracy, 0.7);
  assert.ok((await lab.listExperimentResults()).some((r) => r.experiment === saved.id), 'the evaluation is kept for the gallery');
  await lab.deleteUserExperiment({ id: saved.id });
  assert.equal((await lab.listExperiments()).saved.length, 0);
  await lab.dispose();
});

test('createExperimentProjects writes the variants into the projects folder through LabService', async () => {
  const h = home();
  const runs = fakeRuns(() => 0.5);
  const lab = new LabService({ kind: 'browser', home: h, runs, experiments: experimentsFor(runs, h) });
  const paths = await lab.createExperimentProjects({ id: 'gradient-flow' });
  assert.deepEqual(paths, ['experiments/gradient-flow/sigmoid.netsmith.json', 'experiments/gradient-flow/relu.netsmith.json', 'experiments/gradient-flow/relu_bn.netsmith.json', 'experiments/gradient-flow/residual.netsmith.json']);
  assert.deepEqual(readdirSync(join(h, 'projects', 'experiments', 'gradient-flow')).sort(), ['relu.netsmith.json', 'relu_bn.netsmith.json', 'residual.netsmith.json', 'sigmoid.netsmith.json']);
  const doc = JSON.parse((await lab.readProject({ path: paths[0] })).text);
  assert.equal(doc.graph.meta.name, '[gradient-flow] Plain 20-layer sigmoid');
  await lab.dispose();
});

test('stopping an experiment mid-way: the verdict is computed from what finished, the rest is skipped', async () => {
  const h = home();
  const runs = fakeRuns(() => 0.5);
  const lab = new LabService({ kind: 'browser', home: h, runs, experiments: experimentsFor(runs, h) });
  const events: LabEvent[] = [];
  lab.subscribe((e) => events.push(e));
  const { session } = await lab.startExperiment({ id: 'optimizers' });
  await waitFor(events, (e) => e.phase === 'variant-finished');
  await lab.stopExperiment({ session });
  const finished = await waitFor(events, (e) => e.phase === 'finished');
  const states = finished.result!.variants.map((v) => v.state);
  assert.equal(states[0], 'completed');
  assert.ok(states.includes('skipped'), `some variants skipped: ${states.join(',')}`);
  await lab.dispose();
});

test('runningExperiments: a session in flight with each variant state and run id; none once it ends; a stopped run keeps the earlier complete verdict in the list', async () => {
  const h = home();
  let release!: () => void;
  const gate = new Promise<void>((r) => (release = r));
  const runs = fakeRuns(() => 0.5, (n) => (n === 2 ? gate : Promise.resolve()));
  const lab = new LabService({ kind: 'browser', home: h, runs, experiments: experimentsFor(runs, h) });
  const events: LabEvent[] = [];
  lab.subscribe((e) => events.push(e));
  assert.deepEqual(await lab.runningExperiments(), []);
  const doc = EXPERIMENTS.find((e) => e.id === 'optimizers')!;
  const { session } = await lab.startExperiment({ id: 'optimizers' });
  await waitFor(events, (e) => e.phase === 'variant-started' && e.index === 1);
  const [running] = await lab.runningExperiments();
  assert.equal(running.session, session);
  assert.equal(running.experiment, 'optimizers');
  assert.ok(!Number.isNaN(Date.parse(running.startedAt)));
  assert.deepEqual(
    running.variants.map((v) => [v.id, v.state, v.runId]),
    doc.variants.map((v, i) => [v.id, i === 0 ? 'completed' : i === 1 ? 'training' : 'pending', i === 0 ? 'run-1' : i === 1 ? 'run-2' : undefined]),
  );
  // Over the wire too (the method is a LAB method with no arguments).
  assert.equal(((await callLab(lab, 'runningExperiments', null)) as { result: unknown[] }).result.length, 1);
  release();
  await waitFor(events, (e) => e.phase === 'finished', 20_000);
  assert.deepEqual(await lab.runningExperiments(), []);

  // A second attempt, stopped: the list's summaries say which verdict is complete.
  const second = await lab.startExperiment({ id: 'optimizers' });
  await waitFor(events, (e) => e.session === second.session && e.phase === 'variant-finished');
  await lab.stopExperiment({ session: second.session });
  const entries = await lab.listExperimentResults();
  assert.equal(entries.length, 2);
  assert.deepEqual(entries.map((e) => e.summary?.complete), [false, true]);
  assert.equal(entries[0].summary?.variants.some((v) => v.state === 'skipped'), true);
  await lab.dispose();
});
