import { z } from 'zod';
import type { RunSummary } from '../../../shared/api';

const state = z.enum(['queued', 'running', 'paused', 'stopped', 'completed', 'failed']);

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
  backend: z.string().optional(),
  fallbackOps: z.array(z.string()).default([]),
  error: z.string().optional(),
  metrics: z.record(z.string(), z.number()).optional(),
  tags: z.array(z.string()).optional(),
  stepsPerEpoch: z.number().int().min(1).optional(),
  /** Folder names under checkpoints/, e.g. `epoch-3`. */
  checkpoints: z.object({ last: z.string().optional(), best: z.string().optional() }).default({}),
  config: z.record(z.string(), z.unknown()),
  graph: z.unknown(),
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
  };
}
