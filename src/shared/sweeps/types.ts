import { z } from 'zod';
import { FOLDER_NAME_PATTERN } from '../ids';
import { DEFAULT_PRUNER, DEFAULT_REDUCTION_FACTOR } from './pruner';
import { domainSchema, spaceSchema, type TrialParams } from './space';
import { STRATEGIES } from './strategies';

/** What a sweep optimises: a per-epoch validation metric of its runs, and in which direction. */
export const SWEEP_METRICS = ['val_accuracy', 'val_loss'] as const;
export type SweepMetric = (typeof SWEEP_METRICS)[number];
export const metricGoal = (m: SweepMetric): 'max' | 'min' => (m === 'val_loss' ? 'min' : 'max');
/** A metric value as a score (higher is better); NaN (diverged) is the worst. */
export const toScore = (m: SweepMetric, v: number | undefined): number => (v === undefined || !Number.isFinite(v) ? -Infinity : metricGoal(m) === 'max' ? v : -v);

export const TRIAL_STATES = ['running', 'completed', 'pruned', 'failed', 'interrupted'] as const;
export type TrialState = (typeof TRIAL_STATES)[number];
export const SWEEP_STATES = ['running', 'stopped', 'completed', 'interrupted', 'failed'] as const;
export type SweepState = (typeof SWEEP_STATES)[number];

const paramValue = z.union([z.number(), z.string(), z.boolean()]);

export const trialSchema = z.object({
  index: z.number().int().min(0),
  params: z.record(z.string(), paramValue),
  state: z.enum(TRIAL_STATES),
  runId: z.string().regex(FOLDER_NAME_PATTERN).optional(),
  /** The metric after each epoch (null: not a number, the run diverged). */
  curve: z.array(z.number().nullable()).default([]),
  /** The best metric over the epochs (the run's `best` checkpoint); absent until an epoch ended. */
  value: z.number().optional(),
  error: z.string().optional(),
  /** Why it was pruned: its best vs the bar at that epoch (median rule: the others' median; ASHA: the rung's top-1/η cut-off). */
  prunedAt: z.object({ epoch: z.number().int(), best: z.number(), median: z.number() }).optional(),
  /** Runs started again for this trial (a resume that could not continue its run). */
  restarts: z.number().int().min(0).default(0),
  startedAt: z.string(),
  endedAt: z.string().optional(),
});
export type Trial = z.infer<typeof trialSchema>;

export const sweepSettingsSchema = z.object({
  space: spaceSchema,
  strategy: z.enum(STRATEGIES).default('tpe'),
  trials: z.number().int().min(1, 'at least 1 trial').max(1000, 'at most 1000 trials'),
  parallel: z.number().int().min(1).max(8, 'at most 8 trials at once').default(1),
  metric: z.enum(SWEEP_METRICS).default('val_accuracy'),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
  pruner: z
    .object({
      kind: z.enum(['median', 'asha', 'none']).default('median'),
      startupTrials: z.number().int().min(1).max(100).default(DEFAULT_PRUNER.startupTrials),
      warmupEpochs: z.number().int().min(1).max(1000).default(DEFAULT_PRUNER.warmupEpochs),
      reductionFactor: z.number().int().min(2).max(10).default(DEFAULT_REDUCTION_FACTOR),
    })
    .default({ ...DEFAULT_PRUNER, reductionFactor: DEFAULT_REDUCTION_FACTOR }),
});
export type SweepSettings = z.infer<typeof sweepSettingsSchema>;
export type PrunerKind = SweepSettings['pruner']['kind'];

/** sweep.json: everything needed to continue the sweep after the lab closed (graph, base settings, every trial). */
export const sweepDocSchema = sweepSettingsSchema.extend({
  format: z.literal('netsmith.sweep'),
  version: z.literal(1),
  id: z.string().regex(FOLDER_NAME_PATTERN),
  name: z.string(),
  createdAt: z.string(),
  updatedAt: z.string(),
  state: z.enum(SWEEP_STATES),
  error: z.string().optional(),
  pid: z.number().int().optional(),
  session: z.string().optional(),
  dataset: z.string(),
  /** The graph every trial starts from (the project's or template's). */
  graph: z.unknown(),
  /** The base training settings (the trial's values go on top). */
  config: z.record(z.string(), z.unknown()),
  results: z.array(trialSchema),
});
export type SweepDoc = z.infer<typeof sweepDocSchema>;

/** A sweep without its graph and base settings: the list, the view and the events carry this. */
export type SweepSummary = Omit<SweepDoc, 'graph' | 'config'> & { best?: BestTrial };
export interface BestTrial {
  index: number;
  runId?: string;
  params: TrialParams;
  value: number;
}

export interface SweepEvent {
  type: 'sweep';
  phase: 'started' | 'trial-started' | 'trial-epoch' | 'trial-finished' | 'finished';
  sweep: SweepSummary;
  trial?: Trial;
}

/** The best finished (or pruned) trial by the sweep's metric. */
export function bestTrial(doc: Pick<SweepDoc, 'results' | 'metric'>): BestTrial | undefined {
  let best: BestTrial | undefined;
  for (const t of doc.results) {
    if (t.value === undefined || !Number.isFinite(t.value)) continue;
    if (!best || toScore(doc.metric, t.value) > toScore(doc.metric, best.value)) best = { index: t.index, ...(t.runId ? { runId: t.runId } : {}), params: t.params, value: t.value };
  }
  return best;
}

export function summarizeSweep(doc: SweepDoc): SweepSummary {
  const { graph: _g, config: _c, ...rest } = doc;
  const best = bestTrial(doc);
  return { ...rest, ...(best ? { best } : {}) };
}

/** Arguments of the `startSweep` API call. */
export const startSweepArgsSchema = sweepSettingsSchema.extend({
  project: z.string().max(50_000_000),
  dataset: z.string().min(1).max(4096),
  config: z.record(z.string(), z.unknown()).default({}),
  name: z.string().trim().min(1).max(200).optional(),
});
export type StartSweepArgs = z.input<typeof startSweepArgsSchema>;

export const sweepIdSchema = z.string().regex(FOLDER_NAME_PATTERN, 'a sweep id (letters, digits, _ . -)');
export { domainSchema };
