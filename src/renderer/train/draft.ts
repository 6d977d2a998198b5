import { trainConfigSchema, type TrainConfig } from '../../shared/training/config';
import { emptyDraft, TrainDraftStore, type TrainDraft } from '../core/trainDraft';
import { enabledAugment } from './augmentations';

export type { TrainDraft } from '../core/trainDraft';

export const DRAFT_KEY = 'netsmith.train.v1';

export function loadDraft(): TrainDraft {
  try {
    const raw = JSON.parse(localStorage.getItem(DRAFT_KEY) ?? 'null') as { dataset?: unknown; config?: unknown } | null;
    const parsed = trainConfigSchema.safeParse(raw?.config ?? {});
    return { dataset: typeof raw?.dataset === 'string' ? raw.dataset : '', config: parsed.success ? parsed.data : emptyDraft().config };
  } catch {
    return emptyDraft();
  }
}

/** The draft saved in this browser (localStorage), saved again on every change. */
export function persistedTrainDraft(): TrainDraftStore {
  const store = new TrainDraftStore(typeof localStorage === 'undefined' ? emptyDraft() : loadDraft());
  store.subscribe(() => {
    try {
      localStorage.setItem(DRAFT_KEY, JSON.stringify(store.get()));
    } catch {
      /* quota: kept for this session */
    }
  });
  return store;
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
