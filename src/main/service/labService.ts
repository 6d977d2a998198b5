import { EventEmitter } from 'node:events';
import { promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { AugmentPreview, DatasetPreview, DatasetSummary, HostInfo, LabApi, LabEvent, ProjectEntry, RunDetail, RunSummary, SampleImages } from '../../shared/api';
import { LAB_ARGS, LabError } from '../../shared/api';
import { netsmithHome } from '../util/home';
import { readJsonFile, SerialQueue, writeJsonFile } from '../util/jsonFile';
import { APP_VERSION } from '../util/version';
import { ProjectStore } from './projects';
import { createDisconnectedRunManager, type ControlRunArgs, type RunManager, type StartRunArgs } from './runManager';

export interface LabServiceOptions {
  /** Which host runs the service; reported by hostInfo. */
  kind: HostInfo['kind'];
  /** Data folder (state.json, autosave). Default: $NETSMITH_HOME or ~/Netsmith. */
  home?: string;
  /** Projects folder. Default: <home>/projects. */
  projectsDir?: string;
  /** The training side. Default: one that answers every call with a `no-engine` error. */
  runs?: RunManager;
  version?: string;
}

const RECENT_MAX = 10;
const stateSchema = z.object({ recent: z.array(z.string()).default([]) });
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
  private readonly version: string;
  private readonly runs: RunManager;
  private readonly events = new EventEmitter();
  private readonly stateQueue = new SerialQueue();
  private readonly detachRuns: () => void;
  private state: State | null = null;

  constructor(options: LabServiceOptions) {
    this.kind = options.kind;
    this.home = options.home ?? netsmithHome();
    this.projects = new ProjectStore(options.projectsDir ?? join(this.home, 'projects'));
    this.version = options.version ?? APP_VERSION;
    this.runs = options.runs ?? createDisconnectedRunManager();
    this.events.setMaxListeners(0);
    this.detachRuns = this.runs.onEvent((event) => this.emit(event));
  }

  async hostInfo(): Promise<HostInfo> {
    const backend = await this.runs.backendName?.().catch(() => undefined);
    return { kind: this.kind, version: this.version, projectsDir: this.projects.root, ...(backend ? { backend } : {}) };
  }

  listProjects(): Promise<ProjectEntry[]> {
    return this.projects.list();
  }

  async readProject(a: { path: string }): Promise<{ path: string; text: string }> {
    try {
      const project = await this.projects.read(a.path);
      await this.touchRecent(project.path);
      return project;
    } catch (err) {
      if (err instanceof LabError && err.code === 'not-found') await this.forgetRecent(this.projects.resolve(a.path).rel);
      throw err;
    }
  }

  async writeProject(a: { path: string; text: string }): Promise<ProjectEntry> {
    const entry = await this.projects.write(a.path, a.text);
    await this.touchRecent(entry.path);
    return entry;
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

  startRun(a: { project: string; dataset: string; config?: Record<string, unknown> }): Promise<RunSummary> {
    const args: StartRunArgs = { project: a.project, dataset: a.dataset, config: a.config ?? {} };
    return this.runs.startRun(args);
  }

  controlRun(a: ControlRunArgs): Promise<RunSummary> {
    return this.runs.controlRun(a);
  }

  listRuns(): Promise<RunSummary[]> {
    return this.runs.listRuns();
  }

  datasetPreview(a: { id: string; perClass?: number }): Promise<DatasetPreview> {
    return this.runs.datasetPreview(LAB_ARGS.datasetPreview.parse(a));
  }

  augmentPreview(a: { id: string; augment?: Record<string, unknown>; seed?: number; count?: number; variants?: number }): Promise<AugmentPreview> {
    return this.runs.augmentPreview(LAB_ARGS.augmentPreview.parse(a));
  }

  runDetail(a: { id: string }): Promise<RunDetail> {
    return this.runs.runDetail(a);
  }

  runSamples(a: { id: string; indices: number[] }): Promise<SampleImages> {
    return this.runs.runSamples(a);
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
    this.detachRuns();
    this.events.removeAllListeners();
    await this.runs.dispose?.();
  }

  private autosavePath(): string {
    return join(this.home, 'autosave.json');
  }

  private async loadState(): Promise<State> {
    this.state ??= await readJsonFile(join(this.home, 'state.json'), stateSchema, { recent: [] });
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
