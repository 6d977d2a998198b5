import { randomBytes } from 'node:crypto';
import { LabError, type LabEvent, type RunSummary } from '../../shared/api';
import { VariantCollector } from '../../shared/experiments/collect';
import { experimentConfig } from '../../shared/experiments/config';
import { graphCost, variantGraph } from '../../shared/experiments/describe';
import { experimentById } from '../../shared/experiments';
import type { ConfigPatch, ExperimentDoc, ExperimentEvent, ExperimentResult, VariantResult } from '../../shared/experiments/types';
import { userExperimentVerdict, type UserExperiment } from '../../shared/experiments/user';
import { restore } from '../../shared/graph/restore';
import type { GraphDoc } from '../../shared/graph/types';
import type { RunManager } from '../service/runManager';
import { STUDY_PROCEDURES } from './studies';

/** What the runner needs from the training side: a RunManager (RunRegistry is one; `wait` is used when present). */
export type ExperimentRuns = Pick<RunManager, 'startRun' | 'controlRun' | 'onEvent' | 'runDetail'> & { wait?(id: string): Promise<RunSummary> };

export interface RunExperimentOptions {
  /** Seed of every variant's run (weights, data split, shuffling); default the experiment's (42). */
  seed?: number;
  /** Applied to every variant's config last (backend, shorter limits in tests). */
  overrides?: ConfigPatch;
  /** How many variants train at once: 1 (default) one after another; more interleaves them. */
  concurrency?: number;
  /** Only these variants (ids), in the experiment's order. */
  variants?: string[];
  onEvent?(e: ExperimentEvent): void;
  /** Id of this experiment run in its events (default: `<experiment>-<random>`). */
  session?: string;
  /** Aborting stops the runs in flight and skips the rest; the verdict is computed from what finished. */
  signal?: AbortSignal;
}

const TERMINAL = new Set(['completed', 'failed', 'stopped']);

/**
 * Runs experiments: every variant becomes a run through the RunManager (graph + dataset + resolved config),
 * telemetry is folded into VariantResults as it streams, and the experiment's verdict is computed from them.
 */
export class ExperimentRunner {
  constructor(private readonly runs: ExperimentRuns) {}

