import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EpochEnd } from '../../../../src/main/engine/train/epochEnd';
import type { Checkpoint, TrainerHooks } from '../../../../src/main/engine/train/trainer';

type Config = ConstructorParameters<typeof EpochEnd>[0];
const config = (o: Partial<Config['earlyStopping']> = {}, every = 1, epochs = 10): Config => ({
  earlyStopping: { enabled: true, metric: 'val_loss', patience: 2, minDelta: 0, ...o } as Config['earlyStopping'],
  checkpointEvery: every,
  epochs,
});

/** Runs the metrics through EpochEnd; returns the checkpoints written, the log lines and the epoch it stopped after. */
async function drive(end: EpochEnd, metrics: number[]) {
  const written: string[] = [];
  const logs: string[] = [];
  const hooks: TrainerHooks = {
    checkpoint: async (ck) => void written.push(`${ck.reason}-${ck.epoch}`),
    log: (_level, message) => void logs.push(message),
  };
  const make = async (reason: Checkpoint['reason'], epoch: number, metric: number) => ({ reason, epoch, metric }) as unknown as Checkpoint;
  let stoppedAfter: number | undefined;
  for (let i = 0; i < metrics.length; i++) {
    if ((await end.after(i + 1, metrics[i], hooks, make)) === 'stop') {
      stoppedAfter = i + 1;
      break;
    }
  }
  return { written, logs, stoppedAfter };
}

test('val_loss: lower is better; patience 2 stops after two epochs without improvement', async () => {
  const end = new EpochEnd(config());
  const r = await drive(end, [1.0, 0.8, 0.85, 0.9, 0.7]);
  assert.equal(r.stoppedAfter, 4);
  assert.equal(end.best, 0.8);
  assert.deepEqual(r.written, ['epoch-1', 'best-1', 'epoch-2', 'best-2', 'epoch-3', 'epoch-4']);
  assert.match(r.logs[0], /Early stopping after epoch 4: val_loss has not improved for 2 epochs \(best 0\.8000\)/);
});

test('an accuracy metric: higher is better; minDelta ignores improvements smaller than it', async () => {
  const end = new EpochEnd(config({ metric: 'val_accuracy', minDelta: 0.01, patience: 3 }));
  const r = await drive(end, [0.5, 0.505, 0.6, 0.605, 0.609, 0.62]);
  // 0.505 and 0.605/0.609 are within minDelta of the best: not improvements.
  assert.equal(end.best, 0.62);
  assert.equal(r.stoppedAfter, undefined);
  assert.deepEqual(r.written.filter((w) => w.startsWith('best')), ['best-1', 'best-3', 'best-6']);
});

test('epoch checkpoints every N epochs and at the last epoch; disabled early stopping never stops', async () => {
  const end = new EpochEnd(config({ enabled: false }, 3, 7));
  const r = await drive(end, [1, 2, 3, 4, 5, 6, 7]);
  assert.equal(r.stoppedAfter, undefined);
  assert.deepEqual(r.written.filter((w) => w.startsWith('epoch')), ['epoch-3', 'epoch-6', 'epoch-7']);
});

test('a resumed run keeps its best: an epoch no better than it is not a new best', async () => {
  const end = new EpochEnd(config(), 0.5);
  const r = await drive(end, [0.6]);
  assert.equal(end.best, 0.5);
  assert.deepEqual(r.written, ['epoch-1']);
  assert.equal(end.metricOf({ loss: 0.3, headline: 0.9 }), 0.3);
  assert.equal(new EpochEnd(config({ metric: 'val_accuracy' })).metricOf({ loss: 0.3, headline: 0.9 }), 0.9);
});
