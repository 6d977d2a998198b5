/**
 * A run initialised from weights whose preprocessing resizes the shorter side and centre-crops (a torchvision
 * model folder: resizeShorter 256, input 224) loads its folder images that way, train and validation alike,
 * instead of stretching them: checked by hand on a tiny image, against resizeCropUint8 and torchvision's own
 * Resize + CenterCrop (PIL), and through a real run (run.json, the log, the previews).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { PNG } from 'pngjs';
import type { LogEvent } from '../../../../src/shared/api';
import { adaptToDataset } from '../../../../src/shared/graph/adapt';
import { templateById } from '../../../../src/shared/templates';
import { selectBackend } from '../../../../src/main/engine/backend/select';
import { compile } from '../../../../src/main/engine/compile/compile';
import { closeDecodePool } from '../../../../src/main/engine/data/image/decodePool';
import { pngDataUrl } from '../../../../src/main/engine/data/image/encode';
import { resizeUint8 } from '../../../../src/main/engine/data/image/resize';
import { resizeCropUint8, shorterSideFor, type EvalCrop } from '../../../../src/main/engine/data/image/resizeCrop';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { IMAGENET_PREPROCESSING, writeModelFolder, type Preprocessing } from '../../../../src/main/engine/modelFolder';
import { resolveInitSource } from '../../../../src/main/engine/weights/initFrom';
import { RunRegistry } from '../../../../src/main/service/runs/registry';
import { augmentPreview, datasetPreview } from '../../../../src/main/service/runs/previews';
import { tempDir, writePng } from '../data/helpers';
import { PYTHON, SKIP } from './torchvisionFixture';

after(() => closeDecodePool());

const IMAGENET: EvalCrop = { shorter: 256, input: [224, 224] };

/** Every image of every split, as loaded. */
function allImages(ds: Dataset): Uint8Array[] {
  return (['train', 'val', 'test'] as const).flatMap((name) => {
    const s = ds.split(name);
    return Array.from({ length: s.length }, (_, i) => s.rawImage(i));
  });
}

/** The RGB pixels of a PNG written by writePng. */
function pngRgb(path: string): { data: Uint8Array; w: number; h: number } {
  const png = PNG.sync.read(readFileSync(path));
  const data = new Uint8Array(png.width * png.height * 3);
  for (let p = 0; p < png.width * png.height; p++) data.set(png.data.subarray(p * 4, p * 4 + 3), p * 3);
  return { data, w: png.width, h: png.height };
}

/** Each expected image is loaded exactly once (the split shuffles them). */
function assertSameImages(loaded: Uint8Array[], expected: Uint8Array[], what: string): void {
  assert.equal(loaded.length, expected.length, `${what}: image count`);
  const key = (a: Uint8Array) => Buffer.from(a).toString('base64');
  assert.deepEqual(loaded.map(key).sort(), expected.map(key).sort(), what);
}

