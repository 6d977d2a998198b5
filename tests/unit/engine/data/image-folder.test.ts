import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import jpeg from 'jpeg-js';
import { importImageFolder } from '../../../../src/main/engine/data/import/image-folder';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import { describeSkipped } from '../../../../src/main/engine/data/types';
import { tempDir, writePng, writeText } from './helpers';

/** red/ (6 PNGs, one corrupt), green/ (5 PNGs of other sizes + a JPEG), blue/ (a GIF only), notes.txt */
function makeFolder(): string {
  const root = tempDir();
  for (let i = 0; i < 5; i++) writePng(join(root, 'red', `r${i}.png`), 20 + i, 10, () => [200 + i, 10, 10]);
  writeText(join(root, 'red', 'broken.png'), new Uint8Array([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]));
  for (let i = 0; i < 5; i++) writePng(join(root, 'green', 'sub', `g${i}.png`), 8, 40 + i, () => [10, 220, 10]);
  const px = Buffer.alloc(16 * 16 * 4);
  for (let p = 0; p < 256; p++) px.set([20, 230, 20, 255], p * 4);
  writeText(join(root, 'green', 'photo.JPG'), jpeg.encode({ width: 16, height: 16, data: px }, 95).data);
  writeText(join(root, 'blue', 'anim.gif'), 'GIF89a....');
  writeText(join(root, 'notes.txt'), 'hello');
  writeText(join(root, 'red', '.DS_Store'), 'x');
  return root;
}

describe('image folder import', () => {
  test('reads class folders, resizes, skips and reports bad files', async () => {
    const root = makeFolder();
    const { dataset, skipped, warnings } = await importImageFolder(root, { size: [8, 12], valFraction: 0.2, testFraction: 0 });
    assert.deepEqual(dataset.info.classes, ['blue', 'green', 'red']);
    assert.deepEqual(dataset.info.shape, [8, 12, 3]);
    assert.equal(dataset.info.task, 'classification');
    assert.deepEqual(
      skipped.map((s) => s.path),
      [join('blue', 'anim.gif'), 'notes.txt', join('red', 'broken.png')],
    );
    assert.equal(skipped[0].reason, 'GIF is not supported; convert it to PNG or JPEG');
    assert.equal(skipped[1].reason, 'not inside a class folder');
    assert.match(describeSkipped(skipped[2]), /^red[\\/]broken\.png: PNG file is truncated/);
    assert.deepEqual(warnings, ['Class folder blue/ has no readable image']);
    const total = dataset.info.sizes.train + dataset.info.sizes.val + dataset.info.sizes.test;
    assert.equal(total, 11);
    assert.deepEqual(dataset.info.sizes, { train: 9, val: 2, test: 0 });
    // every image is resized and keeps its colour
    for (const split of ['train', 'val'] as const) {
      const s = dataset.split(split);
      for (let i = 0; i < s.length; i++) {
        const raw = s.rawImage(i);
        assert.equal(raw.length, 8 * 12 * 3);
        const cls = dataset.info.classes[s.label(i)];
        if (cls === 'red') assert.ok(raw[0] >= 200 && raw[1] === 10);
        else assert.ok(raw[1] > 200 && raw[0] < 30, `green pixel ${raw[0]},${raw[1]},${raw[2]}`);
      }
    }
    // normalisation comes from the train split
    assert.equal(dataset.norm.mean.length, 3);
  });

  test('the split is seeded and stratified', async () => {
    const root = makeFolder();
    const a = await importImageFolder(root, { size: 8, seed: 3, valFraction: 0.2, testFraction: 0.2 });
    const b = await importImageFolder(root, { size: 8, seed: 3, valFraction: 0.2, testFraction: 0.2 });
    const labels = (d: typeof a.dataset, s: 'train' | 'val' | 'test') => Array.from({ length: d.split(s).length }, (_, i) => [...d.split(s).rawImage(i)].join());
    assert.deepEqual(labels(a.dataset, 'val'), labels(b.dataset, 'val'));
    for (const s of ['val', 'test'] as const) assert.deepEqual(a.dataset.split(s).classCounts(), [0, 1, 1]);
  });

  test('grey output with channels: 1', async () => {
    const { dataset } = await importImageFolder(makeFolder(), { size: 8, channels: 1, valFraction: 0, testFraction: 0 });
    assert.deepEqual(dataset.info.shape, [8, 8, 1]);
    const s = dataset.split('train');
    const i = Array.from({ length: s.length }, (_, k) => k).find((k) => dataset.info.classes[s.label(k)] === 'red')!;
    assert.equal(s.rawImage(i).length, 64);
    assert.ok(Math.abs(s.rawImage(i)[0] - (0.299 * 200 + 0.587 * 10 + 0.114 * 10)) <= 2);
  });

  test('one class folder is a DataError naming the folder and what was found', async () => {
    const root = tempDir();
    writePng(join(root, 'cats', 'a.png'), 4, 4, () => [1, 2, 3]);
    await assert.rejects(importImageFolder(root), {
      name: 'DataError',
      code: 'too-few-classes',
      message: `Image folder ${root} needs at least two class subfolders (one per class, e.g. cat/ and dog/); found 1 (cats)`,
    });
  });

  test('a flat folder of images says so', async () => {
    const root = tempDir();
    writePng(join(root, 'a.png'), 4, 4, () => [1, 2, 3]);
    await assert.rejects(loadDataset(root), { code: 'too-few-classes', message: /found 0 and 1 image\(s\) directly inside it$/ });
  });

  test('two classes of which one is unreadable is an error too', async () => {
    const root = tempDir();
    writePng(join(root, 'a', 'x.png'), 4, 4, () => [1, 2, 3]);
    writeText(join(root, 'b', 'y.png'), 'not a png');
    await assert.rejects(importImageFolder(root), { code: 'too-few-classes', message: /found them in 1 \(a\); 1 file\(s\) were skipped: b[\\/]y\.png \(not a PNG or JPEG file\)$/ });
  });

  test('missing folder', async () => {
    await assert.rejects(importImageFolder('/definitely/not/here'), { code: 'not-found', message: 'Dataset folder not found: /definitely/not/here' });
  });
});
