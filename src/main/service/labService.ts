import { EventEmitter } from 'node:events';
import { promises as fsp } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import type { AugmentPreview, DatasetPreview, DatasetSummary, ExperimentInfo, ExportResult, ExportRunArgs, ExperimentResult, ExperimentResultEntry, HostInfo, ImportedModelProject, ImportedWeights, LabApi, LabArgs, LabEvent, ProjectEntry, RunDetail, RunningExperiment, RunSummary, SampleImages, UserExperiment, WeightsSource } from '../../shared/api';
import { LAB_ARGS, LabError } from '../../shared/api';
import { describeWeights } from '../engine/weights/describe';
import { importModelProject } from './importModel';
import { importWeightsFolder } from './importWeights';
import type { AttentionArgs, AttentionMaps } from '../../shared/attention';
import type { PredictArgs, PredictResult } from '../../shared/predict';
import { netsmithHome } from '../util/home';
import { displayPath } from '../util/paths';
import { checkDatasetAccess, checkNewRoot } from './datasetRoots';
import { readJsonFile, SerialQueue, writeJsonFile } from '../util/jsonFile';
import { APP_VERSION } from '../util/version';
import type { ExperimentHost, ExperimentManager } from '../experiments/service';
import type { SweepManager } from '../sweeps/service';
import type { StartSweepArgs, SweepEvent, SweepSummary } from '../../shared/sweeps/types';
import type { RunExporter } from './exports';
import { ProjectStore } from './projects';
import { createDisconnectedRunManager, NO_ENGINE_MESSAGE, type ControlRunArgs, type RunManager, type StartRunArgs } from './runManager';

export interface LabServiceOptions {
  /** Which host runs the service; reported by hostInfo. */
  kind: HostInfo['kind'];
  /** Data folder (state.json, autosave). Default: $NETSMITH_HOME or ~/Netsmith. */
  home?: string;
  /** Projects folder. Default: <home>/projects. */
  projectsDir?: string;
  /** The training side. Default: one that answers every call with a `no-engine` error. */
  runs?: RunManager;
  /** Exports of runs (`new RunExporter({ runsDir })`). Default: none (`no-engine`). */
  exporter?: RunExporter;
  /** The experiments side (`experimentsFor(runs, home)`), built with this service's events and project writer. Default: none (`no-engine`). */
  experiments?: (host: ExperimentHost) => ExperimentManager;
  /** The sweeps side (`sweepsFor(runs, home)`), built with this service's events. Default: none (`no-engine`). */
  sweeps?: (host: { emit(e: SweepEvent): void }) => SweepManager;
  version?: string;
  /** The user's home folder, always an allowed dataset root (default: os.homedir()). */
  userHome?: string;
}

export const NO_SWEEPS_MESSAGE = 'sweeps need the training engine, which is not connected in this host';
export const NO_EXPERIMENTS_MESSAGE = 'experiments need the training engine, which is not connected in this host';

const RECENT_MAX = 10;
const stateSchema = z.object({ recent: z.array(z.string()).default([]), datasetRoots: z.array(z.string()).default([]) });
type State = z.output<typeof stateSchema>;
const autosaveSchema = z.object({ text: z.string(), savedAt: z.string() });

/**
 * The lab's backend in plain Node: project files, recent list, autosave, and runs through a RunManager.
 * Arguments are assumed validated (every transport runs LAB_ARGS first); paths are still checked here.
 */
export class LabService implements LabApi {
  readonly home: string;
  readonly projects: ProjectStore;
  private readonly kind: HostInfo['kind'];
  private readonly userHome: string;
  private readonly version: string;
  private readonly runs: RunManager;
  private readonly events = new EventEmitter();
  private readonly stateQueue = new SerialQueue();
  private readonly detachRuns: () => void;
  private readonly exporter: RunExporter | null;
  private readonly experiments: ExperimentManager | null;
  private readonly sweeps: SweepManager | null;
  private state: State | null = null;

