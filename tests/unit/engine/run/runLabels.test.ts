import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_ARGS, type LabEvent } from '../../../../src/shared/api';
import { templateById } from '../../../../src/shared/templates';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import { runRecordSchema } from '../../../../src/shared/runs/runRecord';
import { LabService } from '../../../../src/main/service/labService';

const lenet = JSON.stringify(templateById('lenet_mnist')!.build());
const tiny = { epochs: 1, batchSize: 50, trainLimit: 120, valLimit: 64, probeEvery: 0, backend: 'wasm', workers: 1 };

test('runs get distinguishable default names, a step total from the worker, and can be renamed and tagged (run.json)', { timeout: 180_000 }, async () => {
  const reg = new RunRegistry(mkdtempSync(join(tmpdir(), 'netsmith-names-')));
  const events: LabEvent[] = [];
  reg.onEvent((e) => events.push(e));
  const a = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...tiny, optimizer: { name: 'adam', lr: 0.001 } } });
  assert.equal(a.name, 'LeNet (MNIST 28×28) · mnist · Adam 1e-3');
  assert.equal((await reg.wait(a.id)).state, 'completed');
  const b = await reg.startRun({ project: lenet, dataset: 'mnist', config: { ...tiny, optimizer: { name: 'adam', lr: 0.001 } } });
  assert.equal(b.name, 'LeNet (MNIST 28×28) · mnist · Adam 1e-3 #2', 'the same setup again gets a number');
  const doneB = await reg.wait(b.id);
  // 120 samples in batches of 50: 3 steps (the last batch is partial); the worker's count reaches the summary.
  assert.equal(doneB.stepsPerEpoch, 3);
  assert.equal(doneB.step, 3);

  const renamed = await reg.updateRun({ id: a.id, name: '  baseline  ', tags: ['lr sweep', ' Baseline ', 'lr sweep', 'baseline'] });
  assert.equal(renamed.name, 'baseline');
  assert.deepEqual(renamed.tags, ['lr sweep', 'Baseline'], 'tags are trimmed, empty and duplicate ones dropped');
  const onDisk = runRecordSchema.parse(JSON.parse(readFileSync(join(reg.runDir(a.id), 'run.json'), 'utf8')));
  assert.equal(onDisk.name, 'baseline');
  assert.deepEqual(onDisk.tags, ['lr sweep', 'Baseline']);
  assert.equal(onDisk.state, 'completed', 'the rest of the record is kept');
  assert.ok(events.some((e) => e.type === 'run-status' && e.run.id === a.id && e.run.name === 'baseline'), 'the rename is announced to the windows');
  const listed = (await reg.listRuns()).find((r) => r.id === a.id)!;
  assert.deepEqual([listed.name, listed.tags], ['baseline', ['lr sweep', 'Baseline']]);
  // Only tags: the name stays.
  const tagged = await reg.updateRun({ id: a.id, tags: [] });
  assert.equal(tagged.name, 'baseline');
  assert.equal(tagged.tags, undefined);

  await assert.rejects(reg.updateRun({ id: 'nope', name: 'x' }), /no run 'nope'/);
  await reg.dispose();
});

test('updateRun arguments are validated like every LabApi call', async () => {
  assert.equal(LAB_ARGS.updateRun.safeParse({ id: 'r', name: '   ' }).success, false);
  assert.equal(LAB_ARGS.updateRun.safeParse({ id: 'r', name: 'x'.repeat(201) }).success, false);
  assert.equal(LAB_ARGS.updateRun.safeParse({ id: 'r', tags: ['x'.repeat(41)] }).success, false);
  assert.equal(LAB_ARGS.updateRun.safeParse({ id: 'r', tags: Array.from({ length: 21 }, (_, i) => `t${i}`) }).success, false);
  assert.equal(LAB_ARGS.updateRun.safeParse({ id: 'r', name: 'ok', tags: ['a'] }).success, true);
  const service = new LabService({ kind: 'browser', home: mkdtempSync(join(tmpdir(), 'netsmith-svc-')) });
  await assert.rejects(service.updateRun({ id: 'r', name: 'x' }), /not connected/);
  await service.dispose();
});
