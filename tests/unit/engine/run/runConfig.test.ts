import assert from 'node:assert/strict';
import { test } from 'node:test';
import { trainConfigOf } from '../../../../src/shared/runs/runConfig';

test('trainConfigOf types a recorded config, fills fields added since, and refuses what is not a config', () => {
  const recorded = { epochs: 3, batchSize: 32, optimizer: { name: 'sgd', lr: 0.05 } };
  const c = trainConfigOf(recorded);
  assert.equal(c?.epochs, 3);
  assert.equal(c?.optimizer.name, 'sgd');
  assert.equal(c?.optimizer.lr, 0.05);
  assert.equal(c?.frozenBatchNorm, 'running', 'a field newer than the run takes its default');
  assert.equal(trainConfigOf(recorded), c, 'parsed once per record');
  assert.equal(trainConfigOf({ epochs: 'five' }), undefined);
  assert.equal(trainConfigOf(undefined), undefined);
});
