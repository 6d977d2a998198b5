import { useSyncExternalStore } from 'react';
import { subscribeTopic, type ExperimentInfo, type ExperimentResult, type LabApi, type LabEvent, type UserExperiment } from '../../shared/api';
import { VariantCollector } from '../../shared/experiments/collect';
import { lastVerdict, summarizeResult, type ExperimentResultSummary, type LastVerdict } from '../../shared/experiments/summary';
import { applyExperimentEvent, mergeRunning, type SessionView } from './model';

/**
 * The Experiments workspace's state, kept outside React so an experiment keeps being followed while another
 * workspace is shown: the gallery (built-in and saved experiments), the last verdict of each (light summaries;
 * a full result is read when its detail page opens), and the session of each experiment (live progress from
 * `experiment` events, picked up with `runningExperiments` on load). One store per host connection.
 */

export type ExperimentsView = { kind: 'gallery' } | { kind: 'builtin'; id: string } | { kind: 'saved'; id: string };

export interface ExperimentsState {
  list: { builtin: ExperimentInfo[]; saved: UserExperiment[] } | null;
  listError: string | null;
  /** The last complete verdict per experiment (and a newer stopped attempt), keyed `guided:<id>` / `user:<id>`. */
  verdicts: Record<string, LastVerdict>;
  /** The full result of the last complete verdict, once a detail page needed it (or it arrived live). */
  last: Record<string, ExperimentResult>;
  /** Stored result file of each key's last complete verdict (read on demand). */
  files: Record<string, string>;
  /** The latest session per built-in experiment id. */
  sessions: Record<string, SessionView>;
  view: ExperimentsView;
  /** Experiments with a call in flight (start, evaluate), by key. */
  pending: Record<string, true>;
  /** How many variants a guided experiment trains at once when started. */
  concurrency: number;
  /** The "save experiment from runs" dialog is open. */
  saving: boolean;
}

export const resultKey = (source: 'guided' | 'user', id: string): string => `${source}:${id}`;

type Lab = Pick<
  LabApi,
  'subscribe' | 'listExperiments' | 'listExperimentResults' | 'readExperimentResult' | 'startExperiment' | 'stopExperiment' | 'runningExperiments' | 'runDetail' | 'evaluateUserExperiment' | 'saveUserExperiment' | 'deleteUserExperiment' | 'createExperimentProjects'
>;

export class ExperimentsStore {
  state: ExperimentsState = { list: null, listError: null, verdicts: {}, last: {}, files: {}, sessions: {}, view: { kind: 'gallery' }, pending: {}, concurrency: 1, saving: false };
  private fullLoads = new Map<string, Promise<ExperimentResult | undefined>>();
  private filling = new Set<string>();
  private listeners = new Set<() => void>();
  private detach: (() => void) | null = null;
  private loading: Promise<void> | null = null;

