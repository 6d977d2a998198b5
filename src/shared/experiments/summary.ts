import type { EffectDirection, ExperimentResult, VariantResult } from './types';

/**
 * The light form of a stored experiment result, for the gallery: the verdict's status, text and per-variant
 * numbers, when, seed and duration, and each variant's state. No curves, probes or confidences (a full result
 * can weigh a megabyte; this is a few hundred bytes). The store keeps one next to each result.
 */
export interface ExperimentResultSummary {
  format: 'netsmith.experiment-summary';
  experiment: string;
  title: string;
  source: 'guided' | 'user';
  seed: number;
  startedAt: string;
  seconds: number;
  /** False when the run was stopped before every variant finished (its verdict covers only part of it). */
  complete: boolean;
  variants: { variant: string; name: string; state: VariantResult['state']; runId?: string; error?: string }[];
  verdict: {
    text: string;
    direction: EffectDirection;
    detail: string;
    /** Headline numbers per variant (as in the verdict). */
    perVariant: Record<string, Record<string, number | null>>;
  };
}

/**
 * Whether a result covers the whole experiment. A stopped run has variants 'stopped' (or marked `stopped` by
 * the runner) and, for a trained experiment, the ones never started 'skipped'. Computed experiments skip
 * every variant by design; user experiments compare runs as they are and are always complete.
 */
export function isCompleteResult(result: Pick<ExperimentResult, 'source' | 'variants'> & { stopped?: boolean }, kind?: 'trained' | 'computed'): boolean {
  if (result.source === 'user') return true;
  if (result.stopped) return false;
  if (result.variants.some((v) => v.state === 'stopped')) return false;
  const allSkipped = result.variants.length > 0 && result.variants.every((v) => v.state === 'skipped');
  // A computed experiment skips everything; a trained one (or, for old results without a kind, one that ran
  // some variants) skipped the rest because it was stopped.
  if (kind === 'computed') return true;
  if (kind === 'trained') return !result.variants.some((v) => v.state === 'skipped');
  return allSkipped || !result.variants.some((v) => v.state === 'skipped');
}

/** The summary of a full result (`kind`: the guided experiment's kind, when known). */
export function summarizeResult(result: ExperimentResult, kind?: 'trained' | 'computed'): ExperimentResultSummary {
  const v = result.verdict;
  return {
    format: 'netsmith.experiment-summary',
    experiment: result.experiment,
    title: result.title,
    source: result.source,
    seed: result.seed,
    startedAt: result.startedAt,
    seconds: result.seconds,
    complete: isCompleteResult(result, kind),
    variants: result.variants.map((r) => ({ variant: r.variant, name: r.name, state: r.state, ...(r.runId ? { runId: r.runId } : {}), ...(r.error ? { error: r.error } : {}) })),
    verdict: { text: v.text, direction: v.effect.direction, detail: v.effect.detail, perVariant: v.perVariant },
  };
}

/** What the gallery shows for one experiment: its newest complete verdict, and a newer stopped attempt if any. */
export interface LastVerdict {
  /** The newest complete result (undefined: none yet). */
  complete?: ExperimentResultSummary;
  /** The newest result when it is newer than `complete` and incomplete (a stopped attempt). */
  stoppedLater?: ExperimentResultSummary;
}

/** Picks the last complete verdict from summaries of one experiment (any order). */
export function lastVerdict(summaries: readonly ExperimentResultSummary[]): LastVerdict {
  const sorted = [...summaries].sort((a, b) => b.startedAt.localeCompare(a.startedAt));
  const complete = sorted.find((s) => s.complete);
  const newest = sorted[0];
  const stoppedLater = newest && !newest.complete && (!complete || newest.startedAt > complete.startedAt) ? newest : undefined;
  return { ...(complete ? { complete } : {}), ...(stoppedLater ? { stoppedLater } : {}) };
}
