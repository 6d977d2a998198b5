import { z } from 'zod';
import type { MenuCommand } from './actionCatalogue';
import type { ExperimentResultSummary } from './experiments/summary';
import type { ExperimentEvent, ExperimentInfo, ExperimentResult, RunningExperiment } from './experiments/types';
import type { UserExperiment } from './experiments/user';
import { attentionArgsSchema, type AttentionMaps } from './attention';
import { checkpointNameSchema, runIdSchema } from './ids';
import type { RunDetailOf, RunSummary } from './runs/runRecord';
import { predictArgsSchema, type PredictResult } from './predict';
import type { ImportReport, SkippedFile } from './importReport';
import type { EvaluationReport, ProbeEvent } from './training/telemetry';
import { startSweepArgsSchema, sweepIdSchema, type SweepEvent, type SweepSummary } from './sweeps/types';

export type { EvaluationReport, ProbeEvent } from './training/telemetry';
export type { ImportReport, SkippedFile } from './importReport';
export { isActive, RUN_STATES, type RunDetailOf, type RunEngine, type RunRecord, type RunState, type RunSummary, type TrainedData } from './runs/runRecord';

/**
 * The contract between the renderer and the host (Electron main or the headless `serve` host).
 * Every method is async and takes one JSON argument; `subscribe` streams events. Arguments are validated
 * with `LAB_ARGS` on the host side of every transport, and their types are the schemas' (`LabArgs`).
 * How calls and events travel: src/shared/protocol.ts; the client-side proxy: src/shared/labProxy.ts.
 */

export interface HostInfo {
  kind: 'electron' | 'browser';
  version: string;
  projectsDir: string;
  /** Which engine backend the host would train on, e.g. 'wasm (XNNPACK, our kernels)'. */
  backend?: string;
  /** The PyTorch engine on this host: its devices, or why it is not available and how to enable it. */
  torch?: TorchHostInfo;
}

export interface TorchHostInfo {
  available: boolean;
  /** torch's version and the interpreter found. */
  version?: string;
  python?: string;
  /** "PyTorch · CUDA · <GPU>", "PyTorch · Apple GPU", "PyTorch · CPU". */
  devices: { kind: 'cuda' | 'mps' | 'cpu'; label: string }[];
  reason?: string;
  howTo?: string;
}

export interface ProjectEntry {
  /** Path relative to the host's projects folder (the browser host never sees absolute paths). */
  path: string;
  name: string;
  modified: string;
  size: number;
  /** Set by writeProject when the project was written but something around it failed (the recent list). */
  warning?: string;
}

export interface DatasetSummary {
  id: string;
  name: string;
  task: 'classification' | 'detection' | 'segmentation';
  shape: [number, number, number];
  classes: string[];
  sizes: { train: number; val: number; test: number };
  /** Folders: the files the import skipped, each with its reason, and other notes (absent for built-in sets). */
  importReport?: ImportReport;
}

export interface DatasetPreview {
  dataset: DatasetSummary;
  /** Training images (classification), boxes (detection) or pixels (segmentation) per class. */
  counts: number[];
  /** A few training images per class, as PNG data URLs. */
  samples: { index: number; label: number; image: string }[];
  /** When the loaded weights resize the folder's images (shorter side, centre crop): how. */
  resize?: string;
}

export interface AugmentPreview {
  /** For each sample: the original and several augmented versions (PNG data URLs). */
  items: { index: number; original: string; augmented: string[] }[];
  /** When the loaded weights resize the folder's images (shorter side, centre crop) before augmentation: how. */
  resize?: string;
}

/** A run's page: its summary, settings, typed graph, classes and thinned telemetry log. */
export type RunDetail = RunDetailOf<LabEvent>;

export interface SampleImages {
  images: { index: number; label: number; image: string }[];
}

