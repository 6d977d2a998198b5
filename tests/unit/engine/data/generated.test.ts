import assert from 'node:assert/strict';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { toRect } from '../../../../src/main/engine/data/boxes';
import { loadDataset, listDatasets } from '../../../../src/main/engine/data/registry';
import { loadGenerated } from '../../../../src/main/engine/data/synth/generated';
import { shapesDetGenerator, shapesGenerator, shapesSegGenerator } from '../../../../src/main/engine/data/synth/shapes';
import type { Dataset } from '../../../../src/main/engine/data/types';
import { tempDir } from './helpers';

const small = { train: 40, val: 10, test: 10 };

function bytes(d: Dataset, split: 'train' | 'val' | 'test'): number[] {
  const s = d.split(split);
  const out: number[] = [];
  for (let i = 0; i < s.length; i++) out.push(...s.rawImage(i));
  return out;
}

describe('generated datasets', () => {
  test('listDatasets describes every built-in set', () => {
    const ids = listDatasets().map((d) => d.id);
    assert.deepEqual(ids, ['mnist', 'fashion-mnist', 'shapes', 'shapes-det', 'shapes-seg']);
    const shapes = listDatasets().find((d) => d.id === 'shapes')!;
    assert.deepEqual(shapes.shape, [32, 32, 3]);
    assert.equal(shapes.classes.length, 10);
    assert.deepEqual(shapes.sizes, { train: 8000, val: 1000, test: 1000 });
  });

  test('same seed → same bytes; other seed → other bytes; splits differ', () => {
    const a = loadGenerated(shapesGenerator, { sizes: small, cache: false });
    const b = loadGenerated(shapesGenerator, { sizes: small, cache: false });
    const c = loadGenerated(shapesGenerator, { sizes: small, cache: false, seed: 1 });
    assert.deepEqual(bytes(a, 'train'), bytes(b, 'train'));
    assert.notDeepEqual(bytes(a, 'train'), bytes(c, 'train'));
    assert.notDeepEqual(bytes(a, 'val'), bytes(a, 'test').slice(0, bytes(a, 'val').length));
    assert.deepEqual(a.info.sizes, small);
  });

  test('a smaller set is a prefix of a larger one', () => {
    const a = loadGenerated(shapesGenerator, { sizes: { train: 12, val: 2, test: 0 }, cache: false });
    const b = loadGenerated(shapesGenerator, { sizes: { train: 20, val: 2, test: 0 }, cache: false });
    assert.deepEqual(bytes(a, 'train'), bytes(b, 'train').slice(0, 12 * 32 * 32 * 3));
  });

  test('shapes: balanced classes, normalised images', () => {
    const d = loadGenerated(shapesGenerator, { sizes: small, cache: false });
    assert.deepEqual(d.split('train').classCounts(), new Array(10).fill(4));
    const img = d.split('train').image(0);
    assert.equal(img.length, 32 * 32 * 3);
    const raw = d.split('train').rawImage(0);
    assert.ok(Math.abs(img[0] - (raw[0] / 255 - d.norm.mean[0]) / d.norm.std[0]) < 1e-5);
  });

  test('shapes-det: 1–4 boxes per image, inside the image, over non-background pixels', () => {
    const d = loadGenerated(shapesDetGenerator, { sizes: small, cache: false });
    const s = d.split('train');
    for (let i = 0; i < s.length; i++) {
      const boxes = s.boxes!(i);
      assert.ok(boxes.length >= 1 && boxes.length <= 4, `image ${i}: ${boxes.length} boxes`);
      for (const b of boxes) {
        const r = toRect(b);
        assert.ok(r.x0 >= -1e-6 && r.y0 >= -1e-6 && r.x1 <= 1 + 1e-6 && r.y1 <= 1 + 1e-6);
        assert.ok(b.w > 0.05 && b.h > 0.05 && b.cls >= 0 && b.cls < d.info.classes.length);
      }
    }
    assert.equal(s.classCounts().reduce((a, b) => a + b, 0), Array.from({ length: s.length }, (_, i) => s.boxes!(i).length).reduce((a, b) => a + b, 0));
  });

  test('shapes-det takes another size', async () => {
    const { dataset } = await loadDataset('shapes-det', { size: 96, sizes: { train: 4, val: 0, test: 0 }, cache: false });
    assert.deepEqual(dataset.info.shape, [96, 96, 3]);
  });

  test('shapes-seg: masks hold class ids; label is the dominant shape', () => {
    const d = loadGenerated(shapesSegGenerator, { sizes: small, cache: false });
    const s = d.split('train');
    assert.equal(d.info.classes[0], 'background');
    for (let i = 0; i < s.length; i++) {
      const m = s.mask!(i);
      assert.equal(m.length, 64 * 64);
      const counts = new Array(7).fill(0);
      for (const v of m) counts[v]++;
      assert.ok(counts.slice(1).some((c) => c > 0));
      assert.equal(s.label(i), counts.indexOf(Math.max(...counts.slice(1)), 1));
    }
  });

  test('the cache is written once, reused, and rebuilt when damaged', () => {
    const dir = tempDir();
    const a = loadGenerated(shapesDetGenerator, { sizes: small, cacheDir: dir });
    const files = readdirSync(dir);
    assert.equal(files.length, 1);
    assert.match(files[0], /^shapes-det\.g1\.s0\.64px\.40-10-10\.nsds$/);
    const b = loadGenerated(shapesDetGenerator, { sizes: small, cacheDir: dir });
    assert.deepEqual(bytes(a, 'test'), bytes(b, 'test'));
    assert.deepEqual(a.split('val').boxes!(3), b.split('val').boxes!(3));
    writeFileSync(join(dir, files[0]), 'garbage');
    const c = loadGenerated(shapesDetGenerator, { sizes: small, cacheDir: dir });
    assert.deepEqual(bytes(a, 'train'), bytes(c, 'train'));
    assert.ok(existsSync(join(dir, files[0])));
  });

  test('NETSMITH_DATA_DIR sets the default cache folder', async () => {
    const dir = tempDir();
    const old = process.env.NETSMITH_DATA_DIR;
    process.env.NETSMITH_DATA_DIR = dir;
    try {
      await loadDataset('shapes', { sizes: { train: 3, val: 1, test: 1 } });
    } finally {
      if (old === undefined) delete process.env.NETSMITH_DATA_DIR;
      else process.env.NETSMITH_DATA_DIR = old;
    }
    assert.deepEqual(readdirSync(dir), ['shapes.g1.s0.32px.3-1-1.nsds']);
  });

  test('bad options and unknown ids are DataErrors', async () => {
    await assert.rejects(loadDataset('shapes', { size: 3, cache: false }), { name: 'DataError', code: 'bad-options' });
    await assert.rejects(loadDataset('cifar10'), { name: 'DataError', code: 'unknown-dataset', message: /Unknown dataset 'cifar10'.*mnist/ });
    await assert.rejects(loadDataset('./no/such/folder'), { name: 'DataError', code: 'not-found' });
  });
});
