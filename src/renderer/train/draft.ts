import { defaultTrainConfig, trainConfigSchema, type TrainConfig } from '../../shared/training/config';
import { Store } from '../core/store';
import { onTrainRecommendation } from '../core/trainHints';
import { enabledAugment } from './augmentations';

/**
 * The Train panel's settings (the next run's dataset and TrainConfig), kept across workspace switches and
 * sessions. Always a complete, valid TrainConfig: edits that would make it invalid are refused field by field
 * by the panel (it shows the error) and never stored.
 */

export interface TrainDraft {
  dataset: string;
  config: TrainConfig;
}

export const DRAFT_KEY = 'netsmith.train.v1';

export function loadDraft(): TrainDraft {
  try {
    const raw = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as { dataset?: unknown; config?: unknown } | null;
    const parsed = trainConfigSchema.safeParse(raw?.config ?? {});
    return { dataset: typeof raw?.dataset === 'string' ? raw.dataset : '', config: parsed.success ? parsed.data : defaultTrainConfig() };
  } catch {
    return { dataset: '', config: defaultTrainConfig() };
  }
}

let store: Store<TrainDraft> | null = null;

export function draftStore(): Store<TrainDraft> {
  if (store) return store;
  const s = new Store<TrainDraft>(typeof localStorage === 'undefined' ? { dataset: '', config: defaultTrainConfig() } : loadDraft());
  s.subscribe(() => {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(s.get()));
    } catch {
      /* quota: kept for this session */
    }
  });
  // A template's recommended settings (dataset, epochs, batch, optimizer) replace those fields of the draft.
  onTrainRecommendation((rec) =>
    s.update((d) => {
      const merged = trainConfigSchema.safeParse({ ...d.config, ...rec.config, optimizer: { ...d.config.optimizer, ...((rec.config.optimizer as object | undefined) ?? {}) } });
      return merged.success ? { dataset: rec.dataset, config: merged.data } : d;
    }),
  );
  store = s;
  return s;
}

/** Sets a value at a dotted path (`optimizer.lr`), returning a new config, or an error message when invalid. */
export function setPath(config: TrainConfig, path: string, value: unknown): { config: TrainConfig } | { error: string } {
  const next = structuredClone(config) as unknown as Record<string, unknown>;
  const keys = path.split('.');
  let o = next;
  for (const k of keys.slice(0, -1)) {
    if (typeof o[k] !== 'object' || o[k] === null) o[k] = {};
    o = o[k] as Record<string, unknown>;
  }
  const last = keys[keys.length - 1];
  if (value === undefined) delete o[last];
  else o[last] = value;
  const parsed = trainConfigSchema.safeParse(next);
  if (!parsed.success) return { error: parsed.error.issues[0]?.message ?? 'invalid value' };
  return { config: parsed.data };
}

/** The config sent to the host: only enabled augmentations. */
export function runConfig(config: TrainConfig): Record<string, unknown> {
  return { ...config, augment: enabledAugment(config.augment) } as unknown as Record<string, unknown>;
}

/** Optimizer steps per epoch (the trainer keeps the last partial batch). */
export function stepsPerEpoch(trainSize: number, config: Pick<TrainConfig, 'batchSize' | 'trainLimit'>): number {
  return Math.max(1, Math.ceil(Math.min(trainSize, config.trainLimit ?? Infinity) / config.batchSize));
}
