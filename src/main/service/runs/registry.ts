import { newRunId } from '../../runs/runStore';
import { Worker } from 'node:worker_threads';
import { existsSync, promises as fsp } from 'node:fs';
import { EventEmitter } from 'node:events';
import { LabError, type AugmentPreview, type DatasetPreview, type DatasetSummary, type LabEvent, type RunDetail, type RunSummary, type SampleImages, type TorchHostInfo } from '../../../shared/api';
import { augmentPreview, datasetPreview, sampleImages, thinEvents } from './previews';
import { recordedCrop } from '../../engine/weights/initResize';
import type { AttentionImage, AttentionMaps } from '../../../shared/attention';
import { InferenceClient } from '../../engine/predict/inferenceClient';
import type { PredictArgs, PredictResult } from '../../../shared/predict';
import { errorsOf } from '../../../shared/graph/analyze';
import { toPlainJson } from '../../../shared/graph/plainJson';
import { restore } from '../../../shared/graph/restore';
import { trainConfigSchema } from '../../../shared/training/config';
import { listDatasets } from '../../engine/data/registry';
import { discoverTorch, torchHostInfo } from '../../engine/torch/discover';
import type { FromWorker, ToWorker, WorkerStart } from '../../engine/worker/protocol';
import { removeStaleTemps, STALE_TEMP_MS } from '../../util/atomicWrite';
import { redactPaths } from '../../util/paths';
import type { ControlRunArgs, RunManager, StartRunArgs } from '../runManager';
import { pruneCheckpoints, removeCheckpointTemps } from '../../runs/checkpoints';
import { defaultRunName, normalizeTags } from '../../../shared/training/runName';
import { otherOwner, resumePoint, SESSION, whyNotRunning, type RunRecovery } from './interrupted';
import { isActive, summaryOf, type RunRecord } from '../../../shared/runs/runRecord';
import { RunStore } from '../../runs/runStore';

/** The worker entry: the TypeScript source under tsx, the bundled file next to the main bundle in the app. */
function workerEntry(): { url: URL; entry?: string } {
  if (!import.meta.url.endsWith('.ts')) return { url: new URL('./runWorker.js', import.meta.url) };
  return { url: new URL('../../engine/worker/devBoot.mjs', import.meta.url), entry: new URL('../../engine/worker/runWorker.ts', import.meta.url).href };
}

interface Active {
  worker: Worker;
  record: RunRecord;
  settled: boolean;
  log: Promise<void>;
  /** Worker messages are handled one after another, so 'done' is settled after the events before it. */
  inbox: Promise<void>;
  done: Promise<RunSummary>;
}

/**
 * The RunManager of the engine: one worker_threads worker per run, a folder per run under `runsDir` with
 * run.json (atomic), metrics.jsonl (append-only telemetry) and checkpoints/. A crashed worker marks its run
 * failed and leaves everything written so far.
 */
export class RunRegistry implements RunManager {
  private readonly active = new Map<string, Active>();
  private readonly events = new EventEmitter();
  readonly store: RunStore;
  /** Predict, Grad-CAM, feature maps and attention maps run here, off this thread. */
  readonly inference: InferenceClient;

  constructor(private readonly runsDir: string) {
    this.events.setMaxListeners(100);
    this.store = new RunStore(runsDir);
    this.inference = new InferenceClient(runsDir);
  }

  async listDatasets(): Promise<DatasetSummary[]> {
    return listDatasets().map((d) => ({ id: d.id, name: d.name, task: d.task, shape: d.shape, classes: d.classes, sizes: d.sizes }));
  }

