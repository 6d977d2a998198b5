/**
 * The one run model, from the training worker to the dashboards: `RunRecord` is run.json, `RunSummary` the part
 * of it that lists, events and replies carry, `RunDetail` what a run's page loads. Everything else about a run
 * (the renderer's status bar, the worker's start message) is a `Pick` of these.
 */
import { z } from 'zod';
import { lrMultiplierUses, type LrMultiplierUse } from '../graph/lrMultiplier';
import { TASKS, type GraphDoc, type Task } from '../graph/types';
import { runIdSchema } from '../ids';

/** `interrupted`: its worker was gone (the lab was killed or closed mid-run); resumable from its last checkpoint. */
export const RUN_STATES = ['queued', 'running', 'paused', 'stopped', 'completed', 'failed', 'interrupted'] as const;
export type RunState = (typeof RUN_STATES)[number];

const ACTIVE_STATES: ReadonlySet<RunState> = new Set<RunState>(['queued', 'running', 'paused']);

/** Whether a worker is (or should be) training a run in this state: starting, running or paused. */
export function isActive(state: RunState | undefined | null): boolean {
  return state !== undefined && state !== null && ACTIVE_STATES.has(state);
}

/**
 * What the network was trained on, as the training worker loaded it: the image shape (H, W, C), the class names
 * and the train split's per-channel normalisation ((x/255 − mean)/std). Exports declare it.
 * `resizeShorter`: folder images had their shorter side resized to this, then were centre-cropped to the shape (the
 * eval transform of the weights the run started from); absent: stretched to the shape.
 */
export const trainedDataSchema = z.object({
  shape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
  classes: z.array(z.string()),
  norm: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
  resizeShorter: z.number().int().min(1).optional(),
});
export type TrainedData = z.infer<typeof trainedDataSchema>;

/** Which engine trains the run, on what: `backend` is the label the UI shows (also kept as the record's `backend`). */
export const runEngineSchema = z.object({
  name: z.enum(['tfjs', 'torch']),
  backend: z.string(),
  /** 'cpu', 'gpu', 'cuda', 'mps' … as the engine reports it. */
  device: z.string().optional(),
  /** The engine library's version (tfjs-core, torch). */
  version: z.string().optional(),
});
export type RunEngine = z.infer<typeof runEngineSchema>;

/**
 * The graph as saved in run.json: written by the host from a restored, validated graph (and by the worker, adapted
 * to the dataset). Reading checks its outline only; code that builds a model from it restores it (migrations).
 */
const graphSchema = z.custom<GraphDoc>((v) => {
  const g = v as Partial<GraphDoc> | null;
  return typeof g === 'object' && g !== null && Array.isArray(g.nodes) && Array.isArray(g.edges) && typeof g.meta === 'object' && g.meta !== null;
}, 'a graph document');

/** run.json: the run's identity, configuration and progress. Written atomically by the host's RunStore only. */
export const runRecordSchema = z.object({
  id: runIdSchema,
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: z.enum(RUN_STATES),
  dataset: z.string(),
  /** The graph's task (runs from before it was recorded: read from their graph). */
  task: z.enum(TASKS).optional(),
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(1),
  step: z.number().int().min(0),
  /** Optimizer steps per epoch, counted by the worker once the data is loaded; the one count the dashboards use. */
  stepsPerEpoch: z.number().int().min(1).optional(),
  /** The engine's label, e.g. 'WebAssembly SIMD (XNNPACK + Netsmith kernels) · 2 threads'. */
  backend: z.string().optional(),
  engine: runEngineSchema.optional(),
  /** The process whose worker trains the run (for telling an orphan from a run another Netsmith process trains). */
  pid: z.number().int().optional(),
  /** A random id of that process's lifetime: a later process that happens to get the same pid is another owner. */
  session: z.string().optional(),
  fallbackOps: z.array(z.string()).default([]),
  error: z.string().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  tags: z.array(z.string()).optional(),
  /** Folder names under checkpoints/, e.g. `epoch-3`. */
  checkpoints: z.object({ last: z.string().optional(), best: z.string().optional() }).default({}),
  config: z.record(z.string(), z.unknown()),
  /** The graph as trained: once the worker has started, adapted to the dataset (input shape, head classes). */
  graph: graphSchema,
  /** Set when the worker has loaded the dataset (runs from before it have none). */
  data: trainedDataSchema.optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

/** A run as lists, status events and control replies carry it. */
export type RunSummary = Pick<RunRecord, 'id' | 'name' | 'state' | 'createdAt' | 'dataset' | 'epoch' | 'epochs' | 'step'> &
  Partial<Pick<RunRecord, 'task' | 'stepsPerEpoch' | 'backend' | 'engine' | 'error' | 'metrics' | 'tags'>> & {
    /** Where the run's starting weights came from (the folder's name; `config.initFrom`), when not from scratch. */
    weightsFrom?: string;
    /** Blocks the run kept frozen. */
    frozenBlocks?: number;
    /** Learning-rate multipliers other than 1 the run's blocks trained at (describeLrMultipliers words them). */
    lrMultipliers?: LrMultiplierUse[];
  };

/** A run's page: its summary, settings, graph, classes and thinned telemetry log (the events, typed in api.ts). */
export interface RunDetailOf<Event> {
  summary: RunSummary;
  config: RunRecord['config'];
  graph: GraphDoc;
  /** The class names it trained on (absent for runs from before run.json recorded its data). */
  classes?: string[];
  /** The run's telemetry log: every epoch and log event, steps thinned to at most ~2,000, the last 200 probes. */
  events: Event[];
}

const taskOfGraph = (g: GraphDoc): Task | undefined => (TASKS as readonly string[]).includes(g.meta?.task) ? g.meta.task : undefined;

export function summaryOf(r: RunRecord): RunSummary {
  const task = r.task ?? taskOfGraph(r.graph);
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    createdAt: r.createdAt,
    dataset: r.dataset,
    epoch: r.epoch,
    epochs: r.epochs,
    step: r.step,
    ...(task ? { task } : {}),
    ...(r.backend ? { backend: r.backend } : {}),
    ...(r.engine ? { engine: r.engine } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.metrics ? { metrics: r.metrics } : {}),
    ...(r.tags?.length ? { tags: r.tags } : {}),
    ...(r.stepsPerEpoch ? { stepsPerEpoch: r.stepsPerEpoch } : {}),
    ...startOf(r),
  };
}

/** Pretrained weights and frozen blocks, for the Runs table. */
function startOf(r: RunRecord): Pick<RunSummary, 'weightsFrom' | 'frozenBlocks' | 'lrMultipliers'> {
  const from = typeof r.config.initFrom === 'string' ? r.config.initFrom.split(/[\\/]/).filter(Boolean).pop() : undefined;
  const nodes = Array.isArray(r.graph?.nodes) ? r.graph.nodes : [];
  const frozen = nodes.filter((n) => n?.frozen === true).length;
  const multipliers = lrMultiplierUses(nodes.filter((n) => n && typeof n === 'object'));
  return { ...(from ? { weightsFrom: from } : {}), ...(frozen ? { frozenBlocks: frozen } : {}), ...(multipliers.length ? { lrMultipliers: multipliers } : {}) };
}