  constructor(private readonly lab: Lab) {
    this.detach = subscribeTopic(lab, 'experiment', (e) => this.onEvent(e));
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  getState = (): ExperimentsState => this.state;

  dispose(): void {
    this.detach?.();
    this.detach = null;
  }

  /**
   * Loads the gallery, each experiment's last complete verdict (summaries only) and the sessions already in
   * flight (once; `force` reloads).
   */
  load(force = false): Promise<void> {
    if (this.loading && !force) return this.loading;
    this.loading = (async () => {
      try {
        const list = await this.lab.listExperiments();
        this.set({ list, listError: null });
      } catch (err) {
        this.set({ listError: (err as Error).message });
        return;
      }
      const [entries, running] = await Promise.all([this.lab.listExperimentResults().catch(() => []), this.lab.runningExperiments().catch(() => [])]);
      const byKey = new Map<string, { summary: ExperimentResultSummary; file: string }[]>();
      for (const e of entries) {
        if (!e.summary) continue;
        const key = resultKey(e.summary.source, e.summary.experiment);
        (byKey.get(key) ?? byKey.set(key, []).get(key)!).push({ summary: e.summary, file: e.file });
      }
      const verdicts = { ...this.state.verdicts };
      const files = { ...this.state.files };
      for (const [key, list] of byKey) {
        // A verdict that arrived live while loading is newer: it takes part in the choice.
        const known = verdicts[key];
        const v = lastVerdict([...list.map((x) => x.summary), ...(known?.complete ? [known.complete] : []), ...(known?.stoppedLater ? [known.stoppedLater] : [])]);
        verdicts[key] = v;
        const file = list.find((x) => x.summary === v.complete)?.file;
        if (file) files[key] = file;
      }
      const sessions = { ...this.state.sessions };
      for (const r of running) sessions[r.experiment] = mergeRunning(sessions[r.experiment], r, this.info(r.experiment)?.variants ?? []);
      this.set({ verdicts, files, sessions });
    })();
    return this.loading;
  }

  /**
   * The full result behind a key's last complete verdict (read from the host once, when a detail page opens);
   * undefined when there is none.
   */
  loadFull(source: 'guided' | 'user', id: string): Promise<ExperimentResult | undefined> {
    const key = resultKey(source, id);
    const have = this.state.last[key];
    const want = this.state.verdicts[key]?.complete;
    if (have && (!want || have.startedAt >= want.startedAt)) return Promise.resolve(have);
    const file = this.state.files[key];
    if (!file) return Promise.resolve(undefined);
    let p = this.fullLoads.get(file);
    if (!p) {
      p = this.lab.readExperimentResult({ file }).then(
        (r) => {
          const now = this.state.last[key];
          if (!now || now.startedAt < r.startedAt) this.set({ last: { ...this.state.last, [key]: r } });
          return this.state.last[key];
        },
        () => {
          this.fullLoads.delete(file);
          return undefined;
        },
      );
      this.fullLoads.set(file, p);
    }
    return p;
  }

  /**
   * A session picked up mid-run (page reload) knows its finished variants only by run id: their results (for
   * the per-layer and confidence charts) are rebuilt from the runs' stored telemetry, as the runner does.
   */
  async fillFinished(id: string): Promise<void> {
    const s = this.state.sessions[id];
    if (!s?.running) return;
    const todo = s.variants.filter((v) => v.runId && !v.result && v.state !== 'pending' && v.state !== 'training' && !this.filling.has(v.runId));
    for (const v of todo) this.filling.add(v.runId!);
    const costs = this.info(id)?.variants ?? [];
    for (const v of todo) {
      const detail = await this.lab.runDetail({ id: v.runId! }).catch(() => null);
      this.filling.delete(v.runId!);
      if (!detail) continue;
      const collector = new VariantCollector(v.runId!);
      for (const e of detail.events) collector.add(e);
      const cost = costs.find((c) => c.id === v.id);
      const state = v.state === 'completed' || v.state === 'failed' || v.state === 'stopped' || v.state === 'skipped' ? v.state : 'failed';
      const partial = collector.result({ variant: v.id, name: v.name, state, seconds: 0, params: cost?.params ?? 0, flops: cost?.flops ?? 0, ...(v.error ? { error: v.error } : {}) });
      const result = { ...partial, runId: v.runId, seconds: partial.epochs.reduce((t, e) => t + e.seconds, 0) };
      const now = this.state.sessions[id];
      if (now?.session !== s.session) return;
      this.setSession(id, { ...now, variants: now.variants.map((x) => (x.id === v.id && !x.result ? { ...x, result } : x)) });
    }
  }

  setConcurrency(concurrency: number): void {
    this.set({ concurrency });
  }

  setSaving(saving: boolean): void {
    this.set({ saving });
  }

  /** The experiment open in the detail view, or null. */
  current(): ExperimentsView | null {
    return this.state.view.kind === 'gallery' ? null : this.state.view;
  }

  /** Why Start or Stop cannot act on the experiment open now (null: it can). */
  problem(action: 'start' | 'stop'): string | null {
    const v = this.state.view;
    if (v.kind === 'gallery') return 'Open an experiment in the Experiments workspace first.';
    if (v.kind === 'saved') return 'A saved comparison is evaluated from its runs; there is nothing to start or stop.';
    const info = this.info(v.id);
    if (!info) return `No experiment '${v.id}'.`;
    const running = !!this.state.sessions[v.id]?.running;
    if (action === 'start') {
      if (running) return `“${info.title}” is already running.`;
      if (this.state.pending[resultKey('guided', v.id)]) return `“${info.title}” is starting.`;
      return null;
    }
    return running ? null : `“${info.title}” is not running.`;
  }

  open(view: ExperimentsView): void {
    this.set({ view });
  }

  info(id: string): ExperimentInfo | undefined {
    return this.state.list?.builtin.find((e) => e.id === id);
  }

  /** Starts a guided experiment; progress arrives as events. */
  async start(id: string, o: { seed?: number; concurrency?: number } = { concurrency: this.state.concurrency }): Promise<void> {
    const key = resultKey('guided', id);
    this.set({ pending: { ...this.state.pending, [key]: true } });
    try {
      const { session } = await this.lab.startExperiment({ id, ...(o.seed !== undefined ? { seed: o.seed } : {}), ...(o.concurrency && o.concurrency > 1 ? { concurrency: o.concurrency } : {}) });
      // The 'started' event usually comes first; if not, show the session as starting.
      if (this.state.sessions[id]?.session !== session) {
        const variants = this.info(id)?.variants ?? [];
        this.setSession(id, { session, experiment: id, running: true, variants: variants.map((v) => ({ id: v.id, name: v.name, state: 'pending' })) });
      }
    } finally {
      const { [key]: _, ...pending } = this.state.pending;
      this.set({ pending });
    }
  }

  async stop(id: string): Promise<void> {
    const s = this.state.sessions[id];
    if (s?.running) await this.lab.stopExperiment({ session: s.session });
  }

  async evaluate(id: string): Promise<ExperimentResult> {
    const key = resultKey('user', id);
    this.set({ pending: { ...this.state.pending, [key]: true } });
    try {
      const result = await this.lab.evaluateUserExperiment({ id });
      this.keep(result);
      return result;
    } finally {
      const { [key]: _, ...pending } = this.state.pending;
      this.set({ pending });
    }
  }

  async save(a: Parameters<Lab['saveUserExperiment']>[0]): Promise<UserExperiment> {
    const saved = await this.lab.saveUserExperiment(a);
    const list = this.state.list;
    if (list) this.set({ list: { ...list, saved: [...list.saved.filter((s) => s.id !== saved.id), saved].sort((x, y) => x.id.localeCompare(y.id)) } });
    return saved;
  }

  async remove(id: string): Promise<void> {
    await this.lab.deleteUserExperiment({ id });
    const list = this.state.list;
    const key = resultKey('user', id);
    const { [key]: _, ...last } = this.state.last;
    const { [key]: _v, ...verdicts } = this.state.verdicts;
    const { [key]: _f, ...files } = this.state.files;
    this.set({ last, verdicts, files, ...(list ? { list: { ...list, saved: list.saved.filter((s) => s.id !== id) } } : {}) });
  }

  createProjects(id: string): Promise<string[]> {
    return this.lab.createExperimentProjects({ id });
  }

  private onEvent(e: Extract<LabEvent, { type: 'experiment' }>): void {
    const variants = this.info(e.experiment)?.variants ?? [];
    const next = applyExperimentEvent(this.state.sessions[e.experiment], e, variants);
    this.setSession(e.experiment, next);
    if (e.phase === 'finished' && e.result) this.keep(e.result);
  }

  /** A result that arrived (live or evaluated): it becomes the last verdict if complete, else a stopped attempt. */
  private keep(result: ExperimentResult): void {
    const key = resultKey(result.source, result.experiment);
    const summary = summarizeResult(result, result.source === 'guided' ? this.info(result.experiment)?.kind : undefined);
    const known = this.state.verdicts[key];
    const verdicts = { ...this.state.verdicts, [key]: lastVerdict([summary, ...(known?.complete ? [known.complete] : []), ...(known?.stoppedLater ? [known.stoppedLater] : [])]) };
    this.set({ verdicts, ...(summary.complete ? { last: { ...this.state.last, [key]: result } } : {}) });
  }

  private setSession(id: string, s: SessionView): void {
    this.set({ sessions: { ...this.state.sessions, [id]: s } });
  }

  private set(patch: Partial<ExperimentsState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of [...this.listeners]) l();
  }
}

const stores = new WeakMap<object, ExperimentsStore>();
let latest: ExperimentsStore | null = null;

/** The store the workspace last used (the actions' predicates read it; null before the workspace opened). */
export const activeExperimentsStore = (): ExperimentsStore | null => latest;

/** The store of a host connection (created on first use; it lives as long as the connection). */
export function experimentsStoreFor(lab: Lab): ExperimentsStore {
  let s = stores.get(lab);
  if (!s) {
    s = new ExperimentsStore(lab);
    stores.set(lab, s);
  }
  latest = s;
  return s;
}

export function useExperimentsState<T>(store: ExperimentsStore, select: (s: ExperimentsState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.state));
}
