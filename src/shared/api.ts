import { z } from 'zod';
import type { EvaluationReport, ProbeEvent } from './training/telemetry';

export type { EvaluationReport, ProbeEvent } from './training/telemetry';

/**
 * The contract between the renderer and the host (Electron main or the headless `serve` host).
 * Every method is async and takes one JSON argument; `subscribe` streams events. Arguments are validated
 * with `LAB_ARGS` on the host side of every transport.
 */

export interface HostInfo {
  kind: 'electron' | 'browser';
  version: string;
  projectsDir: string;
  /** Which engine backend the host would train on, e.g. 'wasm (XNNPACK, our kernels)'. */
  backend?: string;
}

export interface ProjectEntry {
  /** Path relative to the host's projects folder (the browser host never sees absolute paths). */
  path: string;
  name: string;
  modified: string;
  size: number;
}

export interface DatasetSummary {
  id: string;
  name: string;
  task: 'classification' | 'detection' | 'segmentation';
  shape: [number, number, number];
  classes: string[];
  sizes: { train: number; val: number; test: number };
}

export interface DatasetPreview {
  dataset: DatasetSummary;
  /** Training images (classification), boxes (detection) or pixels (segmentation) per class. */
  counts: number[];
  /** A few training images per class, as PNG data URLs. */
  samples: { index: number; label: number; image: string }[];
}

export interface AugmentPreview {
  /** For each sample: the original and several augmented versions (PNG data URLs). */
  items: { index: number; original: string; augmented: string[] }[];
}

export interface RunDetail {
  summary: RunSummary;
  config: Record<string, unknown>;
  graph: unknown;
  /** The run's telemetry log: every epoch and log event, steps thinned to at most ~2,000, the last 200 probes. */
  events: LabEvent[];
}

export interface SampleImages {
  images: { index: number; label: number; image: string }[];
}

export type RunState = 'queued' | 'running' | 'paused' | 'stopped' | 'completed' | 'failed';

export interface RunSummary {
  id: string;
  name: string;
  state: RunState;
  createdAt: string;
  dataset: string;
  epoch: number;
  epochs: number;
  step: number;
  backend?: string;
  error?: string;
  metrics?: Record<string, number>;
}

export interface StepEvent {
  type: 'step';
  runId: string;
  step: number;
  epoch: number;
  loss: number;
  accuracy?: number;
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
}
export interface LogEvent {
  type: 'log';
  runId: string;
  level: 'info' | 'warning' | 'error';
  message: string;
}
export interface RunStatusEvent {
  type: 'run-status';
  run: RunSummary;
}
/** A command chosen in a native menu, routed to the renderer's action manager. */
export interface MenuEvent {
  type: 'menu';
  command: string;
  /** E.g. the path for 'file.openRecent'. */
  arg?: string;
}
export type LabEvent = StepEvent | EpochEvent | ProbeEvent | LogEvent | RunStatusEvent | MenuEvent;

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
  startRun: z.object({ project: z.string().max(50_000_000), dataset: z.string().min(1), config: z.record(z.string(), z.unknown()).default({}) }),
  controlRun: z.object({ id: z.string().min(1), action: z.enum(['pause', 'resume', 'stop']) }),
  listRuns: z.undefined(),
  datasetPreview: z.object({ id: z.string().min(1).max(4096), perClass: z.number().int().min(1).max(16).default(4) }),
  augmentPreview: z.object({
    id: z.string().min(1).max(4096),
    augment: z.record(z.string(), z.unknown()).default({}),
    seed: z.number().int().default(0),
    count: z.number().int().min(1).max(8).default(4),
    variants: z.number().int().min(1).max(8).default(4),
  }),
  runDetail: z.object({ id: z.string().min(1).max(200) }),
  runSamples: z.object({ id: z.string().min(1).max(200), indices: z.array(z.number().int().min(0)).max(256) }),
} as const;

export type LabMethod = keyof typeof LAB_ARGS;
export const LAB_METHODS = Object.keys(LAB_ARGS) as LabMethod[];

export interface LabApi {
  hostInfo(): Promise<HostInfo>;
  listProjects(): Promise<ProjectEntry[]>;
  readProject(a: { path: string }): Promise<{ path: string; text: string }>;
  /** Atomic write (temp file + rename). */
  writeProject(a: { path: string; text: string }): Promise<ProjectEntry>;
  recentProjects(): Promise<string[]>;
  writeAutosave(a: { text: string }): Promise<void>;
  readAutosave(): Promise<{ text: string; savedAt: string } | null>;
  clearAutosave(): Promise<void>;
  listDatasets(): Promise<DatasetSummary[]>;
  startRun(a: { project: string; dataset: string; config?: Record<string, unknown> }): Promise<RunSummary>;
  controlRun(a: { id: string; action: 'pause' | 'resume' | 'stop' }): Promise<RunSummary>;
  listRuns(): Promise<RunSummary[]>;
  datasetPreview(a: { id: string; perClass?: number }): Promise<DatasetPreview>;
  augmentPreview(a: { id: string; augment?: Record<string, unknown>; seed?: number; count?: number; variants?: number }): Promise<AugmentPreview>;
  runDetail(a: { id: string }): Promise<RunDetail>;
  /** Validation images of a run by index (the confusion-matrix cells list them). */
  runSamples(a: { id: string; indices: number[] }): Promise<SampleImages>;
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