export interface StepEvent {
  type: 'step';
  runId: string;
  step: number;
  epoch: number;
  loss: number;
  accuracy?: number;
  /** What `accuracy` measures: 'accuracy', 'box IoU' (detection), 'pixel accuracy' (segmentation). */
  metricName?: string;
  lr: number;
  samplesPerSec: number;
}
export interface EpochEvent {
  type: 'epoch';
  runId: string;
  epoch: number;
  lr: number;
  seconds: number;
  train: { loss: number; accuracy?: number };
  val: EvaluationReport;
  /** The task's headline validation metric (accuracy, mAP@0.5, mIoU) and its name; `val.accuracy` stays as it was. */
  headline?: number;
  metricName?: string;
}
export interface LogEvent {
  type: 'log';
  runId: string;
  level: 'info' | 'warning' | 'error';
  message: string;
  /** The one log of a run's dataset import that skipped files: each file with its reason (at most 500), and how many in all. */
  skipped?: SkippedFile[];
  skippedTotal?: number;
}
export interface RunStatusEvent {
  type: 'run-status';
  run: RunSummary;
}
/** A command chosen in a native menu, routed to the renderer's action manager. */
export interface MenuEvent {
  type: 'menu';
  command: MenuCommand;
  /** E.g. the path for 'file.openRecent'. */
  arg?: string;
}
/**
 * A run continued from a checkpoint: the marker in its metrics.jsonl between the two parts. `exact`: it goes
 * on at the next step with the schedule's state; otherwise its epoch restarted at `step` and the steps after
 * it are trained (and logged) again.
 */
export interface ResumeEvent {
  type: 'resume';
  runId: string;
  /** The step training continues after. */
  step: number;
  /** The epoch it continues in (1-based, as step events count). */
  epoch: number;
  /** Batches of that epoch already done. */
  batchInEpoch: number;
  stepsPerEpoch: number;
  exact: boolean;
  message: string;
  /** What ended the training it continues: a Stop, or the lab closing (killed, crashed) mid-run. */
  after: 'stop' | 'interrupted';
  /** The checkpoint it continues from (`last`, `epoch-N`). */
  checkpoint: string;
}
/** Everything about one run: its telemetry (steps, epochs, probes, logs, resumes) and its state changes. */
export type RunEvent = StepEvent | EpochEvent | ProbeEvent | LogEvent | RunStatusEvent | ResumeEvent;
export type LabEvent = RunEvent | ExperimentEvent | MenuEvent | SweepEvent;

/** Events by topic: a run's, a guided experiment's progress, a sweep's progress, a native menu's commands. */
export interface LabEventTopics {
  run: RunEvent;
  experiment: ExperimentEvent;
  menu: MenuEvent;
  sweep: SweepEvent;
}
export type EventTopic = keyof LabEventTopics;

export function eventTopic(event: LabEvent): EventTopic {
  return event.type === 'menu' ? 'menu' : event.type === 'experiment' ? 'experiment' : event.type === 'sweep' ? 'sweep' : 'run';
}

/** Listens to one topic of a LabApi's events; returns the unsubscribe. */
export function subscribeTopic<T extends EventTopic>(lab: Pick<LabApi, 'subscribe'>, topic: T, listener: (event: LabEventTopics[T]) => void): () => void {
  return lab.subscribe((event) => {
    if (eventTopic(event) === topic) listener(event as LabEventTopics[T]);
  });
}

export type { ExperimentEvent, ExperimentInfo, ExperimentResult, RunningExperiment } from './experiments/types';
export type { ExperimentResultSummary } from './experiments/summary';
export type { UserExperiment } from './experiments/user';
// sweeps
export type { StartSweepArgs, SweepEvent, SweepSummary, Trial } from './sweeps/types';

/** A stored experiment result (newest first in listExperimentResults). */
export interface ExperimentResultEntry {
  file: string;
  experiment: string;
  startedAt: string;
  /** The verdict and numbers without the curves (absent when the stored result is unreadable). */
  summary?: ExperimentResultSummary;
}

// export
/** What `exportRun` can write: the TF.js model, ONNX, PyTorch (model.py + safetensors), or the graph (project + network.svg). */
export const EXPORT_FORMATS = ['tfjs', 'onnx', 'pytorch', 'graph'] as const;
export type ExportFormat = (typeof EXPORT_FORMATS)[number];

/** `checkpoint`: 'best', 'last' or a checkpoint folder name (default: best, else last); `fuseBatchNorm` folds each BatchNorm into the convolution before it (ONNX and PyTorch). */
export type ExportRunArgs = LabArgs<'exportRun'>;

export interface ExportResult {
  format: ExportFormat;
  /** The checkpoint exported (absent for 'graph'). */
  checkpoint?: string;
  /** Where the files are: an absolute folder (Electron) or a path under the host's data folder (browser host). */
  dir: string;
  /** Each file with its size; `data` (base64) when the host returns the contents for download (≤ 50 MB in all). */
  files: { name: string; size: number; data?: string }[];
  /** The user closed the folder picker: nothing was written. */
  cancelled?: boolean;
}

