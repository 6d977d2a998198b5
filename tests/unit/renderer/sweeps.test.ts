import { test } from 'node:test';
import assert from 'node:assert/strict';
import { cnnSmall, lenetMnist } from '../../../src/shared/templates/lenet';
import type { LabEvent, SweepSummary } from '../../../src/shared/api';
import { addableKeys, defaultRows, rowFor, spaceFromRows } from '../../../src/renderer/sweeps/spaceDraft';
import { metricAxis, paramAxis } from '../../../src/renderer/sweeps/parallel';
import { SweepsStore } from '../../../src/renderer/sweeps/store';

const lenet = lenetMnist.build();

test('the dialog starts with the learning rate on and builds the space the CLI would read', () => {
  const rows = defaultRows(lenet);
  assert.deepEqual(rows.map((r) => r.key), ['lr', 'batchSize', 'optimizer', 'weightDecay']);
  assert.deepEqual(spaceFromRows(rows, lenet), { space: { lr: { logUniform: [1e-4, 0.1] } }, errors: [] });
  const all = rows.map((r) => ({ ...r, enabled: true }));
  assert.deepEqual(spaceFromRows(all, lenet).space, { lr: { logUniform: [1e-4, 0.1] }, batchSize: { choice: [32, 64, 128] }, optimizer: { choice: ['sgd', 'adam'] }, weightDecay: { logUniform: [1e-6, 1e-2] } });
  assert.ok(defaultRows(cnnSmall.build()).some((r) => r.key === 'dropout'), 'dropout when the graph has a Dropout block');
});

test('block parameters are offered by label.param and start around the current value', () => {
  const keys = addableKeys(lenet, defaultRows(lenet)).map((a) => a.key);
  assert.ok(keys.includes('conv1.filters') && keys.includes('fc1.units') && keys.includes('backend'));
  assert.ok(!keys.includes('lr'));
  assert.deepEqual(rowFor('conv1.filters', lenet), { key: 'conv1.filters', enabled: true, kind: 'intUniform', lo: '3', hi: '12', choices: '' });
  assert.equal(rowFor('conv1.padding', lenet).kind, 'choice');
  assert.equal(rowFor('conv1.bias', lenet).choices, 'true, false');
});

test('bad rows give the same clear messages as the CLI', () => {
  const rows = defaultRows(lenet);
  assert.deepEqual(spaceFromRows([{ ...rows[0], lo: 'abc' }], lenet).errors, ['lr: low and high must be numbers']);
  assert.match(spaceFromRows([{ ...rows[0], lo: '0' }], lenet).errors.join(), /logUniform: both ends must be above 0/);
  assert.match(spaceFromRows([{ ...rows[2], enabled: true, choices: 'sgd, lion' }], lenet).errors.join(), /'lion' is not one of/);
  assert.deepEqual(spaceFromRows(rows.map((r) => ({ ...r, enabled: false })), lenet).errors, ['tick at least one parameter to search']);
});

test('parallel-coordinate axes: log axis by decades, choices evenly spaced, metric over its range', () => {
  const lr = paramAxis('lr', { logUniform: [1e-4, 1e-1] });
  assert.equal(lr.pos(1e-4), 0);
  assert.equal(lr.pos(1e-1), 1);
  assert.ok(Math.abs(lr.pos(1e-3)! - 1 / 3) < 1e-12);
  assert.deepEqual(lr.ticks.map((t) => t.label), ['1e-4', '1e-3', '0.01', '0.1']);
  const opt = paramAxis('optimizer', { choice: ['sgd', 'adam', 'adamw'] });
  assert.deepEqual(['sgd', 'adam', 'adamw', 'lion'].map((v) => opt.pos(v)), [0, 0.5, 1, undefined]);
  const m = metricAxis('val_accuracy', [0.2, 0.8, 0.5]);
  assert.equal(m.pos(0.8), 1);
  assert.ok(Math.abs(m.pos(0.5)! - 0.5) < 1e-12);
});

test('the store follows sweep events and opens a sweep', async () => {
  let listener: ((e: LabEvent) => void) | null = null;
  const summary = { id: 'sweep-1', name: 'S', state: 'running', results: [], trials: 3 } as unknown as SweepSummary;
  const store = new SweepsStore({
    subscribe: (l) => ((listener = l), () => (listener = null)),
    listSweeps: async () => [summary],
    readSweep: async () => summary,
    stopSweep: async () => ({ ...summary, state: 'stopped' }),
    resumeSweep: async () => summary,
  });
  await store.load();
  assert.equal(store.getState().list?.length, 1);
  listener!({ type: 'sweep', phase: 'finished', sweep: { ...summary, state: 'completed' } });
  assert.equal(store.getState().list?.[0].state, 'completed');
  listener!({ type: 'sweep', phase: 'started', sweep: { ...summary, id: 'sweep-2' } });
  assert.deepEqual(store.getState().list?.map((s) => s.id), ['sweep-2', 'sweep-1']);
  store.open('sweep-2');
  assert.equal(store.getState().openId, 'sweep-2');
  await store.stop('sweep-1');
  assert.equal(store.getState().list?.find((s) => s.id === 'sweep-1')?.state, 'stopped');
  store.dispose();
  assert.equal(listener, null);
});
