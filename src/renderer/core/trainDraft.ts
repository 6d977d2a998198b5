import { defaultTrainConfig, trainConfigSchema, type TrainConfig } from '../../shared/training/config';
import type { Template } from '../../shared/templates/types';
import { Store } from './store';

/**
 * The Train panel's settings (the next run's dataset and TrainConfig), kept across workspace switches and
 * sessions. Always a complete, valid TrainConfig: edits that would make it invalid are refused field by field
 * by the panel (it shows the error) and never stored.
 */
export interface TrainDraft {
  dataset: string;
  config: TrainConfig;
}

/** Settings a template recommends for training it: the dataset and TrainConfig overrides. */
export type TrainRecommendation = NonNullable<Template['recommended']>;

export const emptyDraft = (): TrainDraft => ({ dataset: '', config: defaultTrainConfig() });

/** The Train panel's draft: one per editor (src/renderer/app/editor.ts), read by the panel, set by template loads. */
export class TrainDraftStore extends Store<TrainDraft> {
  constructor(initial: TrainDraft = emptyDraft()) {
    super(initial);
  }

  /** A template's recommended settings (dataset, epochs, batch, optimizer) replace those fields of the draft; the rest stays. */
  recommend(rec: TrainRecommendation): void {
    this.update((d) => {
      const merged = trainConfigSchema.safeParse({ ...d.config, ...rec.config, optimizer: { ...d.config.optimizer, ...((rec.config.optimizer as object | undefined) ?? {}) } });
      return merged.success ? { dataset: rec.dataset, config: merged.data } : d;
    });
  }
}
