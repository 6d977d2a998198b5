import assert from 'node:assert/strict';
import { test } from 'node:test';
import { defaultTrainConfig, trainConfigSchema, type TrainConfig } from '../../../src/shared/training/config';
import { settingWarnings } from '../../../src/renderer/train/settingWarnings';

const config = (patch: Record<string, unknown>): TrainConfig => trainConfigSchema.parse({ ...patch });
const paths = (c: TrainConfig, n?: number) => settingWarnings(c, n).map((w) => w.path);

test('the defaults raise no warning', () => {
  assert.deepEqual(settingWarnings(defaultTrainConfig(), 8000), []);
});

test('extreme learning rates are warned about (not refused: the config still parses)', () => {
  const big = settingWarnings(config({ optimizer: { name: 'adam', lr: 100 } }));
  assert.equal(big.length, 1);
  assert.equal(big[0].path, 'optimizer.lr');
  assert.match(big[0].message, /A learning rate of 100 is extreme \(usual for adam: 1e-4 to 3e-3\): the loss will most likely diverge/);
  assert.deepEqual(paths(config({ optimizer: { name: 'sgd', lr: 2 } })), ['optimizer.lr']);
  assert.deepEqual(paths(config({ optimizer: { name: 'sgd', lr: 0.5 } })), [], 'SGD at 0.5 is high but common with BN');
  assert.deepEqual(paths(config({ optimizer: { name: 'adam', lr: 0.1 } })), ['optimizer.lr'], 'Adam at 0.1 is high');
  assert.match(settingWarnings(config({ optimizer: { name: 'adam', lr: 1e-7 } }))[0].message, /1e-7 is so small/);
});

test('huge regularisation, a batch larger than the dataset, a warmup as long as the run', () => {
  assert.deepEqual(paths(config({ optimizer: { name: 'adamw', weightDecay: 5 } })), ['optimizer.weightDecay']);
  assert.deepEqual(paths(config({ regularization: { l2: 1, l1: 0.5 } })), ['regularization.l2', 'regularization.l1']);
  const batch = settingWarnings(config({ batchSize: 512 }), 300);
  assert.deepEqual(batch.map((w) => w.message), ['A batch of 512 is larger than the 300 training samples: each epoch is one step over the whole set.']);
  // trainLimit counts: 2,000 samples limited to 100.
  assert.deepEqual(paths(config({ batchSize: 128, trainLimit: 100 }), 2000), ['batchSize']);
  assert.deepEqual(paths(config({ batchSize: 128 }), 2000), []);
  assert.match(settingWarnings(config({ epochs: 1, schedule: { name: 'cosine', warmupEpochs: 1 } }))[0].message, /as long as the run \(1 epoch\)/);
  assert.deepEqual(paths(config({ clip: { mode: 'norm', value: 1e-5 } })), ['clip.value']);
  assert.deepEqual(paths(config({ loss: { labelSmoothing: 0.45 } })), ['loss.labelSmoothing']);
});
