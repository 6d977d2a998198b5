import { useSyncExternalStore } from 'react';
import type { ExperimentInfo, ExperimentResult, LabApi, LabEvent, UserExperiment } from '../../shared/api';
import { applyExperimentEvent, latestResultFiles, type SessionView } from './model';

/**
 * The Experiments workspace's state, kept outside React so an experiment keeps being followed while another
 * workspace is shown: the gallery (built-in and saved experiments), the last result of each, and the session
 * of each experiment (live progress from `experiment` events). One store per host connection.
 */

export type ExperimentsView = { kind: 'gallery' } | { kind: 'builtin'; id: string } | { kind: 'saved'; id: string };

export interface ExperimentsState {
  list: { builtin: ExperimentInfo[]; saved: UserExperiment[] } | null;
  listError: string | null;
  /** The newest result per experiment, keyed `guided:<id>` / `user:<id>`. */
  last: Record<string, ExperimentResult>;
  /** The latest session per built-in experiment id. */
  sessions: Record<string, SessionView>;
  view: ExperimentsView;
  /** Experiments with a call in flight (start, evaluate), by key. */
  pending: Record<string, true>;
}

export const resultKey = (source: 'guided' | 'user', id: string): string => `${source}:${id}`;

type Lab = Pick<
  LabApi,
  'subscribe' | 'listExperiments' | 'listExperimentResults' | 'readExperimentResult' | 'startExperiment' | 'stopExperiment' | 'evaluateUserExperiment' | 'saveUserExperiment' | 'deleteUserExperiment' | 'createExperimentProjects'
>;

export class ExperimentsStore {
  state: ExperimentsState = { list: null, listError: null, last: {}, sessions: {}, view: { kind: 'gallery' }, pending: {} };
  private listeners = new Set<() => void>();
  private detach: (() => void) | null = null;
  private loading: Promise<void> | null = null;

  constructor(private readonly lab: Lab) {
    this.detach = lab.subscribe((e: LabEvent) => {
      if (e.type === 'experiment') this.onEvent(e);
    });
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

  /** Loads the gallery and the newest stored result of each experiment (once; `force` reloads). */
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
      const entries = await this.lab.listExperimentResults().catch(() => []);
      const files = latestResultFiles(entries);
      const results = await Promise.all([...files.values()].map((file) => this.lab.readExperimentResult({ file }).catch(() => null)));
      const last = { ...this.state.last };
      for (const r of results) {
        if (!r) continue;
        const key = resultKey(r.source, r.experiment);
        // A result that arrived live while loading is newer.
        if (!last[key] || last[key].startedAt < r.startedAt) last[key] = r;
      }
      this.set({ last });
    })();
    return this.loading;
  }

  open(view: ExperimentsView): void {
    this.set({ view });
  }

  info(id: string): ExperimentInfo | undefined {
    return this.state.list?.builtin.find((e) => e.id === id);
  }

  /** Starts a guided experiment; progress arrives as events. */
  async start(id: string, o: { seed?: number; concurrency?: number } = {}): Promise<void> {
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
      this.set({ last: { ...this.state.last, [key]: result } });
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
    const { [resultKey('user', id)]: _, ...last } = this.state.last;
    this.set({ last, ...(list ? { list: { ...list, saved: list.saved.filter((s) => s.id !== id) } } : {}) });
  }

  createProjects(id: string): Promise<string[]> {
    return this.lab.createExperimentProjects({ id });
  }

  private onEvent(e: Extract<LabEvent, { type: 'experiment' }>): void {
    const variants = this.info(e.experiment)?.variants ?? [];
    const next = applyExperimentEvent(this.state.sessions[e.experiment], e, variants);
    this.setSession(e.experiment, next);
    if (e.phase === 'finished' && e.result) this.set({ last: { ...this.state.last, [resultKey(e.result.source, e.result.experiment)]: e.result } });
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

/** The store of a host connection (created on first use; it lives as long as the connection). */
export function experimentsStoreFor(lab: Lab): ExperimentsStore {
  let s = stores.get(lab);
  if (!s) {
    s = new ExperimentsStore(lab);
    stores.set(lab, s);
  }
  return s;
}

export function useExperimentsState<T>(store: ExperimentsStore, select: (s: ExperimentsState) => T): T {
  return useSyncExternalStore(store.subscribe, () => select(store.state));
}