  async startRun(args: StartRunArgs): Promise<RunSummary> {
    const restored = restore(args.project);
    if (!restored.ok) throw new LabError(`The project cannot be trained: ${restored.errors.map((e) => `${e.path || '(file)'}: ${e.message}`).join('; ')}`, 'invalid-project');
    // restore analyzed the graph: its issues are the validation (the worker trains this graph as is).
    const errors = errorsOf(restored);
    if (errors.length) throw new LabError(`The graph has errors: ${errors.map((e) => e.message).join('; ')}`, 'invalid-graph');
    // The settings are saved in run.json: bounded like a project (JSON.stringify of 100k levels overflows the stack).
    const plainConfig = toPlainJson(args.config, 32, 'settings need');
    if (!plainConfig.ok) throw new LabError(`Invalid training settings: ${plainConfig.path ? `${plainConfig.path}: ` : ''}${plainConfig.message}`, 'invalid-config');
    const parsed = trainConfigSchema.safeParse(plainConfig.value);
    if (!parsed.success) throw new LabError(`Invalid training settings: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`, 'invalid-config');
    const id = newRunId();
    const now = new Date().toISOString();
    const record: RunRecord = {
      id,
      name: defaultRunName({ graphName: restored.graph.meta.name, dataset: args.dataset, config: parsed.data, existing: (await this.listRuns()).map((r) => r.name) }),
      createdAt: now,
      updatedAt: now,
      state: 'queued',
      task: restored.graph.meta.task,
      pid: process.pid,
      session: SESSION,
      dataset: args.dataset,
      epoch: 0,
      epochs: parsed.data.epochs,
      step: 0,
      fallbackOps: [],
      tags: [],
      checkpoints: {},
      config: parsed.data as unknown as Record<string, unknown>,
      graph: restored.graph,
    };
    try {
      await this.store.create(record);
      await this.launch(record);
    } catch (err) {
      // Nothing was trained yet: leave no folder behind (a full disk, a worker that cannot start).
      await this.active.get(id)?.worker.terminate();
      this.active.delete(id);
      await this.store.discard(id);
      throw err;
    }
    return summaryOf(record);
  }

  async controlRun({ id, action }: ControlRunArgs): Promise<RunSummary> {
    const run = this.active.get(id);
    if (run && !run.settled) {
      const msg: ToWorker = { type: action };
      run.worker.postMessage(msg);
      if (action !== 'stop') await this.update(run.record, { state: action === 'pause' ? 'paused' : 'running' });
      return summaryOf(run.record);
    }
    let record = await this.read(id);
    if (isActive(record.state)) {
      const owner = otherOwner(record);
      if (owner) throw new LabError(`run ${id} is training in another Netsmith process (pid ${owner}); ${action} it there`, 'not-running');
      // Its worker is gone (the lab was killed mid-run): the run is interrupted, whatever run.json said.
      record = await this.markInterrupted(record);
      if (action === 'stop') return summaryOf(record);
    }
    if (action !== 'resume') throw new LabError(`run ${id} is not running: ${whyNotRunning(record)}`, 'not-running');
    if (record.state === 'completed') throw new LabError(`run ${id} has completed all ${record.epochs} epochs`, 'completed');
    const from = await resumePoint(this.runDir(record.id), record);
    if (!from) throw new LabError(`run ${id} has no checkpoint to resume from`, 'no-checkpoint');
    // A kill mid-append can leave the log's last line unfinished; the worker's resume event must start a new one.
    if (record.state === 'interrupted') await this.store.endLogLine(id);
    const loggedStep = record.step;
    const resumed = { after: record.state === 'interrupted' ? ('interrupted' as const) : ('stop' as const), checkpoint: from };
    await this.update(record, { state: 'queued', error: undefined, pid: process.pid, session: SESSION });
    await this.launch(record, await this.store.checkpointDir(id, from), loggedStep, resumed);
    return summaryOf(record);
  }

  /**
   * Startup recovery, before anything else touches the runs: a run that run.json says is training but whose
   * worker is gone (no live process owns it) becomes `interrupted`, resumable from its last checkpoint; temp
   * files of writes cut off by a crash and empty folders of failed starts are removed. Runs that another live
   * Netsmith process trains are left alone.
   */
  async recover(): Promise<RunRecovery> {
    const report: RunRecovery = { interrupted: [], removedTemps: [], removedEmpty: [], failed: [] };
    if (!existsSync(this.runsDir)) return report;
    report.removedTemps.push(...(await removeStaleTemps(this.runsDir)));
    for (const id of await this.store.ids()) {
      if (this.active.has(id)) continue;
      const dir = this.store.dir(id);
      if (!this.store.has(id)) {
        report.removedTemps.push(...(await removeStaleTemps(dir)));
        const stat = await fsp.stat(dir).catch(() => null);
        // rmdir refuses a folder with anything in it; the age check leaves a start in progress elsewhere alone.
        if (stat && Date.now() - stat.mtimeMs > STALE_TEMP_MS && (await fsp.rmdir(dir).then(() => true, () => false))) report.removedEmpty.push(dir);
        continue;
      }
      const record = await this.read(id).catch(() => undefined);
      // Another live process trains it, or this one is starting it right now.
      if (record && isActive(record.state) && (otherOwner(record) || record.session === SESSION)) continue;
      try {
        report.removedTemps.push(...(await removeStaleTemps(dir)), ...(await removeCheckpointTemps(dir)));
        if (record && isActive(record.state)) {
          await this.markInterrupted(record);
          report.interrupted.push(record.id);
        }
      } catch (err) {
        // One run that cannot be recovered (a full disk, permissions) must not keep the lab from starting.
        report.failed.push(`${id}: ${err instanceof Error ? err.message : String(err)}`);
      }
    }
    return report;
  }

