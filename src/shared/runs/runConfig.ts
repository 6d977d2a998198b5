import { trainConfigSchema, type TrainConfig } from '../training/config';

const parsed = new WeakMap<object, TrainConfig | null>();

/**
 * A run's training configuration as recorded in run.json, typed (fields added since the run was made take their
 * defaults). Undefined when absent or not a training configuration this version reads (e.g. a run from before
 * the one config vocabulary); callers fall back to the run's summary. Parsed once per record object.
 */
export function trainConfigOf(config: Record<string, unknown> | undefined): TrainConfig | undefined {
  if (!config) return undefined;
  let c = parsed.get(config);
  if (c === undefined) {
    const r = trainConfigSchema.safeParse(config);
    c = r.success ? r.data : null;
    parsed.set(config, c);
  }
  return c ?? undefined;
}
