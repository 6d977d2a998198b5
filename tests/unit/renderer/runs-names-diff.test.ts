import assert from 'node:assert/strict';
import { test } from 'node:test';
import { datasetLabel, defaultRunName, normalizeTags, parseTags, shortRate } from '../../../src/shared/training/runName';
import { configDiff, runSettingsDiff } from '../../../src/renderer/runs/diff';
import { metricLabel, settingLabel } from '../../../src/renderer/runs/settingLabels';
import { defaultTrainConfig } from '../../../src/shared/training/config';

test('learning rates are written as people write them', () => {
  assert.equal(shortRate(0.001), '1e-3');
  assert.equal(shortRate(0.002), '2e-3');
  assert.equal(shortRate(0.00025), '2.5e-4');
  assert.equal(shortRate(0.1), '0.1');
  assert.equal(shortRate(0.05), '0.05');
  assert.equal(shortRate(100), '100');
  assert.equal(shortRate(3e-7), '3e-7');
});

test('default run names: graph · dataset · optimizer and learning rate, numbered when repeated', () => {
  const config = { optimizer: { name: 'adamw', lr: 3e-4 } };
  assert.equal(defaultRunName({ graphName: 'ResNet (CIFAR, small)', dataset: 'shapes', config }), 'ResNet (CIFAR, small) · shapes · AdamW 3e-4');
  const existing = ['ResNet (CIFAR, small) · shapes · AdamW 3e-4', 'ResNet (CIFAR, small) · shapes · AdamW 3e-4 #2'];
  assert.equal(defaultRunName({ graphName: 'ResNet (CIFAR, small)', dataset: 'shapes', config, existing }), 'ResNet (CIFAR, small) · shapes · AdamW 3e-4 #3');
  // A different dataset or rate is a different base name: no number.
  assert.equal(defaultRunName({ graphName: 'ResNet (CIFAR, small)', dataset: 'mnist', config, existing }), 'ResNet (CIFAR, small) · mnist · AdamW 3e-4');
  // A folder dataset is named by its folder; an empty graph name reads 'Untitled'.
  assert.equal(defaultRunName({ graphName: ' ', dataset: '/home/me/photos/pets/', config: { optimizer: { name: 'momentum', lr: 0.1 } } }), 'Untitled · pets · SGD+momentum 0.1');
  assert.equal(datasetLabel('C:\\data\\cats'), 'cats');
  assert.equal(datasetLabel('fashion-mnist'), 'fashion-mnist');
  // The host passes the parsed config: the defaults name Adam 1e-3.
  assert.equal(defaultRunName({ graphName: 'LeNet-5', dataset: 'mnist', config: defaultTrainConfig() }), 'LeNet-5 · mnist · Adam 1e-3');
});

test('tags: trimmed, unique (case-insensitive), comma-separated in the form', () => {
  assert.deepEqual(normalizeTags([' a ', 'A', '', 'b  c', 'b c']), ['a', 'b c']);
  assert.deepEqual(parseTags('baseline, lr sweep,, Baseline ,'), ['baseline', 'lr sweep']);
});

test('Compare lists every difference, the dataset first (mnist vs shapes is not "Same settings")', () => {
  const cfg = defaultTrainConfig() as unknown as Record<string, unknown>;
  const rows = runSettingsDiff([
    { dataset: 'mnist', config: cfg },
    { dataset: 'shapes', config: cfg },
  ]);
  assert.deepEqual(rows, [{ path: 'dataset', values: ['mnist', 'shapes'] }]);
  const other = { ...cfg, epochs: 3, optimizer: { ...(cfg.optimizer as object), lr: 0.1 } };
  const three = runSettingsDiff([{ dataset: 'mnist', config: cfg }, { dataset: 'mnist', config: other }, { dataset: 'shapes', config: cfg }]);
  assert.deepEqual(
    three.map((r) => [r.path, ...r.values]),
    [
      ['dataset', 'mnist', 'mnist', 'shapes'],
      ['epochs', '5', '3', '5'],
      ['optimizer.lr', '0.001', '0.1', '0.001'],
    ],
  );
  assert.deepEqual(runSettingsDiff([{ dataset: 'mnist', config: cfg }, { dataset: 'mnist', config: cfg }]), []);
  // A setting only one run has shows '—' for the others.
  assert.deepEqual(configDiff([{ a: 1 }, {}]), [{ path: 'a', values: ['1', '—'] }]);
});

test('run settings and metrics get human labels, never raw config keys', () => {
  assert.equal(settingLabel('loss.focalAlpha'), 'Focal loss α');
  assert.equal(settingLabel('optimizer.lr'), 'Learning rate');
  assert.equal(settingLabel('batchSize'), 'Batch size');
  assert.equal(settingLabel('augment.hflip.p'), 'Augment: Horizontal flip, probability');
  assert.equal(settingLabel('augment.translate.padding'), 'Augment: Random crop (pad + crop), padding (px)');
  assert.equal(settingLabel('someNew.settingName'), 'Some new: setting name');
  // Every path of the default configuration has a label of its own.
  const paths = configDiff([defaultTrainConfig() as unknown as Record<string, unknown>, {}]).map((r) => r.path);
  for (const p of paths) assert.notEqual(settingLabel(p), p, p);
  for (const p of paths) assert.doesNotMatch(settingLabel(p), /[a-z][A-Z]|\.[a-z]/, p);
  assert.equal(metricLabel('train_loss'), 'Training loss');
  assert.equal(metricLabel('val_top5'), 'Validation top-5 accuracy');
  assert.equal(metricLabel('val_mAP50'), 'Validation mAP@0.5');
});
