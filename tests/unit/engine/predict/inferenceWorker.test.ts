import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { compile } from '../../../../src/main/engine/compile/compile';
import { encodePng } from '../../../../src/main/engine/data/image/encode';
import { Predictor } from '../../../../src/main/engine/predict';
import { InferenceClient } from '../../../../src/main/engine/predict/inferenceClient';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import { LabError } from '../../../../src/shared/api';
import { adaptToDataset } from '../../../../src/shared/graph/adapt';
import type { PredictResult } from '../../../../src/shared/predict';
import { templateById } from '../../../../src/shared/templates';
import { fakeRun } from './helpers';

let work: string;
let runs: string;

before(async () => {
  work = mkdtempSync(join(tmpdir(), 'netsmith-inference-'));
  runs = join(work, 'runs');
  const lenet = templateById('lenet_mnist')!.build();
  await fakeRun(runs, 'lenet', lenet, { model: compile(lenet, { seed: 1 }).model });
  // A heavier network (a CIFAR ResNet fitted to MNIST): its Grad-CAM pass takes long enough to see a block.
  const resnet = adaptToDataset(templateById('resnet_cifar')!.build(), { name: 'mnist', shape: [28, 28, 1], classes: 10 }).graph;
  await fakeRun(runs, 'resnet', resnet, { model: compile(resnet, { seed: 2 }).model });
  await fakeRun(runs, 'fresh', lenet);
});

after(() => rmSync(work, { recursive: true, force: true }));

const png = `data:image/png;base64,${encodePng(new Uint8Array(20 * 24 * 3).map((_, i) => (i * 37) % 256), 20, 24, 3).toString('base64')}`;
const withoutTime = (r: PredictResult): Omit<PredictResult, 'ms'> => {
  const { ms: _ms, ...rest } = r;
  return rest;
};

test('the inference worker answers exactly what the in-process Predictor answers (classes, Grad-CAM, feature maps)', async () => {
  const client = new InferenceClient(runs);
  const local = new Predictor(runs, undefined, 'wasm');
  try {
    for (const args of [
      { id: 'lenet', image: { sampleIndex: 7 }, top: 5, channels: 8 },
      { id: 'lenet', image: { dataUrl: png, name: 'stripes.png' }, top: 3, channels: 4, classIndex: 2 },
      { id: 'resnet', image: { sampleIndex: 1 }, top: 5, channels: 16 },
    ]) {
      const inWorker = await client.predict(args);
      const inProcess = await local.predict(args);
      assert.deepEqual(withoutTime(inWorker), withoutTime(inProcess), `same result for ${JSON.stringify(args.image).slice(0, 40)}`);
      assert.ok(inWorker.gradcam && inWorker.featureMaps && inWorker.top?.length);
    }
    assert.equal(client.backend, 'wasm', 'the worker predicts on the wasm backend');
  } finally {
    local.dispose();
    await client.dispose();
  }
});

test('errors come back from the worker as LabErrors with their code, and the worker keeps serving', async () => {
  const client = new InferenceClient(runs);
  const code = (c: string, re?: RegExp) => (e: unknown) => e instanceof LabError && e.code === c && (!re || re.test(e.message));
  try {
    await assert.rejects(client.predict({ id: 'fresh', image: { sampleIndex: 0 }, top: 5, channels: 8 }), code('no-checkpoint', /run fresh has no finished checkpoint yet \(state: running\): train it until an epoch ends, then predict/));
    await assert.rejects(client.predict({ id: 'nope', image: { sampleIndex: 0 }, top: 5, channels: 8 }), code('not-found'));
    await assert.rejects(client.predict({ id: 'lenet', image: { dataUrl: 'data:text/plain;base64,aGk=', name: 'hi.txt' }, top: 5, channels: 8 }), code('not-image'));
    await assert.rejects(client.attentionMaps({ id: 'lenet', image: { sampleIndex: 0 } }), code('no-attention'));
    const ok = await client.predict({ id: 'lenet', image: { sampleIndex: 0 }, top: 5, channels: 8 });
    assert.equal(ok.top!.length, 5);
  } finally {
    await client.dispose();
  }
});

test('the host stays responsive while a prediction runs: its event loop keeps ticking and a cheap request answers first', async () => {
  const registry = new RunRegistry(runs);
  try {
    // Warm the worker (backend, dataset, model), so the timed call is the prediction itself.
    await registry.predict({ id: 'resnet', image: { sampleIndex: 0 }, top: 5, channels: 32 });
    const order: string[] = [];
    let last = performance.now();
    let worstGap = 0;
    const ticker = setInterval(() => {
      const now = performance.now();
      worstGap = Math.max(worstGap, now - last);
      last = now;
    }, 5);
    const t0 = performance.now();
    const predicting = registry.predict({ id: 'resnet', image: { dataUrl: png, name: 'stripes.png' }, top: 5, channels: 32 }).then((r) => (order.push('predict'), r));
    const listed = await registry.listRuns();
    order.push('listRuns');
    const result = await predicting;
    const took = performance.now() - t0;
    clearInterval(ticker);
    assert.equal(listed.length, 3);
    assert.deepEqual(order, ['listRuns', 'predict'], 'the cheap request answered while the prediction was in flight');
    assert.ok(result.gradcam);
    // In the host's thread the whole forward + Grad-CAM pass would block the loop; here it never stalls for long.
    assert.ok(worstGap < Math.max(150, took / 2), `the event loop stalled for ${worstGap.toFixed(0)} ms during a ${took.toFixed(0)} ms prediction`);
    console.log(`# prediction ${took.toFixed(0)} ms in the worker; longest event-loop gap on the host ${worstGap.toFixed(0)} ms`);
  } finally {
    await registry.dispose();
  }
});