describe('folder images for weights with a resize-shorter preprocessing', () => {
  test('a 16×8 image: the shorter side stays 8, then the centre 8×8 (columns 4..11) — computed by hand', async () => {
    const root = tempDir();
    // pixel (x, y) = [15x, 30y, 7 + class]: every column and row has its own value.
    for (const [k, cls] of ['a', 'b'].entries()) writePng(join(root, cls, 'wide.png'), 16, 8, (x, y) => [15 * x, 30 * y, 7 + k]);
    const crop: EvalCrop = { shorter: 8, input: [8, 8] };
    const { dataset } = await loadDataset(root, { size: [8, 8], crop, valFraction: 0, testFraction: 0 });
    assert.equal(dataset.info.resizeShorter, 8);
    const byHand = (k: number): Uint8Array => {
      const out: number[] = [];
      for (let y = 0; y < 8; y++) for (let x = 4; x < 12; x++) out.push(15 * x, 30 * y, 7 + k);
      return Uint8Array.from(out);
    };
    assertSameImages(allImages(dataset), [byHand(0), byHand(1)], 'hand-computed centre crop');
    // Stretched (no crop), the whole width is squeezed into 8 columns.
    const plain = (await loadDataset(root, { size: [8, 8], valFraction: 0, testFraction: 0 })).dataset;
    assert.equal(plain.info.resizeShorter, undefined);
    assert.notDeepEqual(allImages(plain).map((a) => [...a]).sort(), [byHand(0), byHand(1)].map((a) => [...a]).sort());
  });

  test('non-square images at the run size: exactly resizeCropUint8 with the scaled shorter side; without resizeShorter exactly the stretch as before', async () => {
    const root = tempDir();
    const files: string[] = [];
    const sizes: [number, number][] = [[120, 80], [70, 150], [96, 96], [201, 97]];
    for (const [i, [w, h]] of sizes.entries()) {
      const path = join(root, i % 2 ? 'dog' : 'cat', `${i}.png`);
      writePng(path, w, h, (x, y) => [(x * 7 + y * 3 + i * 40) % 256, (x * x + 5 * y) % 256, (y * 11 + i) % 256]);
      files.push(path);
    }
    assert.equal(shorterSideFor(IMAGENET, [64, 64]), 73, 'Resize(256)+CenterCrop(224) scaled to 64×64');
    assert.equal(shorterSideFor(IMAGENET, [224, 224]), 256);
    const cropped = (await loadDataset(root, { crop: IMAGENET, valFraction: 0.25, testFraction: 0 })).dataset;
    assert.deepEqual(cropped.info.shape, [64, 64, 3]);
    assert.equal(cropped.info.resizeShorter, 73);
    assert.ok(cropped.split('val').length > 0 && cropped.split('train').length > 0, 'both splits have images');
    const expected = files.map((f) => {
      const { data, w, h } = pngRgb(f);
      return resizeCropUint8(data, h, w, 3, 73, 64, 64);
    });
    assertSameImages(allImages(cropped), expected, 'train and val are resizeCropUint8(shorter 73, crop 64×64)');

    const stretched = (await loadDataset(root, { valFraction: 0.25, testFraction: 0 })).dataset;
    assert.equal(stretched.info.resizeShorter, undefined);
    assertSameImages(allImages(stretched), files.map((f) => {
      const { data, w, h } = pngRgb(f);
      return resizeUint8(data, h, w, 3, 64, 64);
    }), 'without a crop: stretched');
  });

  test("the crop equals torchvision's Resize(73) + CenterCrop(64) on the same PNGs", { skip: SKIP }, async (t) => {
    const root = tempDir();
    const files: string[] = [];
    for (const [i, [w, h]] of ([[160, 90], [75, 130]] as const).entries()) {
      const path = join(root, `c${i}`, 'img.png');
      writePng(path, w, h, (x, y) => [Math.round(128 + 120 * Math.sin(x / 9 + i)), Math.round(128 + 120 * Math.cos(y / 7)), (x * y) % 256]);
      files.push(path);
    }
    const { dataset } = await loadDataset(root, { crop: IMAGENET, valFraction: 0, testFraction: 0 });
    const script = [
      'import sys, numpy as np',
      'from PIL import Image',
      'from torchvision import transforms as T',
      't = T.Compose([T.Resize(73), T.CenterCrop(64)])',
      'for p in sys.argv[1:]: sys.stdout.buffer.write(np.asarray(t(Image.open(p).convert("RGB")), dtype=np.uint8).tobytes())',
    ].join('\n');
    const r = spawnSync(PYTHON, ['-c', script, ...files], { maxBuffer: 1 << 24 });
    assert.equal(r.status, 0, r.stderr?.toString());
    const px = 64 * 64 * 3;
    assert.equal(r.stdout.length, files.length * px);
    const theirs = files.map((_, i) => new Uint8Array(r.stdout.buffer, r.stdout.byteOffset + i * px, px));
    const ours = allImages(dataset);
    let worst = 0;
    let off = 0;
    for (const mine of ours) {
      // Match each loaded image to its file by the smallest difference.
      const diffs = theirs.map((ref) => mine.reduce((m, v, k) => Math.max(m, Math.abs(v - ref[k])), 0));
      const best = theirs[diffs.indexOf(Math.min(...diffs))];
      worst = Math.max(worst, Math.min(...diffs));
      for (let k = 0; k < px; k++) if (mine[k] !== best[k]) off++;
    }
    t.diagnostic(`max |ours − torchvision| ${worst} (uint8), ${off} of ${ours.length * px} values differ`);
    assert.ok(worst <= 1, `crop differs from torchvision by ${worst}`);
  });

  test("a model folder's resizeShorter reaches the loader through resolveInitSource; without it, none", async () => {
    await selectBackend({ prefer: 'cpu' });
    const graph = templateById('lenet_mnist')!.build();
    const model = compile(graph, { seed: 1 }).model;
    const info = { format: 'netsmith.model' as const, version: 1 as const, name: 'w', task: 'classification' as const, classes: Array.from({ length: 10 }, (_, i) => String(i)), source: 'test', notes: [], createdAt: new Date().toISOString() };
    const dir = tempDir();
    const withCrop: Preprocessing = { ...IMAGENET_PREPROCESSING, input: [28, 28, 1], mean: [0.5], std: [0.25] };
    await writeModelFolder(join(dir, 'crop'), info, graph, withCrop, model);
    const { resizeShorter: _, ...stretch } = withCrop;
    await writeModelFolder(join(dir, 'stretch'), info, graph, { ...stretch, resize: 'bilinear, stretched to the input size' }, model);
    model.dispose();
    assert.deepEqual((await resolveInitSource(join(dir, 'crop'))).crop, { shorter: 256, input: [28, 28] });
    assert.equal((await resolveInitSource(join(dir, 'stretch'))).crop, undefined);
  });
});

const TORCH_SKIP = spawnSync(PYTHON, ['-c', 'import torch'], { stdio: 'ignore' }).status === 0 ? false : "Debian's python3-torch (/usr/bin/python3) is not installed";