  constructor(options: LabServiceOptions) {
    this.kind = options.kind;
    this.userHome = options.userHome ?? homedir();
    this.home = options.home ?? netsmithHome();
    this.projects = new ProjectStore(options.projectsDir ?? join(this.home, 'projects'));
    this.version = options.version ?? APP_VERSION;
    this.runs = options.runs ?? createDisconnectedRunManager();
    this.events.setMaxListeners(0);
    this.detachRuns = this.runs.onEvent((event) => this.emit(event));
    this.exporter = options.exporter ?? null;
    this.experiments = options.experiments?.({ emit: (e) => this.emit(e), writeProject: (path, text) => this.writeProject({ path, text }) }) ?? null;
    this.sweeps = options.sweeps?.({ emit: (e) => this.emit(e) }) ?? null;
  }

  async hostInfo(): Promise<HostInfo> {
    const [backend, torch] = await Promise.all([this.runs.backendName?.().catch(() => undefined), this.runs.torchInfo?.().catch(() => undefined)]);
    return { kind: this.kind, version: this.version, projectsDir: displayPath(this.projects.root, this.home), ...(backend ? { backend } : {}), ...(torch ? { torch } : {}) };
  }

  listProjects(): Promise<ProjectEntry[]> {
    return this.projects.list();
  }

  async readProject(a: { path: string }): Promise<{ path: string; text: string }> {
    try {
      const project = await this.projects.read(a.path);
      await this.touchRecent(project.path).catch((err: unknown) => console.warn(`LabService: ${recentFailure(err)}`));
      return project;
    } catch (err) {
      if (err instanceof LabError && err.code === 'not-found') await this.forgetRecent(this.projects.resolve(a.path).rel);
      throw err;
    }
  }

  async writeProject(a: { path: string; text: string }): Promise<ProjectEntry> {
    const entry = await this.projects.write(a.path, a.text);
    // The project is safely written; a recent list that cannot be updated (a full disk) is only a warning.
    try {
      await this.touchRecent(entry.path);
      return entry;
    } catch (err) {
      console.warn(`LabService: ${recentFailure(err)}`);
      return { ...entry, warning: `Saved, but ${recentFailure(err)}` };
    }
  }

  async recentProjects(): Promise<string[]> {
    const { recent } = await this.loadState();
    const present = await Promise.all(recent.map((p) => this.projects.exists(p)));
    return recent.filter((_, i) => present[i]);
  }

  async writeAutosave(a: { text: string }): Promise<void> {
    await writeJsonFile(this.autosavePath(), { text: a.text, savedAt: new Date().toISOString() });
  }

  readAutosave(): Promise<{ text: string; savedAt: string } | null> {
    return readJsonFile(this.autosavePath(), autosaveSchema.nullable(), null);
  }

  async clearAutosave(): Promise<void> {
    await fsp.rm(this.autosavePath(), { force: true });
  }

  listDatasets(): Promise<DatasetSummary[]> {
    return this.runs.listDatasets();
  }

  describeWeights(a: { path: string }): Promise<WeightsSource> {
    return describeWeights(a.path);
  }

  importModel(a: LabArgs<'importModel'>): Promise<ImportedModelProject> {
    return importModelProject(this.home, a);
  }

  importWeights(a: LabArgs<'importWeights'>): Promise<ImportedWeights> {
    return importWeightsFolder(this.home, a);
  }

  async addDatasetRoot(a: { path: string }): Promise<{ roots: string[] }> {
    const root = await checkNewRoot(a.path, this.userHome);
    await this.stateQueue.run(async () => {
      const state = await this.loadState();
      if (state.datasetRoots.includes(root)) return;
      this.state = { ...state, datasetRoots: [...state.datasetRoots, root] };
      await writeJsonFile(join(this.home, 'state.json'), this.state);
    });
    return { roots: (await this.datasetRoots()).map((r) => displayPath(r)) };
  }

