import * as tf from '@tensorflow/tfjs';
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { PNG } from 'pngjs';
import { compile } from '../../../src/main/engine/compile/compile';
import { templateById } from '../../../src/shared/templates';
import { fakeRun } from '../engine/predict/helpers';

const dir = mkdtempSync(join(tmpdir(), 'netsmith-cli-predict-'));
const runs = join(dir, 'runs');

/** The CLI in a child process (several at once: each spends seconds starting up). */
const cli = (...args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main/host/cli.ts', 'predict', ...args, '--runs', runs], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.on('close', (code) => resolve({ code, out, err }));
  });

before(async () => {
  await tf.setBackend('cpu');
  const graph = templateById('lenet_mnist')!.build();
  await fakeRun(runs, 'lenet', graph, { model: compile(graph, { seed: 2 }).model });
  await fakeRun(runs, 'fresh', graph);
  // A 60×40 RGB picture: the CLI resizes it to 28×28 grey.
  const p = new PNG({ width: 60, height: 40 });
  for (let i = 0; i < p.data.length; i += 4) p.data[i] = p.data[i + 1] = p.data[i + 2] = (i / 4) % 60 > 25 && (i / 4) % 60 < 35 ? 255 : 0;
  p.data.forEach((_, i) => i % 4 === 3 && (p.data[i] = 255));
  writeFileSync(join(dir, 'bar.png'), PNG.sync.write(p));
  writeFileSync(join(dir, 'notes.png'), 'not an image at all');
});
after(() => rmSync(dir, { recursive: true, force: true }));

test('predict prints the top classes and writes the Grad-CAM overlay and feature maps', async () => {
  const gradcam = join(dir, 'gc.png');
  const features = join(dir, 'fm.png');
  const [text, json] = await Promise.all([
    cli('lenet', join(dir, 'bar.png'), '--top', '3', '--gradcam', gradcam, '--features', features, '--layer', 'act2'),
    cli('lenet', join(dir, 'bar.png'), '--json', '--class', '7', '--gradcam-layer', 'act2'),
  ]);
  assert.equal(text.code, 0, text.err);
  assert.match(text.out, /^bar\.png \(60×40\) → 28×28×1, run lenet, checkpoint best$/m);
  assert.equal(text.out.match(/^\s+\d\. \d\s+\d+\.\d\d%$/gm)?.length, 3);
  assert.match(text.out, /Grad-CAM of '\d' at pool2 → .*gc\.png/);
  assert.match(text.out, /feature maps of act2 \(16 of 16 channels\) → .*fm\.png/);
  const overlay = PNG.sync.read(readFileSync(gradcam));
  assert.deepEqual([overlay.width, overlay.height], [224, 224]);
  assert.ok(existsSync(features));

  assert.equal(json.code, 0, json.err);
  const r = JSON.parse(json.out);
  assert.equal(r.top.length, 5);
  assert.ok(r.top[0].probability >= r.top[4].probability);
  assert.equal(r.gradcam.classIndex, 7);
  assert.equal(r.gradcam.layer, 'act2');
  assert.equal(r.gradcam.heat.length, 100);
  assert.equal(r.image, undefined, 'no image data in the JSON');
});

test('bad input: a clear message and a non-zero exit', async () => {
  const [missingRun, fresh, notImage, missingFile, badClass] = await Promise.all([
    cli('nope', join(dir, 'bar.png')),
    cli('fresh', join(dir, 'bar.png')),
    cli('lenet', join(dir, 'notes.png')),
    cli('lenet', join(dir, 'missing.png')),
    cli('lenet', join(dir, 'bar.png'), '--class', 'cat'),
  ]);
  assert.equal(missingRun.code, 2);
  assert.match(missingRun.err, /error: 'nope' is neither a run folder, a model folder nor a run id under/);
  assert.equal(fresh.code, 1);
  assert.match(fresh.err, /error: run fresh has no finished checkpoint yet \(state: running\)/);
  assert.equal(notImage.code, 2);
  assert.match(notImage.err, /error: 'notes.png' is not a PNG or JPEG image/);
  assert.equal(missingFile.code, 2);
  assert.match(missingFile.err, /error: image '.*missing.png' not found/);
  assert.equal(badClass.code, 2);
  assert.match(badClass.err, /--class: no class 'cat' \(classes: 0, 1, 2/);
  const usage = await cli();
  assert.equal(usage.code, 2);
  assert.match(usage.err, /usage: npm run cli -- predict <run id \| run folder> <image/);
});
