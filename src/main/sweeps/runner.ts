import type { z } from 'zod';
import { LabError, type EpochEvent, type LabEvent, type RunSummary } from '../../shared/api';
import { restore } from '../../shared/graph/restore';
import type { GraphDoc } from '../../shared/graph/types';
import { applyTrial } from '../../shared/sweeps/apply';
import { shouldPrune } from '../../shared/sweeps/pruner';
import { Rng } from '../../shared/sweeps/rng';
import { checkSpace } from '../../shared/sweeps/space';
import { suggest, type Observation } from '../../shared/sweeps/strategies';
import { metricGoal, summarizeSweep, sweepSettingsSchema, toScore, type SweepDoc, type SweepEvent, type Trial } from '../../shared/sweeps/types';
import type { RunManager } from '../service/runManager';
import { markInterrupted, newSweepId, ownedElsewhere, SWEEP_SESSION, type SweepStore } from './store';

/** What a sweep needs from the training side (RunRegistry, or LabService's RunManager). */
export type SweepRuns = Pick<RunManager, 'startRun' | 'controlRun' | 'onEvent' | 'runDetail'> & {
  updateRun?: RunManager['updateRun'];
  wait?(id: string): Promise<RunSummary>;
};

export interface CreateSweepArgs {
  graph: GraphDoc;
  dataset: string;
  /** Base training settings; each trial's values go on top. */
  config: Record<string, unknown>;
  settings: z.input<typeof sweepSettingsSchema>;
  name?: string;
}

/** A trial's run name: the trial first, so it stays readable where long names are cut. */
export const trialRunName = (sweepName: string, index: number): string => `Trial ${index + 1} · ${sweepName}`;

/** The tag every trial's run carries: the Runs list filters a sweep's runs by it. */
export const sweepTag = (id: string): string => `sweep:${id.replace(/^sweep-/, '')}`;

const TERMINAL = new Set(['completed', 'failed', 'stopped', 'interrupted']);
const FINISHED = new Set(['completed', 'pruned', 'failed']);

