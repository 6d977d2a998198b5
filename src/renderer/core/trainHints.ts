/**
 * Settings a template recommends for training it (dataset + TrainConfig overrides), handed from the action
 * that loads the template to the Train panel's draft. The latest one waits here until the draft store exists.
 */
export interface TrainRecommendation {
  dataset: string;
  config: Record<string, unknown>;
}

let pending: TrainRecommendation | null = null;
const listeners = new Set<(r: TrainRecommendation) => void>();

export function recommendTraining(r: TrainRecommendation): void {
  pending = r;
  for (const l of listeners) l(r);
  if (listeners.size) pending = null;
}

/** Receives recommendations: the pending one at once, then every new one. Returns the unsubscribe. */
export function onTrainRecommendation(listener: (r: TrainRecommendation) => void): () => void {
  listeners.add(listener);
  if (pending) {
    const r = pending;
    pending = null;
    listener(r);
  }
  return () => listeners.delete(listener);
}