  async listRuns(): Promise<RunSummary[]> {
    const out: RunSummary[] = [];
    for (const id of await this.store.ids()) {
      const live = this.active.get(id);
      if (live) out.push(summaryOf(live.record));
      else {
        const r = await this.read(id).catch(() => undefined);
        if (r) out.push(summaryOf(r));
      }
    }
    return out.sort((a, b) => b.createdAt.localeCompare(a.createdAt));
  }

  /** Renames a run and/or sets its tags; a running run keeps its new name (its record in memory is the one saved). */
  async updateRun({ id, name, tags }: { id: string; name?: string; tags?: string[] }): Promise<RunSummary> {
    const record = this.active.get(id)?.record ?? (await this.read(id));
    await this.update(record, { ...(name !== undefined ? { name: name.trim() } : {}), ...(tags !== undefined ? { tags: normalizeTags(tags) } : {}) });
    return summaryOf(record);
  }

  datasetPreview(a: { id: string; perClass: number; initFrom?: string }): Promise<DatasetPreview> {
    return datasetPreview(a.id, a.perClass, a.initFrom);
  }

  augmentPreview(a: { id: string; augment: Record<string, unknown>; seed: number; count: number; variants: number; initFrom?: string }): Promise<AugmentPreview> {
    return augmentPreview(a);
  }

  async runDetail({ id }: { id: string }): Promise<RunDetail> {
    const live = this.active.get(id);
    const record = live?.record ?? (await this.read(id));
    await live?.log;
    const lines = await this.store.logLines(id);
    return { summary: summaryOf(record), config: record.config, graph: record.graph, ...(record.data ? { classes: record.data.classes } : {}), events: thinEvents(lines) };
  }

  async runSamples({ id, indices }: { id: string; indices: number[] }): Promise<SampleImages> {
    const record = this.active.get(id)?.record ?? (await this.read(id));
    return sampleImages(record.dataset, Number(record.config.seed ?? 42), 'val', indices, recordedCrop(record.data));
  }

  /** Attention maps of the run's best (else last) checkpoint for one image, in the inference worker. */
  async attentionMaps(args: { id: string; image: AttentionImage; layer?: number; head?: number }): Promise<AttentionMaps> {
    this.store.dir(args.id); // a bad id is refused ('bad-id') before the worker is asked
    if (!this.store.has(args.id)) throw new LabError(`no run '${args.id}'`, 'not-found');
    return this.inference.attentionMaps(args);
  }

  /** A run's checkpoint on one image, in the inference worker (models stay loaded there for the next call). */
  predict(args: PredictArgs): Promise<PredictResult> {
    return this.inference.predict(args);
  }

  async torchInfo(): Promise<TorchHostInfo> {
    return torchHostInfo(await discoverTorch());
  }

  /** Resolves when the run's worker has finished (completed, stopped, failed). */
  async wait(id: string): Promise<RunSummary> {
    const run = this.active.get(id);
    return run ? run.done : summaryOf(await this.read(id));
  }

  /** Kills a run's worker at once, without saving (for a hung worker; it is what an out-of-memory crash does). */
  async kill(id: string): Promise<void> {
    await this.active.get(id)?.worker.terminate();
  }

