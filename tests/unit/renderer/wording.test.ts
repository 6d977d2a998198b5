import assert from 'node:assert/strict';
import { test } from 'node:test';
import { analyze } from '../../../src/shared/graph/analyze';
import { GraphBuilder } from '../../../src/shared/graph/builder';
import { blockByType } from '../../../src/shared/blocks';
import { studyNotes } from '../../../src/shared/blocks/studyNotes';
import { plural } from '../../../src/shared/plural';
import { paramSummary } from '../../../src/renderer/editor/nodeSummary';
import type { LabApi } from '../../../src/shared/api';
import { harness, smallNet } from './helpers';
import { TelemetryStore } from '../../../src/renderer/telemetry/store';
import { syntheticSummary } from './fixtures/syntheticTelemetry';
import { progressOf } from '../../../src/renderer/telemetry/progress';

test('a lone Input is told to add layers, not that "every block feeds another one"', () => {
  const b = new GraphBuilder({ name: 't', input: [28, 28, 1] });
  b.input();
  const issue = analyze(b.build()).issues.find((i) => i.code === 'no-output');
  assert.equal(issue?.message, 'The graph has only an Input: add layers after it (e.g. Flatten → Dense) so it has an output');
});

test('Max Pool shows its effective stride; pad under padding same/valid says what applies', () => {
  const pool = blockByType('pool/maxpool')!;
  assert.equal(paramSummary(pool, { size: 3 }), 'size 3 · stride 3 (= size) · padding same');
  assert.equal(paramSummary(pool, { size: 3, stride: 2 }), 'size 3 · stride 2 · padding same');
  assert.deepEqual(pool.params.stride.effective?.({ size: 2, stride: 0 }), { text: '2 (= size)' });
  const conv = blockByType('core/conv2d')!;
  assert.deepEqual(conv.params.pad.effective?.({ padding: 'same', pad: 0 }), { text: 'same: as much as keeps ⌈H/S⌉', locked: true });
  assert.deepEqual(conv.params.pad.effective?.({ padding: 'valid', pad: 0 }), { text: 'none (valid)', locked: true });
  assert.equal(conv.params.pad.effective?.({ padding: 'explicit', pad: 1 }), undefined);
  assert.deepEqual(pool.params.pad.effective?.({ padding: 'same' }), { text: 'same: as much as keeps ⌈H/S⌉', locked: true });
});

test('doc cards name the study notes instead of numbering them', () => {
  assert.deepEqual(
    studyNotes('000, 001').map((n) => n.title),
    ['Model index tables and Q&A list', 'CNN, detection and Transformer Q&A'],
  );
  assert.equal(studyNotes('009')[0].title, 'note 009');
  assert.deepEqual(studyNotes(undefined), []);
  assert.equal(blockByType('norm/batchnorm')!.doc.notes?.split(',').length, studyNotes(blockByType('norm/batchnorm')!.doc.notes).length);
});

test('counts agree with their nouns', () => {
  assert.equal(plural(1, 'epoch'), '1 epoch');
  assert.equal(plural(3, 'epoch'), '3 epochs');
  assert.equal(plural(0, 'run'), '0 runs');
  assert.equal(plural(2, 'class'), '2 classes');
  assert.equal(plural(1, 'class'), '1 class');
  assert.equal(plural(12000, 'step'), '12,000 steps');
  assert.equal(plural(2, 'batch'), '2 batches');
});

test('the unsaved-changes dialog offers Save: it saves, then goes on', async () => {
  const writes: string[] = [];
  const lab = { writeProject: async (a: { path: string }) => (writes.push(a.path), { path: a.path, name: 'p', modified: '', size: 1 }), clearAutosave: async () => undefined } as unknown as LabApi;
  let asked: { alternative?: string } | undefined;
  const h = harness(smallNet(), { lab, confirm: async (_t, _m, opts) => ((asked = opts), 'alternative') });
  h.store.update((s) => ({ ...s, path: 'mine.netsmith.json' }));
  await h.manager.execute('graph.setParam', { node: 'conv2d_1', param: 'filters', value: 8 });
  await h.manager.execute('file.new');
  assert.equal(asked?.alternative, 'Save');
  assert.deepEqual(writes, ['mine.netsmith.json'], 'saved to its file');
  assert.equal(h.store.get().doc.nodes.length, 1, 'then the new project opened');
  // A project never saved: "Save as…" opens the save dialog and the new project waits.
  const h2 = harness(smallNet(), { lab, confirm: async (_t, _m, opts) => ((asked = opts), 'alternative') });
  await h2.manager.execute('graph.setParam', { node: 'conv2d_1', param: 'filters', value: 8 });
  await h2.manager.execute('file.new');
  assert.equal(asked?.alternative, 'Save as…');
  assert.equal(h2.store.get().dialog?.kind, 'saveAs');
  assert.equal(h2.store.get().doc.nodes.length, smallNet().nodes.length, 'nothing was discarded');
});

test('"step 64/58" cannot happen: the total is the worker\'s step count, never a guess', () => {
  const store = new TelemetryStore({ throttleMs: 0 });
  // The Train panel knows the run's settings, but only the worker counts its steps per epoch: no total before that.
  store.ingest({ type: 'run-status', run: { ...syntheticSummary('r', 'running', 1), step: 64 } });
  store.setMeta('r', { config: { batchSize: 32, epochs: 1 } });
  let p = progressOf(store.get('r')!);
  assert.equal(p.step, 64);
  assert.equal(p.totalSteps, null);
  // Once the host reports the worker's count (last partial batch included), that is the total.
  store.ingest({ type: 'run-status', run: { ...syntheticSummary('r', 'running', 1), step: 64, stepsPerEpoch: 70 } });
  p = progressOf(store.get('r')!);
  assert.equal(p.totalSteps, 70);
  assert.equal(store.get('r')!.stepsPerEpoch, 70);
});
