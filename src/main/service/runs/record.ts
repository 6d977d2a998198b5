import { basename } from 'node:path';
import { z } from 'zod';
import type { RunSummary } from '../../../shared/api';

/** `interrupted`: its worker was gone (the lab was killed or closed mid-run); resumable from its last checkpoint. */
const state = z.enum(['queued', 'running', 'paused', 'stopped', 'completed', 'failed', 'interrupted']);
/** States in which a worker should be training the run. */
export const LIVE_STATES: ReadonlySet<string> = new Set(['queued', 'running', 'paused']);

/**
 * What the network was trained on, as the training worker loaded it: the image shape (H, W, C), the class names
 * and the train split's per-channel normalisation ((x/255 − mean)/std). Exports declare it.
 */
export const trainedDataSchema = z.object({
  shape: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
  classes: z.array(z.string()),
  norm: z.object({ mean: z.array(z.number()), std: z.array(z.number()) }),
});
export type TrainedData = z.infer<typeof trainedDataSchema>;

/** run.json: the run's identity, configuration and progress. Written atomically by the main thread only. */
export const runRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state,
  dataset: z.string(),
  epoch: z.number().int().min(0),
  epochs: z.number().int().min(1),
  step: z.number().int().min(0),
  /** Optimizer steps per epoch, from the worker once the data is loaded. */
  stepsPerEpoch: z.number().int().min(1).optional(),
  backend: z.string().optional(),
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
  graph: z.unknown(),
  /** Set when the worker has loaded the dataset (runs from before it have none). */
  data: trainedDataSchema.optional(),
});
export type RunRecord = z.infer<typeof runRecordSchema>;

export function summaryOf(r: RunRecord): RunSummary {
  return {
    id: r.id,
    name: r.name,
    state: r.state,
    createdAt: r.createdAt,
    dataset: r.dataset,
    epoch: r.epoch,
    epochs: r.epochs,
    step: r.step,
    ...(r.backend ? { backend: r.backend } : {}),
    ...(r.error ? { error: r.error } : {}),
    ...(r.metrics ? { metrics: r.metrics } : {}),
    ...(r.tags?.length ? { tags: r.tags } : {}),
    ...(r.stepsPerEpoch ? { stepsPerEpoch: r.stepsPerEpoch } : {}),
    ...startOf(r),
  };
}

/** Pretrained weights and frozen blocks, for the Runs table. */
function startOf(r: RunRecord): Pick<RunSummary, 'weightsFrom' | 'frozenBlocks'> {
  const from = typeof r.config.initFrom === 'string' ? basename(r.config.initFrom) : undefined;
  const nodes = (r.graph as { nodes?: { frozen?: unknown }[] } | undefined)?.nodes;
  const frozen = Array.isArray(nodes) ? nodes.filter((n) => n?.frozen === true).length : 0;
  return { ...(from ? { weightsFrom: from } : {}), ...(frozen ? { frozenBlocks: frozen } : {}) };
}
