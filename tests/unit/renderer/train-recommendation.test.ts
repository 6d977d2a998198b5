import assert from 'node:assert/strict';
import { test } from 'node:test';
import { TrainDraftStore } from '../../../src/renderer/core/trainDraft';
import { defaultTrainConfig } from '../../../src/shared/training/config';
import { templateById } from '../../../src/shared/templates';
import { harness } from './helpers';

// The e2e test tests/e2e/detection.test.ts checks that loading YOLO-nano sets the Train panel's fields.
test("loading a template hands its recommended settings to the editor's Train panel draft", async () => {
  const nano = templateById('yolo_nano')!.recommended!;
  assert.deepEqual(nano, { dataset: 'shapes-det', config: { epochs: 2, batchSize: 16, optimizer: { name: 'adam', lr: 0.003 } } });
  const h = harness();
  const r = await h.manager.execute('file.loadTemplate', { id: 'yolo_nano' });
  assert.ok(r.ok);
  const d = h.trainDraft.get();
  assert.equal(d.dataset, 'shapes-det');
  assert.equal(d.config.epochs, 2);
  assert.equal(d.config.batchSize, 16);
  assert.equal(d.config.optimizer.lr, 0.003);
  assert.match(h.toasts.at(-1) ?? '', /Train panel set to shapes-det/);
});

test('a recommendation replaces only the fields it names; one that would make the draft invalid is refused', () => {
  const store = new TrainDraftStore();
  store.update((d) => ({ ...d, config: { ...d.config, seed: 7, optimizer: { ...d.config.optimizer, beta1: 0.8 } } }));
  store.recommend({ dataset: 'mnist', config: { batchSize: 32, optimizer: { name: 'adam', lr: 0.003 } } });
  const d = store.get();
  assert.equal(d.dataset, 'mnist');
  assert.equal(d.config.seed, 7, 'fields it does not name stay');
  assert.equal(d.config.optimizer.beta1, 0.8, 'optimizer fields it does not name stay');
  assert.equal(d.config.optimizer.lr, 0.003);
  assert.equal(d.config.epochs, defaultTrainConfig().epochs);
  const before = store.get();
  store.recommend({ dataset: 'cifar10', config: { batchSize: -1 } });
  assert.equal(store.get(), before);
});
