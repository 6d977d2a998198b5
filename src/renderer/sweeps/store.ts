import { useSyncExternalStore } from 'react';
import type { LabApi, LabEvent, SweepSummary } from '../../shared/api';

type Lab = Pick<LabApi, 'subscribe' | 'listSweeps' | 'readSweep' | 'stopSweep' | 'resumeSweep'>;

export interface SweepsState {
  /** Every sweep, newest first (from listSweeps, kept current by `sweep` events). */
  list: SweepSummary[] | null;
  error: string | null;
  /** The sweep shown in the Training workspace instead of the run dashboards. */
  openId: string | null;
}

/**
 * The sweeps the UI knows, kept outside React so a sweep keeps being followed while another workspace is shown.
 * One store per host connection.
 */
export class SweepsStore {
  state: SweepsState = { list: null, error: null, openId: null };
  private listeners = new Set<() => void>();
  private detach: () => void;

  constructor(private readonly lab: Lab) {
    this.detach = lab.subscribe((e: LabEvent) => {
      if (e.type === 'sweep') this.upsert(e.sweep);
    });
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };
  getState = (): SweepsState => this.state;

  private set(patch: Partial<SweepsState>): void {
    this.state = { ...this.state, ...patch };
    for (const l of this.listeners) l();
  }

  upsert(s: SweepSummary): void {
    const list = this.state.list ?? [];
    const next = list.some((x) => x.id === s.id) ? list.map((x) => (x.id === s.id ? s : x)) : [s, ...list];
    this.set({ list: next });
  }

  async load(): Promise<void> {
    try {
      this.set({ list: await this.lab.listSweeps(), error: null });
    } catch (err) {
      this.set({ error: (err as Error).message });
    }
  }

  open(id: string | null): void {
    this.set({ openId: id });
  }

  async stop(id: string): Promise<void> {
    this.upsert(await this.lab.stopSweep({ id }));
  }

  async resume(id: string): Promise<void> {
    this.upsert(await this.lab.resumeSweep({ id }));
  }

  dispose(): void {
    this.detach();
  }
}

const stores = new WeakMap<object, SweepsStore>();
/** The store of this host connection. */
export function sweepsStore(lab: Lab): SweepsStore {
  let s = stores.get(lab);
  if (!s) {
    s = new SweepsStore(lab);
    stores.set(lab, s);
    void s.load();
  }
  return s;
}

export function useSweeps(lab: Lab | null | undefined): SweepsState & { store: SweepsStore | null } {
  const store = lab ? sweepsStore(lab) : null;
  const state = useSyncExternalStore(store?.subscribe ?? noop, store?.getState ?? empty);
  return { ...state, store };
}
const noop = (): (() => void) => () => undefined;
const EMPTY: SweepsState = { list: null, error: null, openId: null };
const empty = (): SweepsState => EMPTY;
