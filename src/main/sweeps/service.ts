import { join } from 'node:path';
import { LabError } from '../../shared/api';
import { restore } from '../../shared/graph/restore';
import { startSweepArgsSchema, summarizeSweep, type StartSweepArgs, type SweepEvent, type SweepSummary } from '../../shared/sweeps/types';
import { createSweep, SweepRunner, type SweepRuns } from './runner';
import { SweepStore } from './store';

/**
 * The sweeps side of the lab API: start a sweep in the background (progress arrives as `sweep` events, each
 * trial's curves as its run's own events), stop it, resume it after a stop or a crash, list and read sweeps.
 * At its first call it marks the sweeps a dead process was running `interrupted`.
 */
export class SweepService {
  private readonly runner: SweepRunner;
  private readonly live = new Map<string, { controller: AbortController; done: Promise<unknown> }>();
  private recovered: Promise<unknown> | null = null;

  constructor(
    private readonly runs: SweepRuns,
    readonly store: SweepStore,
    private readonly emit: (e: SweepEvent) => void,
  ) {
    this.runner = new SweepRunner(runs, store);
  }

  /** Startup recovery (once). */
  recover(): Promise<unknown> {
    this.recovered ??= this.store.recover((id) => this.live.has(id)).catch(() => undefined);
    return this.recovered;
  }

  async listSweeps(): Promise<SweepSummary[]> {
    await this.recover();
    return (await this.store.list()).map(summarizeSweep);
  }

  async readSweep(a: { id: string }): Promise<SweepSummary> {
    await this.recover();
    return summarizeSweep(await this.store.read(a.id));
  }

  async startSweep(a: StartSweepArgs): Promise<SweepSummary> {
    await this.recover();
    const parsed = startSweepArgsSchema.safeParse(a);
    if (!parsed.success) throw new LabError(`Invalid sweep: ${parsed.error.issues.map((i) => `${i.path.join('.') || 'sweep'}: ${i.message}`).join('; ')}`, 'invalid-sweep');
    const { project, dataset, config, name, ...settings } = parsed.data;
    const restored = restore(project);
    if (!restored.ok) throw new LabError(`The project cannot be trained: ${restored.errors.map((e) => `${e.path || '(file)'}: ${e.message}`).join('; ')}`, 'invalid-project');
    const doc = await createSweep(this.store, { graph: restored.graph, dataset, config, settings, ...(name ? { name } : {}) });
    await this.launch(doc.id);
    return this.readSweep({ id: doc.id });
  }

  async stopSweep(a: { id: string }): Promise<SweepSummary> {
    const s = this.live.get(a.id);
    if (!s) throw new LabError(`sweep ${a.id} is not running here`, 'not-running');
    s.controller.abort();
    await s.done;
    return this.readSweep(a);
  }

  async resumeSweep(a: { id: string }): Promise<SweepSummary> {
    await this.recover();
    if (this.live.has(a.id)) throw new LabError(`sweep ${a.id} is already running`, 'conflict');
    const doc = await this.store.read(a.id);
    if (doc.state === 'completed') throw new LabError(`sweep ${a.id} has finished all its trials`, 'completed');
    // A sweep that another live process runs, or whose network no longer loads, is refused here.
    await this.launch(a.id);
    return this.readSweep(a);
  }

  /** Runs the sweep in the background; resolves once it has started (rejects when it cannot start). */
  private launch(id: string): Promise<void> {
    const controller = new AbortController();
    let started!: () => void;
    const starting = new Promise<void>((r) => (started = r));
    const run = this.runner.run(id, {
      signal: controller.signal,
      onEvent: (e) => {
        if (e.phase === 'started') started();
        this.emit(e);
      },
    });
    const done = run.catch(() => undefined).finally(() => this.live.delete(id));
    this.live.set(id, { controller, done });
    return Promise.race([starting, run.then(() => undefined)]);
  }

  /** Stops the sweeps in flight (host shutdown): their trials are `interrupted` and resume later. */
  async dispose(): Promise<void> {
    const running = [...this.live.values()];
    for (const s of running) s.controller.abort();
    await Promise.all(running.map((s) => s.done));
  }
}

/** The sweeps side as LabService uses it. */
export type SweepManager = Pick<SweepService, 'listSweeps' | 'readSweep' | 'startSweep' | 'stopSweep' | 'resumeSweep'> & { dispose?(): Promise<void> };

/** LabServiceOptions.sweeps for a host: sweeps under `<home>/sweeps`, trials through the host's runs. */
export function sweepsFor(runs: SweepRuns, home: string): (host: { emit(e: SweepEvent): void }) => SweepService {
  return (host) => new SweepService(runs, new SweepStore(join(home, 'sweeps')), (e) => host.emit(e));
}
