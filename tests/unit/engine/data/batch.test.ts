import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { BatchIterator, batchCount } from '../../../../src/main/engine/data/batch';
import { loadGenerated } from '../../../../src/main/engine/data/synth/generated';
import { shapesDetGenerator, shapesGenerator, shapesSegGenerator } from '../../../../src/main/engine/data/synth/shapes';

const shapes = loadGenerated(shapesGenerator, { sizes: { train: 25, val: 10, test: 0 }, cache: false });

describe('batch iterator', () => {
  test('batch counts with and without drop_last', () => {
    assert.equal(batchCount(25, 8, false), 4);
    assert.equal(batchCount(25, 8, true), 3);
    const it = new BatchIterator(shapes, 'train', { batchSize: 8 });
    const sizes = [...it.epoch(0)].map((b) => b.size);
    assert.deepEqual(sizes, [8, 8, 8, 1]);
    assert.deepEqual([...new BatchIterator(shapes, 'train', { batchSize: 8, dropLast: true }).epoch(0)].map((b) => b.size), [8, 8, 8]);
  });

  test('each epoch is a seeded permutation; same seed → same order', () => {
    const it = new BatchIterator(shapes, 'train', { batchSize: 8, seed: 5 });
    const order = (e: number) => [...it.epoch(e)].flatMap((b) => [...b.indices]);
    const e0 = order(0);
    assert.deepEqual([...e0].sort((a, b) => a - b), Array.from({ length: 25 }, (_, i) => i));
    assert.deepEqual(order(0), e0);
    assert.notDeepEqual(order(1), e0);
    assert.deepEqual(new BatchIterator(shapes, 'train', { batchSize: 8, seed: 5 }).batch(1, 2).indices, [...it.epoch(1)][2].indices);
    const plain = new BatchIterator(shapes, 'val', { batchSize: 4, shuffle: false });
    assert.deepEqual([...plain.epoch(3)].flatMap((b) => [...b.indices]), Array.from({ length: 10 }, (_, i) => i));
  });

  test('x holds normalised images and y one-hot labels', () => {
    const b = new BatchIterator(shapes, 'train', { batchSize: 4, shuffle: false }).batch(0, 0);
    const px = 32 * 32 * 3;
    assert.equal(b.x.length, 4 * px);
    assert.deepEqual(b.x.slice(px, 2 * px), shapes.split('train').image(1));
    assert.deepEqual([...b.labels], [0, 1, 2, 3]);
    assert.deepEqual([...b.y.slice(10, 20)], [0, 1, 0, 0, 0, 0, 0, 0, 0, 0]);
    assert.equal(b.soft, false);
  });

  test('augmentation: deterministic per seed and epoch, soft labels from mixup', () => {
    const aug = { hflip: { enabled: true }, translate: { enabled: true }, mixup: { enabled: true, p: 1 } };
    const a = new BatchIterator(shapes, 'train', { batchSize: 8, augment: aug, seed: 2 }).batch(0, 0);
    const b = new BatchIterator(shapes, 'train', { batchSize: 8, augment: aug, seed: 2 }).batch(0, 0);
    const c = new BatchIterator(shapes, 'train', { batchSize: 8, augment: aug, seed: 2 }).batch(1, 0);
    assert.deepEqual(a.x, b.x);
    assert.notDeepEqual(a.x, c.x);
    assert.equal(a.soft, true);
    for (let i = 0; i < a.size; i++) {
      const row = a.y.slice(i * 10, (i + 1) * 10);
      assert.ok(Math.abs(row.reduce((s, v) => s + v, 0) - 1) < 1e-5);
    }
  });

  test('detection batches carry boxes; segmentation batches carry masks', () => {
    const det = loadGenerated(shapesDetGenerator, { sizes: { train: 6, val: 0, test: 0 }, cache: false });
    const b = new BatchIterator(det, 'train', { batchSize: 4, augment: { mosaic: { enabled: true, p: 1 }, hflip: { enabled: true } } }).batch(0, 0);
    assert.equal(b.boxes!.length, 4);
    assert.ok(b.boxes!.every((l) => l.every((x) => x.x - x.w / 2 >= -1e-6 && x.x + x.w / 2 <= 1 + 1e-6)));
    const seg = loadGenerated(shapesSegGenerator, { sizes: { train: 5, val: 0, test: 0 }, cache: false });
    const s = new BatchIterator(seg, 'train', { batchSize: 5, shuffle: false }).batch(0, 0);
    assert.equal(s.masks!.length, 5 * 64 * 64);
    assert.deepEqual(s.masks!.slice(64 * 64, 2 * 64 * 64), seg.split('train').mask!(1));
  });

  test('limit uses a prefix of the split', () => {
    const it = new BatchIterator(shapes, 'train', { batchSize: 4, limit: 10 });
    assert.equal(it.batches, 3);
    assert.ok([...it.epoch(0)].every((b) => [...b.indices].every((i) => i < 10)));
  });
});

describe('batch → tensors', () => {
  test('shapes, dtypes and padded boxes', async () => {
    const { batchToTensors, disposeBatchTensors } = await import('../../../../src/main/engine/data/tensors');
    const tf = await import('@tensorflow/tfjs');
    await tf.setBackend('cpu');
    const det = loadGenerated(shapesDetGenerator, { sizes: { train: 3, val: 0, test: 0 }, cache: false });
    const b = new BatchIterator(det, 'train', { batchSize: 3, shuffle: false }).batch(0, 0);
    const before = tf.memory().numTensors;
    const t = batchToTensors(b);
    const maxBoxes = Math.max(...b.boxes!.map((l) => l.length));
    assert.deepEqual(t.x.shape, [3, 64, 64, 3]);
    assert.deepEqual(t.y.shape, [3, 6]);
    assert.equal(t.labels.dtype, 'int32');
    assert.deepEqual(t.boxes!.shape, [3, maxBoxes, 5]);
    const rows = (await t.boxes!.array()) as number[][][];
    rows.forEach((r, i) => r.forEach((row, j) => assert.equal(row[0], j < b.boxes![i].length ? b.boxes![i][j].cls : -1)));
    assert.deepEqual(await t.x.data(), b.x);
    disposeBatchTensors(t);
    assert.equal(tf.memory().numTensors, before);
  });
});