  async run(experiment: string | ExperimentDoc, opts: RunExperimentOptions = {}): Promise<ExperimentResult> {
    const doc = typeof experiment === 'string' ? experimentById(experiment) : experiment;
    if (!doc) throw new LabError(`no experiment '${String(experiment)}'`, 'not-found');
    const session = opts.session ?? newSession(doc.id);
    const seed = opts.seed ?? (typeof doc.config.seed === 'number' ? doc.config.seed : 42);
    const variants = opts.variants ? doc.variants.filter((v) => opts.variants!.includes(v.id)) : doc.variants;
    if (opts.variants && variants.length !== opts.variants.length) {
      const unknown = opts.variants.filter((id) => !doc.variants.some((v) => v.id === id));
      throw new LabError(`experiment '${doc.id}' has no variant ${unknown.map((u) => `'${u}'`).join(', ')}; it has ${doc.variants.map((v) => v.id).join(', ')}`, 'not-found');
    }
    const emit = (e: Omit<ExperimentEvent, 'type' | 'session' | 'experiment'>): void => opts.onEvent?.({ type: 'experiment', session, experiment: doc.id, ...e });
    const started = performance.now();
    const startedAt = new Date().toISOString();
    const graphs: Record<string, GraphDoc> = Object.fromEntries(variants.map((v) => [v.id, variantGraph(doc, v)]));
    emit({ phase: 'started', total: variants.length });

    const results: VariantResult[] = new Array(variants.length);
    if (doc.kind === 'computed') {
      variants.forEach((v, i) => {
        results[i] = { variant: v.id, name: v.name, state: 'skipped', seconds: 0, ...graphCost(graphs[v.id]), epochs: [], steps: [], probes: [] };
      });
    } else {
      // Events that arrive while a startRun is pending are buffered by run id (a fast worker may report before
      // startRun returns); other runs' events are ignored.
      const buffered = new Map<string, LabEvent[]>();
      const listeners = new Map<string, (e: LabEvent) => void>();
      let pendingStarts = 0;
      const off = this.runs.onEvent((e) => {
        const id = e.type === 'run-status' ? e.run.id : 'runId' in e ? e.runId : undefined;
        if (id === undefined) return;
        const l = listeners.get(id);
        if (l) l(e);
        else if (pendingStarts > 0) (buffered.get(id) ?? buffered.set(id, []).get(id)!).push(e);
      });
      const active = new Set<string>();
      const onAbort = (): void => {
        for (const id of active) void this.runs.controlRun({ id, action: 'stop' }).catch(() => undefined);
      };
      opts.signal?.addEventListener('abort', onAbort);
      try {
        const runOne = async (i: number): Promise<void> => {
          const v = variants[i];
          const graph = graphs[v.id];
          const cost = graphCost(graph);
          if (opts.signal?.aborted) {
            results[i] = { variant: v.id, name: v.name, state: 'skipped', seconds: 0, ...cost, epochs: [], steps: [], probes: [] };
            return;
          }
          const config = experimentConfig(doc.config, v.config, { ...opts.overrides, seed });
          const t0 = performance.now();
          if (doc.study) {
            results[i] = await runStudyVariant(doc, v, config, cost, opts.signal, (phase) => emit({ ...phase, index: i, total: variants.length }));
            return;
          }
          let summary: RunSummary;
          pendingStarts++;
          try {
            summary = await this.runs.startRun({ project: JSON.stringify(graph), dataset: doc.dataset, config: config as unknown as Record<string, unknown> });
          } catch (err) {
            if (--pendingStarts === 0) buffered.clear();
            const error = err instanceof Error ? err.message : String(err);
            results[i] = { variant: v.id, name: v.name, state: 'failed', error, seconds: 0, ...cost, epochs: [], steps: [], probes: [] };
            emit({ phase: 'variant-finished', variant: v.id, index: i, total: variants.length, variantResult: results[i], message: error });
            return;
          }
          active.add(summary.id);
          if (opts.signal?.aborted) void this.runs.controlRun({ id: summary.id, action: 'stop' }).catch(() => undefined);
          emit({ phase: 'variant-started', variant: v.id, runId: summary.id, index: i, total: variants.length });
          const collector = new VariantCollector(summary.id);
          let resolveEnd!: (s: RunSummary) => void;
          const ended = new Promise<RunSummary>((r) => (resolveEnd = r));
          const listen = (e: LabEvent): void => {
            if (e.type === 'run-status') {
              if (TERMINAL.has(e.run.state)) resolveEnd(e.run);
            } else collector.add(e);
          };
          listeners.set(summary.id, listen);
          for (const e of buffered.get(summary.id) ?? []) listen(e);
          buffered.delete(summary.id);
          if (--pendingStarts === 0) buffered.clear();
          const done = await (this.runs.wait ? this.runs.wait(summary.id) : ended);
          // The last epoch's event can trail the end of the run by a moment (the registry saves the record first).
          await until(() => collector.epochCount >= done.epoch, 3000);
          listeners.delete(summary.id);
          active.delete(summary.id);
          const state = done.state === 'completed' || done.state === 'failed' || done.state === 'stopped' ? done.state : 'failed';
          results[i] = collector.result({ variant: v.id, name: v.name, state, seconds: (performance.now() - t0) / 1000, ...cost, ...(done.error ? { error: done.error } : {}) });
          emit({ phase: 'variant-finished', variant: v.id, runId: summary.id, index: i, total: variants.length, variantResult: results[i] });
        };
        const concurrency = Math.max(1, Math.min(opts.concurrency ?? 1, variants.length));
        let next = 0;
        await Promise.all(
          Array.from({ length: concurrency }, async () => {
            while (next < variants.length) await runOne(next++);
          }),
        );
      } catch (err) {
        emit({ phase: 'failed', message: err instanceof Error ? err.message : String(err) });
        throw err;
      } finally {
        off();
        opts.signal?.removeEventListener('abort', onAbort);
      }
    }

    const ctx = { graphs, seed };
    const verdict = doc.verdict(results, ctx);
    const result: ExperimentResult = {
      format: 'netsmith.experiment-result',
      experiment: doc.id,
      title: doc.title,
      source: 'guided',
      seed,
      startedAt,
      seconds: (performance.now() - started) / 1000,
      variants: results,
      verdict,
      ...(opts.signal?.aborted && doc.kind === 'trained' && results.some((r) => r.state === 'stopped' || r.state === 'skipped') ? { stopped: true } : {}),
      ...(doc.drawing ? { drawing: doc.drawing(ctx) } : {}),
    };
    emit({ phase: 'finished', result });
    return result;
  }
}

