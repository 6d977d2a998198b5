import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, test } from 'node:test';
import { promisify } from 'node:util';
import { exportFiles, writeExportFolder } from '../../../../src/main/engine/export';
import { bundleLoader } from '../../../../src/main/engine/export/tfjs/buildLoader';
import { LOADER_SOURCE } from '../../../../src/main/engine/export/tfjs/loaderSource.generated';
import type { GraphDoc } from '../../../../src/shared/graph/types';
import { tfjsWorkspace } from './formats';
import { compiledWithStats, fixedData, foldKindsGraph, maxAbsDiff, templateGraph } from './helpers';

const run = promisify(execFile);
const workspace = tfjsWorkspace();
const { work, predictInChild } = workspace;

before(async () => {
  await tf.setBackend('cpu');
});
after(() => workspace.dispose());

describe('TF.js export loads back with tf.loadLayersModel and predicts as the lab', () => {
  for (const id of ['lenet_mnist', 'mobilenet_v3_small']) {
    test(id, async () => {
      const graph = templateGraph(id);
      const { model } = compiledWithStats(graph);
      try {
        const files = await exportFiles('tfjs', graph, model);
        assert.deepEqual(Object.keys(files).sort(), ['README.md', 'model-info.json', 'model.json', 'netsmith-layers.js', 'weights.bin']);
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

function mobilenetAt32(): GraphDoc {
  const graph = templateGraph('mobilenet_v2');
  graph.meta.input.shape = [32, 32, 3];
  return graph;
}

describe('Conv-BN fusion in the TF.js export', () => {
  for (const [name, build] of [
    ['mobilenet_v2 at 32×32', mobilenetAt32],
    ['every foldable layer kind', foldKindsGraph],
  ] as const) {
    test(`${name}: no BatchNorm layers left, and a fresh process predicts as the lab within 1e-4`, async () => {
      const graph = build();
      const { model } = compiledWithStats(graph);
      const dir = `fused-${name.split(' ')[0]}`;
      try {
        const files = await exportFiles('tfjs', graph, model, {}, { fuseBatchNorm: true });
        const json = JSON.parse(files['model.json'] as string) as { modelTopology: { config: { layers: { class_name: string }[] } } };
        const classes = json.modelTopology.config.layers.map((l) => l.class_name);
        assert.ok(!classes.some((c) => /BatchNorm/.test(c)), classes.join(' '));
        assert.match(files['README.md'] as string, /Conv-BN fusion: \d+ BatchNorm layer\(s\) are folded/);
        await writeExportFolder(join(work, dir), files);
        const shape = [2, ...graph.meta.input.shape];
        const data = fixedData(shape.reduce((a, b) => a * b, 1), 8);
        const lab = model.predict(tf.tensor(data, shape)) as tf.Tensor;
        const child = await predictInChild(dir, data, shape);
        assert.deepEqual(child.shape, lab.shape);
        const scale = Math.max(1, maxAbsDiff(lab.dataSync(), new Float32Array(lab.size)));
        assert.ok(maxAbsDiff(child.data, lab.dataSync()) / scale <= 1e-4, `max |fused − lab| = ${maxAbsDiff(child.data, lab.dataSync())}`);
        lab.dispose();
      } finally {
        model.dispose();
      }
    });
  }
});

describe('the prebuilt layer loader (no bundler at export time)', () => {
  test('loaderSource.generated.ts is up to date with the custom layers', async () => {
    const fresh = await bundleLoader();
    assert.ok(fresh === LOADER_SOURCE, 'src/main/engine/export/tfjs/loaderSource.generated.ts is stale: run `npm run build:loader`');
  });

  test('the loader holds layer code only: no block definitions, exporters or training kernels', () => {
    for (const marker of ['defineBlock', 'ENGINE_BLOCKS', 'ctx.op(', 'nn.Conv2d', 'batchNormTraining', 'netsmith-backend-stub']) {
      assert.ok(!LOADER_SOURCE.includes(marker), `netsmith-layers.js contains '${marker}'`);
    }
    for (const cls of ['Netsmith>Conv2D', 'Netsmith>MHSA', 'Netsmith>YoloHead', 'Netsmith>SqueezeExcite', 'NetsmithInitializer']) assert.ok(LOADER_SOURCE.includes(cls), cls);
  });

  test('a process where esbuild cannot be imported exports TF.js, and a fresh process loads it', async () => {
    // A resolve hook that refuses esbuild, as in a packaged app without dev dependencies.
    const hook = `export async function resolve(specifier, context, next) { if (/^esbuild(\\/|$)/.test(specifier)) throw new Error('esbuild is not installed'); return next(specifier, context); }`;
    writeFileSync(join(work, 'no-esbuild.mjs'), hook);
    writeFileSync(join(work, 'register-no-esbuild.mjs'), `import { register } from 'node:module'; register(${JSON.stringify(pathToFileURL(join(work, 'no-esbuild.mjs')).href)});`);
    const exporter = `
import * as tf from '@tensorflow/tfjs';
import { compile } from ${JSON.stringify(resolve('src/main/engine/compile/compile.ts'))};
import { exportFiles, writeExportFolder } from ${JSON.stringify(resolve('src/main/engine/export/index.ts'))};
import { templateGraph } from ${JSON.stringify(resolve('tests/unit/engine/export/helpers.ts'))};
await tf.setBackend('cpu');
await import('esbuild').then(() => { throw new Error('esbuild should be unavailable here'); }, () => {});
const graph = templateGraph('lenet_mnist');
const { model } = compile(graph, { seed: 3 });
await writeExportFolder(${JSON.stringify(join(work, 'packaged'))}, await exportFiles('tfjs', graph, model));
const y = model.predict(tf.tensor(Array.from({ length: 2 * 28 * 28 }, (_, i) => Math.sin(i)), [2, 28, 28, 1]));
process.stdout.write(JSON.stringify(Array.from(y.dataSync())));
`;
    writeFileSync(join(work, 'export-packaged.ts'), exporter);
    const { stdout } = await run(process.execPath, ['--import', 'tsx', '--import', join(work, 'register-no-esbuild.mjs'), join(work, 'export-packaged.ts')], { cwd: resolve('.'), maxBuffer: 64 << 20 });
    const lab = JSON.parse(stdout.slice(stdout.lastIndexOf('['))) as number[];
    const data = Float32Array.from({ length: 2 * 28 * 28 }, (_, i) => Math.sin(i));
    const child = await predictInChild('packaged', data, [2, 28, 28, 1]);
    assert.deepEqual(child.shape, [2, 10]);
    assert.ok(maxAbsDiff(child.data, lab) <= 1e-5);
  });
});