/** Largest .onnx the editor opens (its weights live in memory while the graph is edited); the browser uploads it streamed (POST /api/upload). */
export const MAX_ONNX_BYTES = 1024 ** 3;

/** An imported model (File → Open of an .onnx): its project text, whose runs start from the model folder's weights. */
export interface ImportedModelProject {
  /** The model folder the weights are kept in (shown form). */
  dir: string;
  name: string;
  text: string;
  notes: string[];
}

// --- weights import (Load weights… → a file, an upload or torchvision's ImageNet weights) ---
/** Largest PyTorch checkpoint the browser uploads: streamed to the host (POST /api/upload), never held in memory as text. */
export const MAX_WEIGHTS_UPLOAD_BYTES = 2 * 1024 ** 3;
/** An upload's id, as POST /api/upload answers it. */
export const uploadIdSchema = z.string().regex(/^[0-9a-f]{24}$/, 'not an upload id');
export const importWeightsArgsSchema = z.object({
  /** The torchvision-layout template the file's tensors are read into (torchvisionLayoutOf the graph). */
  template: z.string().min(1).max(100),
  source: z.discriminatedUnion('kind', [
    z.object({ kind: z.literal('path'), path: z.string().min(1).max(4096) }),
    z.object({ kind: z.literal('upload'), id: uploadIdSchema }),
    z.object({ kind: z.literal('imagenet') }),
  ]),
});
/** A torchvision checkpoint imported into a new model folder: the folder as a weights source, and what the import noticed. */
export interface ImportedWeights extends WeightsSource {
  /** `loaded 122 of 122 tensors`. */
  summary: string;
  notes: string[];
}
// --- end weights import ---

const relPath = z
  .string()
  .min(1)
  .max(500)
  .refine((p) => !p.split(/[\\/]/).includes('..'), 'must stay inside the projects folder');

export const LAB_ARGS = {
  hostInfo: z.undefined(),
  listProjects: z.undefined(),
  readProject: z.object({ path: relPath }),
  writeProject: z.object({ path: relPath, text: z.string().max(50_000_000) }),
  recentProjects: z.undefined(),
  writeAutosave: z.object({ text: z.string().max(50_000_000) }),
  readAutosave: z.undefined(),
  clearAutosave: z.undefined(),
  listDatasets: z.undefined(),
  addDatasetRoot: z.object({ path: z.string().min(1).max(4096) }),
  describeWeights: z.object({ path: z.string().min(1).max(4096) }),
  importWeights: importWeightsArgsSchema,
  importModel: z
    .object({
      path: z.string().min(1).max(4096).optional(),
      /** An upload id (POST /api/upload): the browser's file, streamed to the host. */
      upload: uploadIdSchema.optional(),
    })
    .refine((a) => !!a.path !== !!a.upload, 'give either a host path or an uploaded file'),
  startRun: z.object({ project: z.string().max(50_000_000), dataset: z.string().min(1), config: z.record(z.string(), z.unknown()).default({}) }),
  controlRun: z.object({ id: runIdSchema, action: z.enum(['pause', 'resume', 'stop']) }),
  listRuns: z.undefined(),
  updateRun: z.object({
    id: runIdSchema,
    name: z.string().trim().min(1, 'a run needs a name').max(200, 'at most 200 characters').optional(),
    tags: z.array(z.string().trim().min(1, 'a tag cannot be empty').max(40, 'a tag has at most 40 characters')).max(20, 'at most 20 tags').optional(),
  }),
  datasetPreview: z.object({
    id: z.string().min(1).max(4096),
    perClass: z.number().int().min(1).max(16).default(4),
    /** The graph's loaded weights: their resize and centre crop apply to folder images, as in a run. */
    initFrom: z.string().min(1).max(4096).optional(),
  }),
  augmentPreview: z.object({
    id: z.string().min(1).max(4096),
    augment: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().int().default(0),
    count: z.number().int().min(1).max(8).default(4),
    variants: z.number().int().min(1).max(8).default(4),
    /** The run's `initFrom`: its weights' resize and centre crop apply to folder images, as in the run. */
    initFrom: z.string().min(1).max(4096).optional(),
  }),
  runDetail: z.object({ id: runIdSchema }),
  runSamples: z.object({ id: runIdSchema, indices: z.array(z.number().int().min(0)).max(256) }),
  // predict
  predict: predictArgsSchema,
  // export
  exportRun: z.object({
    id: runIdSchema,
    format: z.enum(EXPORT_FORMATS),
    checkpoint: checkpointNameSchema.optional(),
    fuseBatchNorm: z.boolean().optional(),
  }),
  // attention
  attentionMaps: attentionArgsSchema,
  // experiments
  listExperiments: z.undefined(),
  startExperiment: z.object({
    id: z.string().min(1).max(64),
    seed: z.number().int().min(0).max(2 ** 31 - 1).optional(),
    concurrency: z.number().int().min(1).max(8).optional(),
    variants: z.array(z.string().min(1).max(64)).min(1).max(16).optional(),
  }),
  stopExperiment: z.object({ session: z.string().min(1).max(200) }),
  runningExperiments: z.undefined(),
  createExperimentProjects: z.object({ id: z.string().min(1).max(64) }),
  saveUserExperiment: z.object({
    title: z.string().trim().min(1, 'a title').max(200),
    runs: z.array(z.object({ runId: runIdSchema, name: z.string().min(1).max(200).optional() })).min(2, 'an experiment compares at least two runs').max(16),
    metric: z.string().min(1).max(64).optional(),
    concept: z.string().max(200).optional(),
    explanation: z.string().max(5000).optional(),
    expectedBest: z.string().min(1).max(200).optional(),
  }),
  evaluateUserExperiment: z.object({ id: z.string().min(1).max(64) }),
  deleteUserExperiment: z.object({ id: z.string().min(1).max(64) }),
  listExperimentResults: z.undefined(),
  readExperimentResult: z.object({ file: z.string().min(1).max(200) }),
  // sweeps
  listSweeps: z.undefined(),
  readSweep: z.object({ id: sweepIdSchema }),
  startSweep: startSweepArgsSchema,
  stopSweep: z.object({ id: sweepIdSchema }),
  resumeSweep: z.object({ id: sweepIdSchema }),
} as const;

