import { isActive } from '../../shared/runs/runRecord';
import { subscribeTopic, type LabApi, type LabEvent, type RunDetail } from '../../shared/api';
import { overlayFits } from './heat';
import { RunTelemetry, type Channel, type RunMeta } from './run';

/**
 * The renderer's telemetry: one bounded RunTelemetry per run, fed by one subscription to the host's events
 * (`attach`), or from a past run's record (`load`). Listeners are told at most every `throttleMs` (charts
 * redraw a few times a second, not per event). Old runs are evicted beyond `maxRuns`, except the live one
 * and the one shown.
 */

export interface TelemetryStoreOptions {
  /** Coalescing delay for listener notifications (0: synchronous, for tests). */
  throttleMs?: number;
  maxRuns?: number;
  probeBudgetBytes?: number;
  now?: () => number;
}

export class TelemetryStore {
  private runs = new Map<string, RunTelemetry>();
  private listeners = new Set<() => void>();
  private timer: ReturnType<typeof setTimeout> | null = null;
  private dirty = false;
  private tick = 0;
  private readonly throttleMs: number;
  private readonly maxRuns: number;
  private readonly probeBudget?: number;
  private readonly now: () => number;
  /** The run the dashboards show. */
  selected: string | null = null;
  /** The run currently training (the latest that reported running/paused/queued). */
  live: string | null = null;
  /** Bumped on every notification: a cheap snapshot for useSyncExternalStore. */
  version = 0;
  /** The editor colours nodes by gradient norm (from the shown run's latest probe). */
  showHeat = true;
  /** The document open in the editor: a run's overlay shows on it only when the run trained this network. */
  private editorDoc: unknown;

  constructor(opts: TelemetryStoreOptions = {}) {
    this.throttleMs = opts.throttleMs ?? 150;
    this.maxRuns = opts.maxRuns ?? 8;
    this.probeBudget = opts.probeBudgetBytes;
    this.now = opts.now ?? (() => Date.now());
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  };

  get(id: string | null | undefined): RunTelemetry | undefined {
    return id ? this.runs.get(id) : undefined;
  }

  /** The run shown: the selected one, else the live one. */
  current(): RunTelemetry | undefined {
    return this.get(this.selected) ?? this.get(this.live);
  }

  ensure(id: string): RunTelemetry {
    let r = this.runs.get(id);
    if (!r) {
      r = new RunTelemetry(id, this.probeBudget);
      this.runs.set(id, r);
      this.evict();
    }
    r.touched = ++this.tick;
    return r;
  }

  has(id: string): boolean {
    return this.runs.has(id);
  }

  ids(): string[] {
    return [...this.runs.keys()];
  }

  /** One event from the host. */
  ingest(e: LabEvent): Channel | null {
    const id = e.type === 'run-status' ? e.run.id : 'runId' in e ? e.runId : null;
    if (!id) return null;
    const run = this.ensure(id);
    const ch = run.ingest(e, this.now());
    if (e.type === 'run-status') {
      if (isActive(e.run.state)) this.live = id;
    } else if (e.type === 'step' && this.live === null) this.live = id;
    if (ch) this.changed();
    return ch;
  }

  setMeta(id: string, meta: RunMeta): void {
    const r = this.ensure(id);
    r.meta = { ...r.meta, ...meta };
    r.versions.status++;
    this.changed();
  }

  select(id: string | null): void {
    if (this.selected === id) return;
    this.selected = id;
    if (id) this.ensure(id);
    this.changed();
  }

  /** The editor's document changed (cheap: the overlay check is cached per document). */
  setEditorDoc(doc: unknown): void {
    if (doc === this.editorDoc) return;
    const before = overlayFits(this.current(), this.editorDoc);
    this.editorDoc = doc;
    if (overlayFits(this.current(), doc) !== before) {
      this.changed();
      this.flush();
    }
  }

  /** Whether the shown run's gradient overlay belongs on the editor's document. */
  overlayFitsEditor(run: RunTelemetry | undefined = this.current()): boolean {
    return overlayFits(run, this.editorDoc);
  }

  setShowHeat(on: boolean): void {
    this.showHeat = on;
    this.changed();
    this.flush();
  }

  /** Loads a past (or running) run's record: its summary, config, graph and thinned event log. */
  load(detail: RunDetail): RunTelemetry {
    const id = detail.summary.id;
    const fresh = new RunTelemetry(id, this.probeBudget);
    for (const e of detail.events) fresh.ingest(e, this.now());
    fresh.summary = detail.summary;
    fresh.meta = { ...this.runs.get(id)?.meta, config: detail.config, graph: detail.graph, ...(detail.classes ? { classes: detail.classes } : {}) };
    fresh.versions.status++;
    fresh.touched = ++this.tick;
    this.runs.set(id, fresh);
    this.evict();
    this.changed();
    return fresh;
  }

  /** Subscribes once to the host's run events; returns the unsubscribe. */
  attach(lab: Pick<LabApi, 'subscribe'>): () => void {
    return subscribeTopic(lab, 'run', (e) => void this.ingest(e));
  }

  /** Retained bytes over all runs (estimate). */
  bytes(): number {
    let b = 0;
    for (const r of this.runs.values()) b += r.bytes();
    return b;
  }

  /** Notifies now (tests, and after a user action that must show at once). */
  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (!this.dirty) return;
    this.dirty = false;
    this.version++;
    for (const l of [...this.listeners]) l();
  }

  private changed(): void {
    this.dirty = true;
    if (this.throttleMs <= 0) return this.flush();
    this.timer ??= setTimeout(() => this.flush(), this.throttleMs);
  }

  private evict(): void {
    if (this.runs.size <= this.maxRuns) return;
    const keep = new Set([this.selected, this.live]);
    const old = [...this.runs.values()].filter((r) => !keep.has(r.id)).sort((a, b) => a.touched - b.touched);
    while (this.runs.size > this.maxRuns && old.length) this.runs.delete(old.shift()!.id);
  }
}
