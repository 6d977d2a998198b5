import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { fixedData, maxAbsDiff, templateGraph } from './helpers';
import { compile } from '../../../../src/main/engine/compile/compile';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'netsmith-tfjs-stock-'));

before(async () => {
  await tf.setBackend('cpu');
  mkdirSync(join(work, 'node_modules', '@tensorflow'), { recursive: true });
  symlinkSync(resolve('node_modules/@tensorflow/tfjs'), join(work, 'node_modules', '@tensorflow', 'tfjs'));
  writeFileSync(join(work, 'package.json'), '{"type":"module"}');
});
after(() => rmSync(work, { recursive: true, force: true }));

/** A fresh Node process with stock @tensorflow/tfjs only: an IOHandler that reads model.json + weights.bin. */
async function predictWithStockTfjs(dir: string, data: Float32Array, shape: number[]): Promise<{ shape: number[]; data: number[] }> {
  const script = `
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
await tf.setBackend('cpu');
const files = {
  async load() {
    const json = JSON.parse(readFileSync('./${dir}/model.json', 'utf8'));
    const w = readFileSync('./${dir}/' + json.weightsManifest[0].paths[0]);
    return { modelTopology: json.modelTopology, weightSpecs: json.weightsManifest.flatMap((g) => g.weights), weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) };
  },
};
const model = await tf.loadLayersModel(files);
const y = model.predict(tf.tensor(${JSON.stringify(Array.from(data))}, ${JSON.stringify(shape)}));
process.stdout.write(JSON.stringify({ shape: y.shape, data: Array.from(y.dataSync()) }));
`;
  writeFileSync(join(work, `stock-${dir}.mjs`), script);
  const { stdout } = await run(process.execPath, [`stock-${dir}.mjs`], { cwd: work, maxBuffer: 64 << 20 });
  return JSON.parse(stdout.slice(stdout.indexOf('{"shape"')));
}

describe('a network of stock TF.js layers loads with stock tf.loadLayersModel', () => {
  test('a trained LeNet: no NetsmithInitializer in model.json, the README says no loader is needed, same predictions', async () => {
    const graph = templateGraph('lenet_mnist');
    const { model } = compile(graph, { seed: 5 });
    try {
      // A few steps of training, so the weights are not the initial ones.
      const n = 32;
      const x = tf.tensor(fixedData(n * 28 * 28, 3), [n, 28, 28, 1]);
      const y = tf.oneHot(tf.tensor1d(Array.from({ length: n }, (_, i) => i % 10), 'int32'), 10);
      model.compile({ optimizer: tf.train.sgd(0.1), loss: 'categoricalCrossentropy' });
      await model.fit(x, y, { epochs: 1, batchSize: 16, verbose: 0 });
      tf.dispose([x, y]);

      const files = await exportFiles('tfjs', graph, model);
      const json = files['model.json'] as string;
      assert.doesNotMatch(json, /NetsmithInitializer/);
      assert.doesNotMatch(json, /Netsmith>/, 'LeNet is made of stock layers only');
      assert.match(files['README.md'] as string, /stock `tf.loadLayersModel` loads it, without netsmith-layers.js/);
      await writeExportFolder(join(work, 'lenet'), files);
      const shape = [3, 28, 28, 1];
      const data = fixedData(3 * 28 * 28, 7);
      const lab = model.predict(tf.tensor(data, shape)) as tf.Tensor;
      const stock = await predictWithStockTfjs('lenet', data, shape);
      assert.deepEqual(stock.shape, lab.shape);
      assert.ok(maxAbsDiff(stock.data, lab.dataSync()) <= 1e-6, `max diff ${maxAbsDiff(stock.data, lab.dataSync())}`);
      lab.dispose();
    } finally {
      model.dispose();
    }
  });

  test('a network with custom layers: the README names each layer class that needs netsmith-layers.js', async () => {
    const graph = templateGraph('mobilenet_v3_small');
    const { model } = compile(graph, { seed: 5 });
    try {
      const files = await exportFiles('tfjs', graph, model);
      assert.doesNotMatch(files['model.json'] as string, /NetsmithInitializer/);
      const readme = files['README.md'] as string;
      assert.match(readme, /import netsmith-layers.js before loading/);
      assert.match(readme, /- `Netsmith>SqueezeExcite`/);
    } finally {
      model.dispose();
    }
  });
});