/** A study variant: trained in-process by the study's own loop (no lab run); its measurements go into `study`. */
async function runStudyVariant(
  doc: ExperimentDoc,
  v: ExperimentDoc['variants'][number],
  config: ReturnType<typeof experimentConfig>,
  cost: { params: number; flops: number },
  signal: AbortSignal | undefined,
  emit: (e: Omit<ExperimentEvent, 'type' | 'session' | 'experiment' | 'index' | 'total'>) => void,
): Promise<VariantResult> {
  const procedure = STUDY_PROCEDURES[doc.id];
  const t0 = performance.now();
  const base = { variant: v.id, name: v.name, ...cost };
  if (!procedure) return { ...base, state: 'failed', error: `no study procedure for '${doc.id}'`, seconds: 0, epochs: [], steps: [], probes: [] };
  emit({ phase: 'variant-started', variant: v.id });
  let result: VariantResult;
  try {
    const out = await procedure({ doc, variant: v, config, signal });
    result = { ...base, state: out.stopped ? 'stopped' : 'completed', seconds: (performance.now() - t0) / 1000, epochs: out.epochs, steps: out.steps, probes: [], study: out.study, ...(out.valSamples ? { valSamples: out.valSamples } : {}) };
  } catch (err) {
    const error = err instanceof Error ? err.message : String(err);
    const diverged = error.match(/NaN\/Inf at step (\d+)/);
    result = { ...base, state: 'failed', error, ...(diverged ? { divergedAtStep: Number(diverged[1]) } : {}), seconds: (performance.now() - t0) / 1000, epochs: [], steps: [], probes: [] };
  }
  emit({ phase: 'variant-finished', variant: v.id, variantResult: result });
  return result;
}

export const newSession = (experiment: string): string => `${experiment}-${randomBytes(3).toString('hex')}`;

/** The VariantResult of a finished (or running) run, from its stored telemetry. */
export async function variantFromRun(runs: Pick<RunManager, 'runDetail'>, runId: string, name: string): Promise<VariantResult> {
  const detail = await runs.runDetail({ id: runId });
  const collector = new VariantCollector(runId);
  for (const e of detail.events) collector.add(e);
  const restored = restore(detail.graph);
  const cost = restored.ok ? graphCost(restored.graph) : { params: 0, flops: 0 };
  const s = detail.summary;
  const state = s.state === 'completed' || s.state === 'failed' || s.state === 'stopped' ? s.state : 'stopped';
  const partial = collector.result({ variant: runId, name, state, seconds: 0, ...cost, ...(s.error ? { error: s.error } : {}) });
  return { ...partial, seconds: partial.epochs.reduce((t, e) => t + e.seconds, 0) };
}

/** A user experiment's result: its runs' stored telemetry compared on its metric (nothing is trained). */
export async function evaluateUserExperiment(runs: Pick<RunManager, 'runDetail'>, doc: UserExperiment): Promise<ExperimentResult> {
  const started = performance.now();
  const variants = await Promise.all(doc.runs.map((r) => variantFromRun(runs, r.runId, r.name)));
  return {
    format: 'netsmith.experiment-result',
    experiment: doc.id,
    title: doc.title,
    source: 'user',
    seed: 0,
    startedAt: new Date().toISOString(),
    seconds: (performance.now() - started) / 1000,
    variants,
    verdict: userExperimentVerdict(doc, variants),
  };
}

/** Resolves when `ready()` holds (polled every 20 ms) or after `ms`. */
async function until(ready: () => boolean, ms: number): Promise<void> {
  const end = performance.now() + ms;
  while (!ready() && performance.now() < end) await new Promise((r) => setTimeout(r, 20));
}
