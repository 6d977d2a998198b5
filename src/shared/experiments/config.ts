import { trainConfigSchema, type TrainConfig } from '../training/config';
import type { ConfigPatch } from './types';

const isPlainObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep merge of plain objects; arrays and scalars in `patch` replace. */
export function deepMerge<T extends Record<string, unknown>>(base: T, patch: Record<string, unknown> | undefined): T {
  if (!patch) return { ...base };
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) continue;
    out[k] = isPlainObject(v) && isPlainObject(out[k]) ? deepMerge(out[k] as Record<string, unknown>, v) : v;
  }
  return out as T;
}

/**
 * A variant's full training config: the experiment's settings, the variant's patch, then the caller's
 * overrides (seed, backend, shorter limits); validated by the TrainConfig schema.
 */
export function resolveConfig(base: ConfigPatch, variant: ConfigPatch | undefined, overrides: ConfigPatch = {}): TrainConfig {
  const merged = deepMerge(deepMerge(base as Record<string, unknown>, variant as Record<string, unknown> | undefined), overrides as Record<string, unknown>);
  return trainConfigSchema.parse(merged);
}

/**
 * What every experiment run starts from before its own settings: only the final (and best) checkpoint is
 * written, not one per epoch (a 40-epoch variant would otherwise leave 40 checkpoints behind).
 */
export const EXPERIMENT_DEFAULTS: ConfigPatch = { checkpointEvery: 10_000 };

/** A variant's config as an experiment runs it: defaults, the experiment's settings, the variant's patch, overrides. */
export function experimentConfig(base: ConfigPatch, variant: ConfigPatch | undefined, overrides: ConfigPatch = {}): TrainConfig {
  return resolveConfig(deepMerge(EXPERIMENT_DEFAULTS as Record<string, unknown>, base as Record<string, unknown>), variant, overrides);
}