describe('a run initialised from an ImageNet-style model folder', () => {
  for (const backend of ['wasm', 'torch'] as const) {
    test(`${backend === 'torch' ? 'PyTorch engine' : 'TF.js engine'}: crops its folder images (64×64: shorter side 73), says so in the log and run.json; previews and samples show the crop`, { timeout: 300_000, skip: backend === 'torch' && TORCH_SKIP }, async () => {
      if (backend === 'torch') process.env.NETSMITH_PYTHON = PYTHON;
      await selectBackend({ prefer: 'cpu' });
      const root = tempDir();
      for (let i = 0; i < 12; i++) writePng(join(root, i % 2 ? 'tall' : 'wide', `${i}.png`), i % 2 ? 60 : 140, i % 2 ? 120 : 70, (x, y) => [(x * 3 + i * 20) % 256, (y * 5) % 256, ((x ^ y) + i) % 256]);
      // The weights: a small network whose graph takes 224×224 images, as an imported torchvision folder's does.
      const graph = adaptToDataset(templateById('resnet_cifar')!.build(), { name: 'imagenet', shape: [224, 224, 3], classes: 2 }).graph;
      const model = compile(graph, { seed: 2 }).model;
      const weights = join(tempDir(), 'weights');
      await writeModelFolder(weights, { format: 'netsmith.model', version: 1, name: 'tiny-imagenet', task: 'classification', classes: ['a', 'b'], source: 'test', notes: [], createdAt: new Date().toISOString() }, graph, IMAGENET_PREPROCESSING, model);
      model.dispose();

      const runs = tempDir();
      const reg = new RunRegistry(runs);
      const run = await reg.startRun({ project: JSON.stringify(graph), dataset: root, config: { epochs: 1, batchSize: 4, trainLimit: 4, valLimit: 4, probeEvery: 0, workers: 1, backend, ...(backend === 'torch' ? { device: 'cpu' } : {}), initFrom: weights } });
      const done = await reg.wait(run.id);
      assert.equal(done.state, 'completed', done.error);
      const record = JSON.parse(readFileSync(join(runs, run.id, 'run.json'), 'utf8')) as { data: { shape: number[]; resizeShorter?: number } };
      assert.deepEqual(record.data.shape, [64, 64, 3]);
      assert.equal(record.data.resizeShorter, 73);
      const logs = readFileSync(join(runs, run.id, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as LogEvent).filter((e) => e.type === 'log').map((e) => e.message);
      assert.ok(logs.includes("Folder images (train and validation): shorter side to 73 px (bilinear, antialiased), then a centre crop to 64×64, as the weights' Resize(256) + CenterCrop(224), scaled to this run's 64×64 input; augmentations apply to the cropped images."), logs.join('\n'));

      // The run page's validation samples are the cropped images the run validated on.
      const seed = Number((JSON.parse(readFileSync(join(runs, run.id, 'run.json'), 'utf8')) as { config: { seed: number } }).config.seed);
      const expected = (await loadDataset(root, { seed, crop: IMAGENET })).dataset;
      const samples = await reg.runSamples({ id: run.id, indices: [0, 1] });
      assert.deepEqual(samples.images.map((s) => s.image), [0, 1].map((i) => pngDataUrl(expected.split('val').rawImage(i), 64, 64, 3)));
      // The Train panel's augmentation preview (its dataset loaded with seed 42) shows the crop too.
      const previewed = (await loadDataset(root, { seed: 42, crop: IMAGENET })).dataset;
      const preview = await augmentPreview({ id: root, augment: {}, seed: 0, count: 1, variants: 1, initFrom: weights });
      const plain = await augmentPreview({ id: root, augment: {}, seed: 0, count: 1, variants: 1 });
      const index = preview.items[0].index;
      assert.equal(preview.items[0].original, pngDataUrl(previewed.split('train').rawImage(index), 64, 64, 3), 'the preview shows the cropped image');
      assert.notEqual(plain.items[0].original, preview.items[0].original, 'without the weights: stretched');
      assert.equal(preview.resize, 'Originals as the loaded weights expect them: shorter side to 73 px (bilinear, antialiased), then a centre crop to 64×64.');
      assert.equal(plain.resize, undefined);
      // So do the Train panel's per-class samples, with the same note.
      const classes = await datasetPreview(root, 2, weights);
      assert.deepEqual(classes.dataset.shape, [64, 64, 3]);
      for (const sample of classes.samples) assert.equal(sample.image, pngDataUrl(previewed.split('train').rawImage(sample.index), 64, 64, 3), `sample ${sample.index} is the cropped image`);
      assert.equal(classes.resize, 'Images as the loaded weights expect them: shorter side to 73 px (bilinear, antialiased), then a centre crop to 64×64.');
      const stretchedSamples = await datasetPreview(root, 2);
      assert.notEqual(stretchedSamples.samples[0].image, classes.samples[0].image, 'without the weights: stretched');
      assert.equal(stretchedSamples.resize, undefined);
    });
  }
});