/** Checks the settings and the space against the graph and writes the new sweep (state `running`, no trials yet). */
export async function createSweep(store: SweepStore, a: CreateSweepArgs): Promise<SweepDoc> {
  const parsed = sweepSettingsSchema.safeParse(a.settings);
  if (!parsed.success) throw new LabError(`Invalid sweep: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'sweep'}: ${i.message}`).join('; ')}`, 'invalid-sweep');
  const problems = checkSpace(parsed.data.space, a.graph);
  if (problems.length) throw new LabError(`The search space does not fit the network: ${problems.join('; ')}`, 'invalid-sweep');
  const now = new Date().toISOString();
  const doc: SweepDoc = {
    format: 'netsmith.sweep',
    version: 1,
    id: newSweepId(),
    name: a.name ?? `Sweep · ${a.graph.meta.name} · ${a.dataset.split(/[\\/]/).filter(Boolean).pop() ?? a.dataset}`,
    createdAt: now,
    updatedAt: now,
    state: 'running',
    pid: process.pid,
    session: SWEEP_SESSION,
    dataset: a.dataset,
    graph: a.graph,
    config: a.config,
    ...parsed.data,
    results: [],
  };
  await store.save(doc);
  return doc;
}

/** The finished trials as the strategies see them (failed ones score −∞: their values are still informative). */
export function observations(doc: SweepDoc): Observation[] {
  return doc.results.filter((t) => FINISHED.has(t.state)).map((t) => ({ params: t.params, score: toScore(doc.metric, t.value) }));
}

/** The metric an epoch event reports for the sweep. */
export function epochMetric(doc: Pick<SweepDoc, 'metric'>, e: EpochEvent): number {
  return doc.metric === 'val_loss' ? e.val.loss : (e.headline ?? e.val.accuracy ?? NaN);
}

function bestOf(doc: Pick<SweepDoc, 'metric'>, curve: (number | null)[]): number | undefined {
  const vals = curve.filter((v): v is number => v !== null && Number.isFinite(v));
  if (!vals.length) return undefined;
  return metricGoal(doc.metric) === 'max' ? Math.max(...vals) : Math.min(...vals);
}

const until = async (ok: () => boolean, ms: number): Promise<void> => {
  for (const t0 = Date.now(); !ok() && Date.now() - t0 < ms; ) await new Promise((r) => setTimeout(r, 20));
};

/**
 * Runs a sweep: asks its strategy for each trial's values, trains every trial as a normal run (named
 * "Trial N · <sweep>", tagged `sweep:<id>`), stops hopeless trials by the median rule, and writes sweep.json
 * after every change. Run on a sweep that was stopped or interrupted, it first continues the trials that were in
 * flight (resuming their runs from their checkpoints) and then goes on with new ones.
 */
export class SweepRunner {
  constructor(
    private readonly runs: SweepRuns,
    private readonly store: SweepStore,
  ) {}

  async run(id: string, o: { signal?: AbortSignal; onEvent?(e: SweepEvent): void } = {}): Promise<SweepDoc> {
    let doc = await this.store.read(id);
    if (doc.state === 'running' && ownedElsewhere(doc)) throw new LabError(`sweep ${id} is running in another Netsmith process (pid ${doc.pid})`, 'not-running');
    if (doc.state === 'completed') throw new LabError(`sweep ${id} has finished all its trials`, 'completed');
    doc = markInterrupted(doc) ?? doc;
    const restored = restore(doc.graph);
    if (!restored.ok) throw new LabError(`sweep ${id}: its network does not load (${restored.errors.map((e) => e.message).join('; ')})`, 'corrupt');
    const graph = restored.graph;
    Object.assign(doc, { state: 'running', pid: process.pid, session: SWEEP_SESSION, error: undefined });
    const emit = (phase: SweepEvent['phase'], trial?: Trial): void => o.onEvent?.(structuredClone({ type: 'sweep', phase, sweep: summarizeSweep(doc), ...(trial ? { trial } : {}) }));
    const save = (): Promise<void> => this.store.save(doc);
    await save();
    emit('started');

    // Events of runs whose startRun is still pending are buffered (a fast worker may report first).
    const listeners = new Map<string, (e: LabEvent) => void>();
    const buffered = new Map<string, LabEvent[]>();
    let pendingStarts = 0;
    const off = this.runs.onEvent((e) => {
      const runId = e.type === 'run-status' ? e.run.id : 'runId' in e ? e.runId : undefined;
      if (runId === undefined) return;
      const l = listeners.get(runId);
      if (l) l(e);
      else if (pendingStarts > 0) (buffered.get(runId) ?? buffered.set(runId, []).get(runId)!).push(e);
    });
    const active = new Set<string>();
    const onAbort = (): void => {
      for (const runId of active) void this.runs.controlRun({ id: runId, action: 'stop' }).catch(() => undefined);
    };
    o.signal?.addEventListener('abort', onAbort);

    const toContinue = doc.results.filter((t) => t.state === 'interrupted' || t.state === 'running');
    let exhausted = false;
    const next = (): Trial | undefined => {
      if (o.signal?.aborted) return undefined;
      const again = toContinue.shift();
      if (again) return again;
      if (exhausted || doc.results.length >= doc.trials) return undefined;
      const index = doc.results.length;
      const params = suggest(doc.strategy, doc.space, { index, trials: doc.trials, history: observations(doc), rng: new Rng(doc.seed * 7919 + index + 1) });
      if (!params) {
        exhausted = true;
        return undefined;
      }
      const t: Trial = { index, params, state: 'running', curve: [], restarts: 0, startedAt: new Date().toISOString() };
      doc.results.push(t);
      return t;
    };

    const runTrial = async (t: Trial): Promise<void> => {
      Object.assign(t, { state: 'running', error: undefined, endedAt: undefined });
      let summary: RunSummary | undefined;
      pendingStarts++;
      try {
        if (t.runId) {
          try {
            summary = await this.runs.controlRun({ id: t.runId, action: 'resume' });
          } catch (err) {
            if (err instanceof LabError && err.code === 'completed') {
              // The run finished but the sweep closed before it heard: its telemetry has every epoch.
              const detail = await this.runs.runDetail({ id: t.runId });
              t.curve = [];
              for (const e of detail.events) if (e.type === 'epoch') t.curve[e.epoch - 1] = numberOrNull(epochMetric(doc, e));
              Object.assign(t, { curve: Array.from(t.curve, (v) => v ?? null), value: bestOf(doc, t.curve), state: 'completed', endedAt: new Date().toISOString() });
              await save();
              emit('trial-finished', t);
              return;
            }
          }
        }
        if (!summary) {
          if (t.runId) {
            t.restarts++;
            // Its run ended before its first checkpoint: it stays in Runs (its log is kept), named as replaced and out of the sweep's list.
            await this.runs.updateRun?.({ id: t.runId, name: `${trialRunName(doc.name, t.index)} · replaced (no checkpoint)`, tags: [] }).catch(() => undefined);
          }
          Object.assign(t, { curve: [], value: undefined, prunedAt: undefined });
          const trial = applyTrial(graph, doc.config, t.params);
          summary = await this.runs.startRun({ project: JSON.stringify(trial.graph), dataset: doc.dataset, config: trial.config });
          t.runId = summary.id;
          await this.runs.updateRun?.({ id: summary.id, name: trialRunName(doc.name, t.index), tags: [sweepTag(doc.id)] }).catch(() => undefined);
        }
      } catch (err) {
        if (--pendingStarts === 0) buffered.clear();
        Object.assign(t, { state: 'failed', error: err instanceof Error ? err.message : String(err), endedAt: new Date().toISOString() });
        await save();
        emit('trial-finished', t);
        return;
      }
      const runId = summary.id;
      const epochs = summary.epochs;
      active.add(runId);
      if (o.signal?.aborted) void this.runs.controlRun({ id: runId, action: 'stop' }).catch(() => undefined);
      await save();
      emit('trial-started', t);

      let pruned = false;
      let resolveEnd!: (s: RunSummary) => void;
      const ended = new Promise<RunSummary>((r) => (resolveEnd = r));
      let epochWork = Promise.resolve();
      // The curve and the pruning decision are taken as each epoch arrives; the write and the event follow in order.
      const onEpoch = (e: EpochEvent): void => {
        const curve = Array.from({ length: Math.max(t.curve.length, e.epoch) }, (_, i) => t.curve[i] ?? null);
        curve[e.epoch - 1] = numberOrNull(epochMetric(doc, e));
        t.curve = curve;
        t.value = bestOf(doc, curve);
        if (!pruned && e.epoch < epochs && !o.signal?.aborted) {
          const others = doc.results.filter((x) => x !== t && x.curve.length > 0).map((x) => x.curve.map((v) => toScore(doc.metric, v ?? undefined)));
          const verdict = shouldPrune(curve.map((v) => toScore(doc.metric, v ?? undefined)), others, doc.pruner);
          if (verdict.prune) {
            pruned = true;
            const sign = metricGoal(doc.metric) === 'max' ? 1 : -1;
            t.prunedAt = { epoch: e.epoch, best: sign * verdict.best!, median: sign * verdict.median! };
            void this.runs.controlRun({ id: runId, action: 'stop' }).catch(() => undefined);
          }
        }
        epochWork = epochWork.then(async () => {
          await save();
          emit('trial-epoch', t);
        });
      };
      const listen = (e: LabEvent): void => {
        if (e.type === 'epoch') onEpoch(e);
        else if (e.type === 'run-status' && TERMINAL.has(e.run.state)) resolveEnd(e.run);
      };
      listeners.set(runId, listen);
      for (const e of buffered.get(runId) ?? []) listen(e);
      buffered.delete(runId);
      if (--pendingStarts === 0) buffered.clear();

      const done = await (this.runs.wait ? this.runs.wait(runId) : ended);
      await until(() => t.curve.length >= done.epoch, 3000);
      await epochWork;
      listeners.delete(runId);
      active.delete(runId);
      // A stop that came after the run's last epoch: it completed, whatever the rule said.
      if (done.state === 'completed') Object.assign(t, { state: 'completed', prunedAt: undefined });
      else if (pruned) t.state = 'pruned';
      else if (done.state === 'stopped' || done.state === 'interrupted') {
        if (o.signal?.aborted) t.state = 'interrupted';
        else Object.assign(t, { state: 'failed', error: 'its run was stopped outside the sweep' });
      } else Object.assign(t, { state: 'failed', error: done.error ?? `its run ended ${done.state}` });
      if (t.state !== 'interrupted') t.endedAt = new Date().toISOString();
      await save();
      emit('trial-finished', t);
    };

    try {
      await Promise.all(
        Array.from({ length: doc.parallel }, async () => {
          for (let t = next(); t; t = next()) await runTrial(t);
        }),
      );
      doc.state = o.signal?.aborted ? 'stopped' : 'completed';
    } catch (err) {
      Object.assign(doc, { state: 'failed', error: err instanceof Error ? err.message : String(err) });
      throw err;
    } finally {
      off();
      o.signal?.removeEventListener('abort', onAbort);
      await save();
      emit('finished');
    }
    return doc;
  }
}

const numberOrNull = (v: number): number | null => (Number.isFinite(v) ? v : null);