  async startRun(a: { project: string; dataset: string; config?: Record<string, unknown> }): Promise<RunSummary> {
    await checkDatasetAccess(a.dataset, await this.datasetRoots());
    const args: StartRunArgs = { project: a.project, dataset: a.dataset, config: a.config ?? {} };
    return this.runs.startRun(args);
  }

  controlRun(a: ControlRunArgs): Promise<RunSummary> {
    return this.runs.controlRun(a);
  }

  listRuns(): Promise<RunSummary[]> {
    return this.runs.listRuns();
  }

  async updateRun(a: { id: string; name?: string; tags?: string[] }): Promise<RunSummary> {
    if (!this.runs.updateRun) throw new LabError(NO_ENGINE_MESSAGE, 'no-engine');
    return this.runs.updateRun(LAB_ARGS.updateRun.parse(a));
  }

  async datasetPreview(a: { id: string; perClass?: number; initFrom?: string }): Promise<DatasetPreview> {
    await checkDatasetAccess(a.id, await this.datasetRoots());
    return this.runs.datasetPreview(LAB_ARGS.datasetPreview.parse(a));
  }

  async augmentPreview(a: { id: string; augment?: Record<string, unknown>; seed?: number; count?: number; variants?: number; initFrom?: string }): Promise<AugmentPreview> {
    await checkDatasetAccess(a.id, await this.datasetRoots());
    return this.runs.augmentPreview(LAB_ARGS.augmentPreview.parse(a));
  }

  /** The folders datasets may be read from: the user's home folder and the ones added (addDatasetRoot). */
  async datasetRoots(): Promise<string[]> {
    return [this.userHome, ...(await this.loadState()).datasetRoots];
  }

  runDetail(a: { id: string }): Promise<RunDetail> {
    return this.runs.runDetail(a);
  }

  runSamples(a: { id: string; indices: number[] }): Promise<SampleImages> {
    return this.runs.runSamples(a);
  }

  // predict
  async predict(a: PredictArgs): Promise<PredictResult> {
    if (!this.runs.predict) throw new LabError(NO_ENGINE_MESSAGE, 'no-engine');
    return this.runs.predict(LAB_ARGS.predict.parse(a));
  }

  // attention
  async attentionMaps(a: AttentionArgs): Promise<AttentionMaps> {
    if (!this.runs.attentionMaps) throw new LabError(NO_ENGINE_MESSAGE, 'no-engine');
    return this.runs.attentionMaps(LAB_ARGS.attentionMaps.parse(a));
  }

  // experiments

  async listExperiments(): Promise<{ builtin: ExperimentInfo[]; saved: UserExperiment[] }> {
    return this.exp().listExperiments();
  }

  async startExperiment(a: { id: string; seed?: number; concurrency?: number; variants?: string[] }): Promise<{ session: string }> {
    return this.exp().startExperiment(a);
  }

  async stopExperiment(a: { session: string }): Promise<void> {
    return this.exp().stopExperiment(a);
  }

  async runningExperiments(): Promise<RunningExperiment[]> {
    return this.exp().runningExperiments();
  }

  async createExperimentProjects(a: { id: string }): Promise<string[]> {
    return this.exp().createExperimentProjects(a);
  }

  async saveUserExperiment(a: { title: string; runs: { runId: string; name?: string }[]; metric?: string; concept?: string; explanation?: string; expectedBest?: string }): Promise<UserExperiment> {
    return this.exp().saveUserExperiment(a);
  }

  async evaluateUserExperiment(a: { id: string }): Promise<ExperimentResult> {
    return this.exp().evaluateUserExperiment(a);
  }

  async deleteUserExperiment(a: { id: string }): Promise<void> {
    return this.exp().deleteUserExperiment(a);
  }

  async listExperimentResults(): Promise<ExperimentResultEntry[]> {
    return this.exp().listExperimentResults();
  }

