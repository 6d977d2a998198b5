import { LabError, type LabEvent, type RunSummary } from '../../../src/shared/api';
import type { SweepRuns } from '../../../src/main/sweeps/runner';
import type { GraphDoc } from '../../../src/shared/graph/types';

/**
 * A fake training side: each run's validation accuracy after epoch e is q(lr)·e/epochs with q peaking at
 * lr = 1e-3; an epoch takes `ms`. Stop, resume (from the last finished epoch) and names/tags work like the registry.
 */
export class FakeRuns implements SweepRuns {
  runs = new Map<string, { summary: RunSummary; lr: number; timer?: NodeJS.Timeout; done?: (s: RunSummary) => void; stopped: boolean; config: Record<string, unknown> }>();
  private listeners = new Set<(e: LabEvent) => void>();
  private n = 0;
  /** Called as each epoch ends, before its event (tests stop a sweep at an exact point with it). */
  afterEpoch?: (runId: string, epoch: number) => void;
  /** Runs that ended before their first checkpoint: resume refuses them, as the registry does. */
  noCheckpoint = new Set<string>();
  constructor(private readonly ms = 5) {}
  onEvent(l: (e: LabEvent) => void) {
    this.listeners.add(l);
    return () => this.listeners.delete(l);
  }
  private emit(e: LabEvent) {
    for (const l of this.listeners) l(e);
  }
  async startRun(a: { project: string; dataset: string; config: Record<string, unknown> }): Promise<RunSummary> {
    const id = `run-${++this.n}`;
    const cfg = a.config as { epochs?: number; optimizer?: { lr?: number } };
    const summary: RunSummary = { id, name: id, state: 'running', createdAt: new Date().toISOString(), dataset: a.dataset, epoch: 0, epochs: cfg.epochs ?? 5, step: 0 };
    this.runs.set(id, { summary, lr: cfg.optimizer?.lr ?? 1e-3, stopped: false, config: a.config });
    this.tick(id);
    return { ...summary };
  }
  private tick(id: string) {
    const r = this.runs.get(id)!;
    r.timer = setTimeout(() => {
      if (r.stopped) return;
      r.summary.epoch++;
      const q = Math.exp(-((Math.log10(r.lr) + 3) ** 2) / 2);
      this.emit({ type: 'epoch', runId: id, epoch: r.summary.epoch, lr: r.lr, seconds: 0, train: { loss: 1 }, val: { loss: 1 - q, accuracy: (q * r.summary.epoch) / r.summary.epochs } });
      this.afterEpoch?.(id, r.summary.epoch);
      if (r.stopped) return; // stopped while the epoch's event was handled
      if (r.summary.epoch >= r.summary.epochs) this.finish(id, 'completed');
      else this.tick(id);
    }, this.ms);
  }
  private finish(id: string, state: RunSummary['state']) {
    const r = this.runs.get(id)!;
    r.summary.state = state;
    this.emit({ type: 'run-status', run: { ...r.summary } });
    r.done?.({ ...r.summary });
  }
  async controlRun({ id, action }: { id: string; action: 'pause' | 'resume' | 'stop' }): Promise<RunSummary> {
    const r = this.runs.get(id);
    if (!r) throw new LabError(`no run '${id}'`, 'not-found');
    if (action === 'stop') {
      if (r.summary.state !== 'running') throw new LabError('not running', 'not-running');
      r.stopped = true;
      clearTimeout(r.timer);
      this.finish(id, 'stopped');
    } else if (action === 'resume') {
      if (r.summary.state === 'completed') throw new LabError('done', 'completed');
      if (this.noCheckpoint.has(id)) throw new LabError(`run ${id} has no checkpoint to resume from`, 'no-checkpoint');
      r.stopped = false;
      r.summary.state = 'running';
      this.tick(id);
    }
    return { ...r.summary };
  }
  wait(id: string): Promise<RunSummary> {
    const r = this.runs.get(id)!;
    if (r.summary.state !== 'running') return Promise.resolve({ ...r.summary });
    return new Promise((res) => (r.done = res));
  }
  async updateRun(a: { id: string; name?: string; tags?: string[] }): Promise<RunSummary> {
    const r = this.runs.get(a.id)!;
    Object.assign(r.summary, a.name ? { name: a.name } : {}, a.tags ? { tags: a.tags } : {});
    return { ...r.summary };
  }
  async runDetail({ id }: { id: string }) {
    const r = this.runs.get(id)!;
    const q = Math.exp(-((Math.log10(r.lr) + 3) ** 2) / 2);
    const events = Array.from({ length: r.summary.epoch }, (_, i) => ({ type: 'epoch' as const, runId: id, epoch: i + 1, lr: r.lr, seconds: 0, train: { loss: 1 }, val: { loss: 1 - q, accuracy: (q * (i + 1)) / r.summary.epochs } }));
    return { summary: { ...r.summary }, config: r.config, graph: null as unknown as GraphDoc, events };
  }
}
