import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import jpeg from 'jpeg-js';
import { PNG } from 'pngjs';
import { packBoxes, unpackBoxes } from '../../../../src/main/engine/data/boxes';
import { readArrays, writeArrays } from '../../../../src/main/engine/data/cache';
import { decodeImage } from '../../../../src/main/engine/data/image/decode';
import { encodePng } from '../../../../src/main/engine/data/image/encode';
import { resizeBilinear, resizeNearest } from '../../../../src/main/engine/data/image/resize';
import { channelStats } from '../../../../src/main/engine/data/normalize';
import { deriveSeed, permutation, Rng } from '../../../../src/main/engine/data/rng';
import { splitBySizes, stratifiedSplit } from '../../../../src/main/engine/data/splits';
import { assertClose, tempDir } from './helpers';

describe('rng', () => {
  test('same seed → same stream; derived seeds differ', () => {
    const a = new Rng(42);
    const b = new Rng(42);
    for (let i = 0; i < 100; i++) assert.equal(a.next(), b.next());
    assert.notEqual(deriveSeed('x', 1, 2), deriveSeed('x', 2, 1));
    assert.notEqual(deriveSeed('ab', 'c'), deriveSeed('a', 'bc'));
    assert.deepEqual([...permutation(10, new Rng(1))].sort((x, y) => x - y), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  });

  test('beta samples lie in [0, 1] with the right mean', () => {
    const r = new Rng(7);
    let sum = 0;
    for (let i = 0; i < 4000; i++) {
      const v = r.beta(0.4, 0.4);
      assert.ok(v >= 0 && v <= 1);
      sum += v;
    }
    assert.ok(Math.abs(sum / 4000 - 0.5) < 0.03);
    let s2 = 0;
    for (let i = 0; i < 4000; i++) s2 += r.beta(2, 6);
    assert.ok(Math.abs(s2 / 4000 - 0.25) < 0.02);
  });
});

describe('splits', () => {
  test('splitBySizes is a disjoint seeded cut', () => {
    const s = splitBySizes(20, { train: 12, val: 5, test: 3 }, new Rng(1));
    const all = [...s.train, ...s.val, ...s.test].sort((a, b) => a - b);
    assert.deepEqual(all, Array.from({ length: 20 }, (_, i) => i));
    assert.throws(() => splitBySizes(5, { train: 5, val: 1, test: 0 }, new Rng(1)), /exceed/);
  });

  test('stratified split keeps class proportions and a training sample per class', () => {
    const labels = [...new Array(50).fill(0), ...new Array(10).fill(1), 2];
    const s = stratifiedSplit(labels, 3, { val: 0.2, test: 0.1 }, new Rng(3));
    const count = (idx: Int32Array, k: number) => [...idx].filter((i) => labels[i] === k).length;
    assert.deepEqual([count(s.val, 0), count(s.val, 1), count(s.val, 2)], [10, 2, 0]);
    assert.deepEqual([count(s.test, 0), count(s.test, 1), count(s.test, 2)], [5, 1, 0]);
    assert.equal(count(s.train, 2), 1);
    assert.throws(() => stratifiedSplit(labels, 3, { val: 0.6, test: 0.5 }, new Rng(3)), { code: 'bad-options' });
  });
});

describe('cache files', () => {
  test('round trip of mixed typed arrays, including unaligned lengths', () => {
    const dir = tempDir();
    const file = join(dir, 'x.nsds');
    const sections = { a: Uint8Array.from([1, 2, 3]), b: Int32Array.from([-5, 7]), c: Float32Array.from([0.5, -1.25]) };
    writeArrays(file, { hello: 'world' }, sections);
    const r = readArrays<{ hello: string }>(file)!;
    assert.equal(r.meta.hello, 'world');
    assert.deepEqual(r.sections.a, sections.a);
    assert.deepEqual(r.sections.b, sections.b);
    assert.deepEqual(r.sections.c, sections.c);
    assert.equal(readArrays(join(dir, 'missing.nsds')), undefined);
    writeFileSync(file, Buffer.from('NSDS\x01\x00\x00\x00\xff\xff\x00\x00{'));
    assert.throws(() => readArrays(file), { name: 'DataError', code: 'bad-cache' });
  });

  test('boxes pack and unpack', () => {
    const lists = [[{ cls: 1, x: 0.5, y: 0.25, w: 0.125, h: 0.5 }], [], [{ cls: 0, x: 0.75, y: 0.5, w: 0.25, h: 0.25 }, { cls: 2, x: 0.5, y: 0.5, w: 1, h: 1 }]];
    const p = packBoxes(lists);
    assert.deepEqual(unpackBoxes(p.index, p.data), lists);
  });
});

describe('images', () => {
  test('bilinear resize keeps a constant image constant and averages when shrinking', () => {
    const flat = new Float32Array(7 * 9 * 2).fill(0.4);
    assertClose(resizeBilinear(flat, 7, 9, 2, 3, 4), new Array(3 * 4 * 2).fill(0.4));
    // a 1-pixel checkerboard shrinks to grey rather than aliasing to black or white
    const cb = Float32Array.from({ length: 64 }, (_, i) => ((i % 8) + Math.floor(i / 8)) % 2);
    const small = resizeBilinear(cb, 8, 8, 1, 2, 2);
    assert.ok(small.every((v) => Math.abs(v - 0.5) < 0.1), `${[...small]}`);
    // upscaling a 1×2 ramp interpolates
    assertClose(resizeBilinear(Float32Array.from([0, 1]), 1, 2, 1, 1, 4), [0, 0.25, 0.75, 1]);
    assert.deepEqual([...resizeNearest(Uint8Array.from([1, 2, 3, 4]), 2, 2, 4, 4)], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
  });

  test('decode PNG (alpha dropped) and JPEG; clear reasons otherwise', () => {
    const png = new PNG({ width: 2, height: 1 });
    png.data.set([10, 20, 30, 0, 40, 50, 60, 255]);
    const d = decodeImage(PNG.sync.write(png));
    assert.deepEqual([d.width, d.height, ...d.data], [2, 1, 10, 20, 30, 40, 50, 60]);
    const j = decodeImage(jpeg.encode({ width: 8, height: 8, data: Buffer.alloc(256, 128) }, 100).data);
    assert.equal(j.data.length, 8 * 8 * 3);
    assert.ok(Math.abs(j.data[0] - 128) <= 2);
    assert.throws(() => decodeImage(Buffer.from('GIF89a......')), /GIF is not supported; convert it to PNG or JPEG/);
    assert.throws(() => decodeImage(Buffer.from('hello')), /not a PNG or JPEG file/);
    assert.throws(() => decodeImage(Buffer.from([0xff, 0xd8, 0xff, 0, 1, 2])));
  });

  test('encodePng round-trips through decodeImage', () => {
    const rgb = Uint8Array.from({ length: 3 * 4 * 3 }, (_, i) => i * 7);
    const back = decodeImage(encodePng(rgb, 3, 4, 3));
    assert.deepEqual([...back.data], [...rgb]);
    const grey = decodeImage(encodePng(Uint8Array.from([0, 100, 200, 255]), 2, 2, 1));
    assert.deepEqual([...grey.data], [0, 0, 0, 100, 100, 100, 200, 200, 200, 255, 255, 255]);
  });

  test('channel statistics', () => {
    const imgs = Uint8Array.from([0, 255, 255, 255, 0, 255, 255, 255]); // 2 images × 2 px × 2 ch
    const n = channelStats(imgs, 2, 2, [0, 1]);
    assertClose(n.mean, [0.5, 1]);
    assertClose(n.std, [0.5, 1]); // zero std becomes 1
  });
});
