import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, symlinkSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { compiledWithStats, fixedData, maxAbsDiff, templateGraph } from './helpers';

const run = promisify(execFile);
const work = mkdtempSync(join(tmpdir(), 'netsmith-tfjs-export-'));

before(async () => {
  await tf.setBackend('cpu');
  // The exported loader imports '@tensorflow/tfjs': let the export folder resolve the repo's copy.
  mkdirSync(join(work, 'node_modules', '@tensorflow'), { recursive: true });
  symlinkSync(resolve('node_modules/@tensorflow/tfjs'), join(work, 'node_modules', '@tensorflow', 'tfjs'));
  writeFileSync(join(work, 'package.json'), '{"type":"module"}');
});
after(() => rmSync(work, { recursive: true, force: true }));

/** Loads the export in a fresh Node process that knows nothing of Netsmith but its loader module. */
async function predictInChild(dir: string, data: Float32Array, shape: number[]): Promise<{ shape: number[]; data: number[] }> {
  const script = `
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { loadFromFiles } from './${dir}/netsmith-layers.js';
await tf.setBackend('cpu');
const model = await loadFromFiles(readFileSync('./${dir}/model.json', 'utf8'), readFileSync('./${dir}/weights.bin'));
const x = tf.tensor(${JSON.stringify(Array.from(data))}, ${JSON.stringify(shape)});
const y = model.predict(x);
process.stdout.write(JSON.stringify({ shape: y.shape, data: Array.from(y.dataSync()) }));
`;
  writeFileSync(join(work, `check-${dir}.mjs`), script);
  const { stdout } = await run(process.execPath, [`check-${dir}.mjs`], { cwd: work, maxBuffer: 64 << 20 });
  return JSON.parse(stdout.slice(stdout.indexOf('{"shape"')));
}

describe('TF.js export loads back with tf.loadLayersModel and predicts as the lab', () => {
  for (const id of ['lenet_mnist', 'mobilenet_v3_small']) {
    test(id, async () => {
      const graph = templateGraph(id);
      const { model } = compiledWithStats(graph);
      try {
        const files = await exportFiles('tfjs', graph, model);
        assert.deepEqual(Object.keys(files).sort(), ['README.md', 'model.json', 'netsmith-layers.js', 'weights.bin']);
        await writeExportFolder(join(work, id), files);
        assert.deepEqual(readdirSync(join(work, id)).sort(), Object.keys(files).sort());
        const shape = [2, ...graph.meta.input.shape];
        const data = fixedData(shape.reduce((a, b) => a * b, 1), 9);
        const lab = model.predict(tf.tensor(data, shape)) as tf.Tensor;
        const child = await predictInChild(id, data, shape);
        assert.deepEqual(child.shape, lab.shape);
        assert.ok(maxAbsDiff(child.data, lab.dataSync()) <= 1e-5);
        lab.dispose();
      } finally {
        model.dispose();
      }
    });
  }
});
