import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { compile } from '../../../src/main/engine/compile/compile';
import { encodePng } from '../../../src/main/engine/data/image/encode';
import { LabService } from '../../../src/main/service/labService';
import { createDisconnectedRunManager, type RunManager } from '../../../src/main/service/runManager';
import { RunRegistry } from '../../../src/main/service/runs/registry';
import { LAB_METHODS, LabError } from '../../../src/shared/api';
import type { PredictResult } from '../../../src/shared/predict';
import { templateById } from '../../../src/shared/templates';
import { fakeRun } from '../engine/predict/helpers';

const home = () => mkdtempSync(join(tmpdir(), 'netsmith-predict-api-'));

test('predict is a LabApi method, delegated to the RunManager with validated arguments', async () => {
  assert.ok(LAB_METHODS.includes('predict'));
  const calls: unknown[] = [];
  const runs: RunManager = { ...createDisconnectedRunManager(), predict: async (a) => (calls.push(a), { runId: a.id } as PredictResult) };
  const lab = new LabService({ kind: 'browser', home: home(), runs });
  await lab.predict({ id: 'r1', image: { sampleIndex: 3 }, classIndex: 2 });
  assert.deepEqual(calls, [{ id: 'r1', image: { sampleIndex: 3 }, classIndex: 2, top: 5, channels: 32 }]);
  await assert.rejects(lab.predict({ id: 'r1', image: {} }), /either an image \(dataUrl\) or a validation sample index/);
  await assert.rejects(lab.predict({ id: 'r1', image: { sampleIndex: 0 }, checkpoint: '../x' }), /a checkpoint name/);
  await assert.rejects(lab.predict({ id: 'r1', image: { sampleIndex: 0 }, top: 0 }));
  await lab.dispose();
  const none = new LabService({ kind: 'browser', home: home() });
  await assert.rejects(none.predict({ id: 'r1', image: { sampleIndex: 0 } }), (e: Error & { code?: string }) => e.code === 'no-engine');
  await none.dispose();
});

test('the RunRegistry predicts with a run checkpoint; failures are LabErrors with a code', async () => {
  const dir = home();
  const runs = join(dir, 'runs');
  const graph = templateById('lenet_mnist')!.build();
  await fakeRun(runs, 'r1', graph, { model: compile(graph, { seed: 1 }).model });
  await fakeRun(runs, 'r2', graph);
  const registry = new RunRegistry(runs);
  const lab = new LabService({ kind: 'browser', home: dir, runs: registry });
  const png = `data:image/png;base64,${encodePng(new Uint8Array(32 * 32 * 3).fill(200), 32, 32, 3).toString('base64')}`;
  const r = await lab.predict({ id: 'r1', image: { dataUrl: png, name: 'grey.png' } });
  assert.equal(r.top!.length, 5);
  assert.equal(r.gradcam!.layer, 'pool2');
  assert.equal(registry.inference.backend, 'wasm', 'the inference worker predicts on the wasm backend');
  const code = (c: string) => (e: unknown) => e instanceof LabError && e.code === c;
  await assert.rejects(lab.predict({ id: 'r2', image: { sampleIndex: 0 } }), code('no-checkpoint'));
  await assert.rejects(lab.predict({ id: 'r1', image: { dataUrl: 'data:text/plain;base64,aGk=', name: 'hi.txt' } }), code('not-image'));
  await assert.rejects(lab.predict({ id: 'zz', image: { sampleIndex: 0 } }), code('not-found'));
  await lab.dispose();
});
