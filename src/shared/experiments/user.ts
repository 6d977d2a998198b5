import { z } from 'zod';
import { runIdSchema } from '../ids';
import { formatMetric, runMetric, RUN_METRIC_KEYS } from './measures';
import type { Verdict, VariantResult } from './types';

/**
 * A user's own experiment: two or more finished runs compared on one metric. It references runs by id (their
 * telemetry stays in the run folders) and is evaluated from their logs, with the same measures as the guided
 * experiments.
 */


export const USER_EXPERIMENT_FORMAT = 'netsmith.user-experiment';

/** The one rule for an experiment id (also the name of its file and the prefix of its results' files). */
export const EXPERIMENT_ID_PATTERN = /^[a-z0-9][a-z0-9-]{0,63}$/;

export const userExperimentSchema = z
  .object({
    format: z.literal(USER_EXPERIMENT_FORMAT),
    version: z.literal(1),
    id: z.string().regex(EXPERIMENT_ID_PATTERN, 'lower-case letters, digits and dashes, at most 64'),
    title: z.string().min(1).max(200),
    concept: z.string().max(200).optional(),
    explanation: z.string().max(5000).optional(),
    createdAt: z.string(),
    /** The measure to compare (RUN_METRICS keys: val_accuracy, val_loss, grad_ratio, mean_confidence, …). */
    metric: z.enum(RUN_METRIC_KEYS),
    runs: z
      .array(z.object({ runId: runIdSchema, name: z.string().min(1).max(200) }))
      .min(2, 'an experiment compares at least two runs')
      .max(16),
    /** Optional claim: the run (id) expected to come out best on the metric. */
    expectedBest: runIdSchema.optional(),
  })
  .superRefine((doc, ctx) => {
    const ids = doc.runs.map((r) => r.runId);
    if (new Set(ids).size !== ids.length) ctx.addIssue({ code: 'custom', path: ['runs'], message: 'each run may appear once' });
    if (doc.expectedBest !== undefined && !ids.includes(doc.expectedBest)) ctx.addIssue({ code: 'custom', path: ['expectedBest'], message: 'must be one of the runs' });
  });

export type UserExperiment = z.infer<typeof userExperimentSchema>;

export function slugify(title: string): string {
  return (
    title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 64)
      .replace(/-+$/, '') || 'experiment'
  );
}

/** A new user experiment from two or more runs (validated; throws a ZodError on bad input). */
export function makeUserExperiment(a: {
  title: string;
  runs: { runId: string; name?: string }[];
  metric?: string;
  concept?: string;
  explanation?: string;
  expectedBest?: string;
  id?: string;
  now?: Date;
}): UserExperiment {
  return userExperimentSchema.parse({
    format: USER_EXPERIMENT_FORMAT,
    version: 1,
    id: a.id ?? slugify(a.title),
    title: a.title,
    ...(a.concept ? { concept: a.concept } : {}),
    ...(a.explanation ? { explanation: a.explanation } : {}),
    createdAt: (a.now ?? new Date()).toISOString(),
    metric: a.metric ?? 'val_accuracy',
    runs: a.runs.map((r) => ({ runId: r.runId, name: r.name ?? r.runId })),
    ...(a.expectedBest ? { expectedBest: a.expectedBest } : {}),
  });
}

/** Ranks the runs on the chosen metric; with `expectedBest`, says whether the measured winner is that run. */
export function userExperimentVerdict(doc: UserExperiment, results: readonly VariantResult[]): Verdict {
  const metric = runMetric(doc.metric)!;
  const values = results.map((r) => ({ r, v: metric.of(r) }));
  const measured = values.filter((x): x is { r: VariantResult; v: number } => x.v !== null && Number.isFinite(x.v));
  const sign = metric.better === 'higher' ? -1 : 1;
  const ranked = [...measured].sort((a, b) => sign * (a.v - b.v));
  const best = ranked[0];
  const second = ranked[1];
  const perVariant = Object.fromEntries(
    results.map((r) => [r.variant, { [doc.metric]: metric.of(r), val_accuracy: r.epochs.length ? r.epochs[r.epochs.length - 1].valAccuracy : null, params: r.params }]),
  );
  const fmt = (v: number | null): string => formatMetric(metric, v);
  const missing = values.filter((x) => x.v === null).map((x) => x.r.name);
  let text: string;
  if (!best) text = `None of the runs has a ${metric.label}.`;
  else {
    text = `${metric.label[0].toUpperCase()}${metric.label.slice(1)}: ${ranked.map((x) => `${x.r.name} ${fmt(x.v)}`).join(', ')}.`;
    if (second) {
      const diff = best.v - second.v;
      text += ` ${best.r.name} is best, ${metric.format === 'percent' ? `${(Math.abs(diff) * 100).toFixed(1)} points` : fmt(Math.abs(diff))} ${metric.better === 'higher' ? 'above' : 'below'} ${second.r.name}.`;
    }
  }
  if (missing.length) text += ` No ${metric.label} for ${missing.join(', ')}.`;
  let direction: Verdict['effect']['direction'] = 'inconclusive';
  let claim = `ranking by ${metric.label}`;
  if (doc.expectedBest !== undefined) {
    const expected = results.find((r) => r.runId === doc.expectedBest || r.variant === doc.expectedBest);
    claim = `${expected?.name ?? doc.expectedBest} has the best ${metric.label}`;
    if (best && ranked.length >= 2) direction = best.r === expected ? 'supports' : 'contradicts';
  }
  return {
    text,
    effect: { claim, direction, detail: best ? `best: ${best.r.name} (${fmt(best.v)})` : 'no measurements' },
    perVariant,
    measurements: { ranking: ranked.map((x) => x.r.variant), metric: doc.metric },
  };
}
