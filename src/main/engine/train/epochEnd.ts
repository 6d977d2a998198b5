import type { TrainConfig } from '../../../shared/training/config';
import type { Checkpoint, TrainerHooks } from './trainer';

const isBetter = (metric: TrainConfig['earlyStopping']['metric'], a: number, b: number, minDelta = 0): boolean =>
  metric === 'val_loss' ? a < b - minDelta : a > b + minDelta;

/**
 * What both engines do when an epoch's validation is in: track the best metric, write the epoch and best
 * checkpoints, and decide on early stopping. One place, so TF.js and PyTorch runs keep the same rules.
 */
export class EpochEnd {
  best: number;
  private sinceBest = 0;

  constructor(
    private readonly config: Pick<TrainConfig, 'earlyStopping' | 'checkpointEvery' | 'epochs'>,
    resumedBest?: number,
  ) {
    this.best = resumedBest ?? (config.earlyStopping.metric === 'val_loss' ? Infinity : -Infinity);
  }

  /** The metric early stopping and `best` follow, from the epoch's validation. */
  metricOf(val: { loss: number; headline: number }): number {
    return this.config.earlyStopping.metric === 'val_loss' ? val.loss : val.headline;
  }

  /** After epoch `epoch` (1-based): checkpoints, then 'stop' when early stopping ends the run. */
  async after(epoch: number, metric: number, hooks: TrainerHooks, checkpoint: (reason: Checkpoint['reason'], epoch: number, metric: number) => Promise<Checkpoint>): Promise<'continue' | 'stop'> {
    const { earlyStopping, checkpointEvery, epochs } = this.config;
    const improved = isBetter(earlyStopping.metric, metric, this.best, earlyStopping.minDelta);
    if (improved) {
      this.best = metric;
      this.sinceBest = 0;
    } else this.sinceBest++;
    if (hooks.checkpoint) {
      if (epoch % checkpointEvery === 0 || epoch === epochs) await hooks.checkpoint(await checkpoint('epoch', epoch, metric));
      if (improved) await hooks.checkpoint(await checkpoint('best', epoch, metric));
    }
    if (earlyStopping.enabled && this.sinceBest >= earlyStopping.patience) {
      hooks.log?.('info', `Early stopping after epoch ${epoch}: ${earlyStopping.metric} has not improved for ${this.sinceBest} epochs (best ${this.best.toFixed(4)}).`);
      return 'stop';
    }
    return 'continue';
  }
}