  async readExperimentResult(a: { file: string }): Promise<ExperimentResult> {
    return this.exp().readExperimentResult(a);
  }

  private exp(): ExperimentManager {
    if (!this.experiments) throw new LabError(NO_EXPERIMENTS_MESSAGE, 'no-engine');
    return this.experiments;
  }

  // sweeps
  async listSweeps(): Promise<SweepSummary[]> {
    return this.sweep().listSweeps();
  }

  async readSweep(a: { id: string }): Promise<SweepSummary> {
    return this.sweep().readSweep(a);
  }

  async startSweep(a: StartSweepArgs): Promise<SweepSummary> {
    await checkDatasetAccess(a.dataset, await this.datasetRoots());
    return this.sweep().startSweep(a);
  }

  async stopSweep(a: { id: string }): Promise<SweepSummary> {
    return this.sweep().stopSweep(a);
  }

  async resumeSweep(a: { id: string }): Promise<SweepSummary> {
    return this.sweep().resumeSweep(a);
  }

  private sweep(): SweepManager {
    if (!this.sweeps) throw new LabError(NO_SWEEPS_MESSAGE, 'no-engine');
    return this.sweeps;
  }

  // export
  async exportRun(a: ExportRunArgs): Promise<ExportResult> {
    if (!this.exporter) throw new LabError(NO_ENGINE_MESSAGE, 'no-engine');
    return this.exporter.exportRun(LAB_ARGS.exportRun.parse(a));
  }

  subscribe(listener: (event: LabEvent) => void): () => void {
    this.events.on('event', listener);
    return () => this.events.off('event', listener);
  }

  /** Pushes an event to every subscriber (run telemetry, native menu commands). A throwing listener is isolated. */
  emit(event: LabEvent): void {
    for (const listener of this.events.listeners('event') as ((e: LabEvent) => void)[]) {
      try {
        listener(event);
      } catch (err) {
        console.error('LabService: an event listener threw', err);
      }
    }
  }

  /** Called whenever the recent list changes (the Electron host rebuilds its menu). */
  onRecentChange(listener: (recent: string[]) => void): () => void {
    this.events.on('recent', listener);
    return () => this.events.off('recent', listener);
  }

  async dispose(): Promise<void> {
    await this.experiments?.dispose?.().catch(() => undefined);
    await this.sweeps?.dispose?.().catch(() => undefined);
    this.detachRuns();
    this.events.removeAllListeners();
    await this.runs.dispose?.();
  }

  private autosavePath(): string {
    return join(this.home, 'autosave.json');
  }

  private async loadState(): Promise<State> {
    this.state ??= await readJsonFile(join(this.home, 'state.json'), stateSchema, { recent: [], datasetRoots: [] });
    return this.state;
  }

  private touchRecent(path: string): Promise<void> {
    return this.updateRecent((recent) => [path, ...recent.filter((p) => p !== path)].slice(0, RECENT_MAX));
  }

  private forgetRecent(path: string): Promise<void> {
    return this.updateRecent((recent) => recent.filter((p) => p !== path));
  }

  private updateRecent(change: (recent: string[]) => string[]): Promise<void> {
    return this.stateQueue.run(async () => {
      const state = await this.loadState();
      const recent = change(state.recent);
      if (recent.length === state.recent.length && recent.every((p, i) => p === state.recent[i])) return;
      this.state = { ...state, recent };
      await writeJsonFile(join(this.home, 'state.json'), this.state);
      this.events.emit('recent', recent);
    });
  }
}

function recentFailure(err: unknown): string {
  const code = (err as NodeJS.ErrnoException | undefined)?.code;
  // The code, not the message: fs messages carry absolute paths, which API answers never show.
  const why = code === 'ENOSPC' ? 'the disk is full' : code === 'EACCES' || code === 'EPERM' ? 'permission denied' : code ? `file system error ${code}` : err instanceof Error ? err.message : String(err);
  return `the recent-projects list could not be updated (${why})`;
}