export type LabMethod = keyof typeof LAB_ARGS;
export const LAB_METHODS = Object.keys(LAB_ARGS) as LabMethod[];
/** A method's argument as a caller writes it (the schema's input: fields with defaults may be left out). */
export type LabArgs<M extends LabMethod> = z.input<(typeof LAB_ARGS)[M]>;

/** Pretrained weights a graph can start from (a lab model folder, a run folder or a checkpoint folder). */
export interface WeightsSource {
  /** Absolute path, for the run's `initFrom`. */
  from: string;
  /** `model folder ResNet-18 (…)`, `run 2026…`. */
  label: string;
  /** The source's own graph (project JSON), when it has one. */
  graph?: string;
  /** The layer names that hold weights (block labels): the current graph matches its blocks by these. */
  layers: string[];
}

export interface LabApi {
  hostInfo(): Promise<HostInfo>;
  /** What a weights folder holds (for "Load weights…"); the weights themselves are read when a run starts. */
  describeWeights(a: { path: string }): Promise<WeightsSource>;
  /**
   * Imports a torchvision checkpoint (a host path, an upload, or torchvision's ImageNet weights through its own
   * cache) into a new model folder under the lab's data folder; the graph's runs can then start from it.
   */
  importWeights(a: LabArgs<'importWeights'>): Promise<ImportedWeights>;
  /** Imports an .onnx (a host path or uploaded bytes) into a new model folder under the lab's data folder. */
  importModel(a: LabArgs<'importModel'>): Promise<ImportedModelProject>;
  listProjects(): Promise<ProjectEntry[]>;
  readProject(a: LabArgs<'readProject'>): Promise<{ path: string; text: string }>;
  /** Atomic write (temp file + rename). */
  writeProject(a: LabArgs<'writeProject'>): Promise<ProjectEntry>;
  recentProjects(): Promise<string[]>;
  writeAutosave(a: LabArgs<'writeAutosave'>): Promise<void>;
  readAutosave(): Promise<{ text: string; savedAt: string } | null>;
  clearAutosave(): Promise<void>;
  listDatasets(): Promise<DatasetSummary[]>;
  /**
   * Lets the host read datasets from a folder (and below). Dataset folders must lie inside the user's home folder
   * or a folder added here (kept in the lab's state.json); answers the allowed folders as shown to users.
   */
  addDatasetRoot(a: LabArgs<'addDatasetRoot'>): Promise<{ roots: string[] }>;
  startRun(a: LabArgs<'startRun'>): Promise<RunSummary>;
  controlRun(a: LabArgs<'controlRun'>): Promise<RunSummary>;
  listRuns(): Promise<RunSummary[]>;
  /** Renames a run and/or sets its tags (written to its run.json atomically); returns the updated summary. */
  updateRun(a: LabArgs<'updateRun'>): Promise<RunSummary>;
  datasetPreview(a: LabArgs<'datasetPreview'>): Promise<DatasetPreview>;
  augmentPreview(a: LabArgs<'augmentPreview'>): Promise<AugmentPreview>;
  runDetail(a: LabArgs<'runDetail'>): Promise<RunDetail>;
  /** Validation images of a run by index (the confusion-matrix cells list them). */
  runSamples(a: LabArgs<'runSamples'>): Promise<SampleImages>;
  // predict
  /** A run's checkpoint on one image (upload or validation sample): top-k classes or boxes, Grad-CAM, feature maps. */
  predict(a: LabArgs<'predict'>): Promise<PredictResult>;
  // export
  /**
   * Exports a run's checkpoint (or, for 'graph', its project file and network.svg). Electron asks for the
   * destination folder (a cancelled pick answers `cancelled`); the browser host writes under the run's folder
   * (`exports/<format>-<time>/`) and returns the files' contents for download.
   */
  exportRun(a: LabArgs<'exportRun'>): Promise<ExportResult>;
  // attention
  /** Attention maps of a run's checkpoint for one image: per attention layer and head the class token's attention over the patches, and the rollout. */
  attentionMaps(a: LabArgs<'attentionMaps'>): Promise<AttentionMaps>;
  // experiments (progress and verdicts arrive as `experiment` events; the curves as the runs' own events)
  /** The guided experiments (graphs built, configs resolved) and the user's saved ones. */
  listExperiments(): Promise<{ builtin: ExperimentInfo[]; saved: UserExperiment[] }>;
  /** Starts a guided experiment in the background; resolves at once with its session id. */
  startExperiment(a: LabArgs<'startExperiment'>): Promise<{ session: string }>;
  /** Stops the runs in flight and skips the rest; the verdict is computed from what finished. */
  stopExperiment(a: LabArgs<'stopExperiment'>): Promise<void>;
  /** Experiment sessions in flight, with each variant's state and run id (a reloaded page picks them up). */
  runningExperiments(): Promise<RunningExperiment[]>;
  /** Writes the variants as projects (`experiments/<id>/<variant>.netsmith.json`); returns their paths. */
  createExperimentProjects(a: LabArgs<'createExperimentProjects'>): Promise<string[]>;
  /** Saves a user experiment comparing two or more existing runs. */
  saveUserExperiment(a: LabArgs<'saveUserExperiment'>): Promise<UserExperiment>;
  /** A saved experiment's verdict from its runs' stored telemetry (kept with the results). */
  evaluateUserExperiment(a: LabArgs<'evaluateUserExperiment'>): Promise<ExperimentResult>;
  deleteUserExperiment(a: LabArgs<'deleteUserExperiment'>): Promise<void>;
  /** Stored experiment results, newest first. */
  listExperimentResults(): Promise<ExperimentResultEntry[]>;
  readExperimentResult(a: LabArgs<'readExperimentResult'>): Promise<ExperimentResult>;
  // sweeps (progress arrives as `sweep` events; each trial's curves as its run's own events)
  /** Every sweep under `<home>/sweeps`, newest first, with its trials and best trial (no graph). */
  listSweeps(): Promise<SweepSummary[]>;
  readSweep(a: LabArgs<'readSweep'>): Promise<SweepSummary>;
  /** Checks the space against the network, writes the sweep and starts it in the background. */
  startSweep(a: LabArgs<'startSweep'>): Promise<SweepSummary>;
  /** Stops the trials in flight (they become `interrupted`) and starts no more; resumeSweep continues. */
  stopSweep(a: LabArgs<'stopSweep'>): Promise<SweepSummary>;
  /** Continues a stopped or interrupted sweep: its interrupted trials resume their runs, then new trials start. */
  resumeSweep(a: LabArgs<'resumeSweep'>): Promise<SweepSummary>;
  subscribe(listener: (event: LabEvent) => void): () => void;
}

/** Errors cross transports as `{ error: { message, code } }`; both clients rethrow them as `LabError`. */
export class LabError extends Error {
  constructor(
    message: string,
    readonly code: string = 'error',
  ) {
    super(message);
    this.name = 'LabError';
  }
}