  onEvent(listener: (event: LabEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  async dispose(): Promise<void> {
    await this.inference.dispose();
    await Promise.all(
      [...this.active.values()].filter((r) => !r.settled).map(async (r) => {
        r.worker.postMessage({ type: 'stop' } satisfies ToWorker);
        await Promise.race([r.done, new Promise((res) => setTimeout(res, 5000))]);
        if (!r.settled) await r.worker.terminate();
      }),
    );
  }

  runDir(id: string): string {
    return this.store.dir(id);
  }

  private async markInterrupted(record: RunRecord): Promise<RunRecord> {
    const from = await resumePoint(this.runDir(record.id), record);
    await this.store.endLogLine(record.id);
    await this.update(record, {
      state: 'interrupted',
      error: from ? undefined : 'The lab closed before the first checkpoint of this run: there is nothing to resume; start it again.',
    });
    return record;
  }

  private async launch(record: RunRecord, resumeFrom?: string, loggedStep?: number, resumed?: WorkerStart['resumed']): Promise<void> {
    // PyTorch is looked for once per host process (seconds: Python imports torch), not once per run.
    const backend = (record.config as { backend?: string }).backend ?? 'auto';
    const torch = backend === 'auto' || backend === 'torch' ? await discoverTorch() : undefined;
    const start: WorkerStart = { runId: record.id, runDir: this.runDir(record.id), graph: record.graph, dataset: record.dataset, config: record.config, resumeFrom, loggedStep, resumed, ...(torch ? { torch } : {}) };
    const { url, entry } = workerEntry();
    const worker = new Worker(url, { workerData: { ...start, __entry: entry } });
    let resolveDone!: (s: RunSummary) => void;
    const run: Active = { worker, record, settled: false, log: Promise.resolve(), inbox: Promise.resolve(), done: new Promise((r) => (resolveDone = r)) };
    this.active.set(record.id, run);
    const settle = async (patch: Partial<RunRecord>): Promise<void> => {
      if (run.settled) return;
      run.settled = true;
      await run.log;
      await this.update(record, patch);
      this.active.delete(record.id);
      void worker.terminate();
      resolveDone(summaryOf(record));
    };
    const handle = (f: () => Promise<void>): void => {
      run.inbox = run.inbox.then(f).catch((err: unknown) => console.error(`run ${record.id}:`, err));
    };
    worker.on('message', (m: FromWorker) => handle(() => this.onMessage(run, m, settle)));
    worker.on('error', (err) => handle(() => settle({ state: 'failed', error: redactPaths(`the training worker crashed: ${err.message}`) })));
    // Messages posted just before the exit are delivered first; give them a moment before calling it a crash.
    worker.on('exit', (code) => setTimeout(() => handle(() => settle({ state: 'failed', error: `the training worker exited unexpectedly (code ${code})` })), 100));
  }

  private async onMessage(run: Active, m: FromWorker, settle: (p: Partial<RunRecord>) => Promise<void>): Promise<void> {
    const r = run.record;
    switch (m.type) {
      case 'ready':
        await this.update(r, { state: 'running', backend: m.backend, engine: m.engine, fallbackOps: m.fallbackOps, stepsPerEpoch: m.stepsPerEpoch, graph: m.graph, data: m.data, ...(m.config ? { config: m.config } : {}) });
        return;
      case 'events':
        run.log = run.log.then(() => this.store.appendEvents(r.id, m.events));
        for (const e of m.events) {
          if (e.type === 'step') r.step = e.step;
          if (e.type === 'epoch') {
            r.epoch = e.epoch;
            r.metrics = { train_loss: e.train.loss, ...(e.train.accuracy !== undefined ? { train_accuracy: e.train.accuracy } : {}), val_loss: e.val.loss, val_accuracy: e.val.accuracy };
            await this.save(r);
          }
          this.events.emit('event', e);
        }
        return;
      case 'checkpoint':
        await this.update(r, m.reason === 'best' ? { checkpoints: { ...r.checkpoints, best: m.name } } : { checkpoints: { ...r.checkpoints, last: m.name }, epoch: m.epoch, step: m.step });
        // Only once run.json points at the new checkpoint may older ones go.
        if (m.reason === 'epoch') await pruneCheckpoints(this.runDir(r.id), { newest: m.epoch, keepEvery: Number(r.config.checkpointKeepEvery ?? 0) || undefined, protect: [r.checkpoints.last ?? ''] });
        return;
      case 'done':
        await settle({ state: m.reason === 'stopped' ? 'stopped' : 'completed', epoch: m.epoch, step: m.step, metrics: { ...r.metrics, ...m.metrics } });
        return;
      case 'failed':
        // Kept in run.json and shown by both hosts: no absolute paths (a dataset folder shows as ~/…).
        await settle({ state: 'failed', error: redactPaths(m.message) });
        return;
    }
  }

  private async update(r: RunRecord, patch: Partial<RunRecord>): Promise<void> {
    Object.assign(r, patch);
    await this.save(r);
    this.events.emit('event', { type: 'run-status', run: summaryOf(r) } satisfies LabEvent);
  }

  private save(r: RunRecord): Promise<void> {
    return this.store.write(r);
  }

  private read(id: string): Promise<RunRecord> {
    return this.store.read(id);
  }

}

