import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { affine } from '../../../../src/main/engine/data/augment/affine';
import { adjustColor } from '../../../../src/main/engine/data/augment/color';
import { parseAugmentConfig, DEFAULT_AUGMENT } from '../../../../src/main/engine/data/augment/config';
import { resizedCrop, translate } from '../../../../src/main/engine/data/augment/crop';
import { cutout, eraseRect, randomEraseRect } from '../../../../src/main/engine/data/augment/erase';
import { hflip, vflip } from '../../../../src/main/engine/data/augment/flip';
import { cutmix, mixup } from '../../../../src/main/engine/data/augment/mix';
import { mosaic } from '../../../../src/main/engine/data/augment/mosaic';
import { augmentSample, augmentWarnings, previewAugmentation, type SampleSource } from '../../../../src/main/engine/data/augment/pipeline';
import { AUGMENT_ORDER, AUGMENTATIONS } from '../../../../src/main/engine/data/augment/registry';
import type { Sample } from '../../../../src/main/engine/data/augment/types';
import { Rng } from '../../../../src/main/engine/data/rng';
import { assertBoxClose, assertClose, sample } from './helpers';

const ctx = { task: 'classification' as const, numClasses: 3 };

describe('flips', () => {
  const s = sample(2, 3, 1, [1, 2, 3, 4, 5, 6], {
    boxes: [{ cls: 1, x: 0.2, y: 0.3, w: 0.2, h: 0.4 }],
    mask: Uint8Array.from([1, 0, 0, 2, 0, 0]),
  });

  test('hflip of a 2×3 image mirrors each row; boxes and masks follow', () => {
    const r = hflip(s);
    assertClose(r.image.data, [3, 2, 1, 6, 5, 4]);
    assertBoxClose(r.boxes![0], { cls: 1, x: 0.8, y: 0.3, w: 0.2, h: 0.4 });
    assert.deepEqual([...r.mask!], [0, 0, 1, 0, 0, 2]);
    assertClose(s.image.data, [1, 2, 3, 4, 5, 6]); // input untouched
  });

  test('vflip swaps rows', () => {
    const r = vflip(s);
    assertClose(r.image.data, [4, 5, 6, 1, 2, 3]);
    assertBoxClose(r.boxes![0], { cls: 1, x: 0.2, y: 0.7, w: 0.2, h: 0.4 });
    assert.deepEqual([...r.mask!], [2, 0, 0, 1, 0, 0]);
  });

  test('hflip keeps channel order within a pixel', () => {
    const r = hflip(sample(1, 2, 3, [1, 2, 3, 4, 5, 6]));
    assertClose(r.image.data, [4, 5, 6, 1, 2, 3]);
  });
});

describe('translate (pad + crop)', () => {
  const s = sample(3, 3, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9]);
  test('shifts content with zero, edge or reflect fill', () => {
    assertClose(translate(s, 1, 0, 'zero').image.data, [2, 3, 0, 5, 6, 0, 8, 9, 0]);
    assertClose(translate(s, 1, 0, 'edge').image.data, [2, 3, 3, 5, 6, 6, 8, 9, 9]);
    assertClose(translate(s, 1, 0, 'reflect').image.data, [2, 3, 2, 5, 6, 5, 8, 9, 8]);
    assertClose(translate(s, 0, -1, 'zero').image.data, [0, 0, 0, 1, 2, 3, 4, 5, 6]);
  });

  test('boxes move and are clipped at the border', () => {
    const b = sample(10, 10, 1, () => 0, {
      boxes: [
        { cls: 0, x: 0.5, y: 0.5, w: 0.2, h: 0.2 },
        { cls: 1, x: 0.1, y: 0.5, w: 0.2, h: 0.2 },
        { cls: 2, x: 0.05, y: 0.5, w: 0.1, h: 0.1 },
      ],
    });
    const r = translate(b, 1, 0);
    assert.equal(r.boxes!.length, 2); // the third is pushed fully out
    assertBoxClose(r.boxes![0], { cls: 0, x: 0.4, y: 0.5, w: 0.2, h: 0.2 });
    assertBoxClose(r.boxes![1], { cls: 1, x: 0.05, y: 0.5, w: 0.1, h: 0.2 }); // half visible
  });

  test('masks shift with background fill', () => {
    const m = sample(2, 2, 1, [0, 0, 0, 0], { mask: Uint8Array.from([1, 2, 3, 4]) });
    assert.deepEqual([...translate(m, 1, 1).mask!], [4, 0, 0, 0]);
  });
});

describe('rotate', () => {
  test('90° counter-clockwise on a 3×3 image, with its box and mask', () => {
    const mask = new Uint8Array(9);
    mask[1 * 3 + 2] = 5; // right-middle pixel
    const s = sample(3, 3, 1, [1, 2, 3, 4, 5, 6, 7, 8, 9], {
      boxes: [{ cls: 0, x: 5 / 6, y: 0.5, w: 1 / 3, h: 1 / 3 }],
      mask,
    });
    const r = affine(s, { degrees: 90 });
    assertClose(r.image.data, [3, 6, 9, 2, 5, 8, 1, 4, 7], 1e-5);
    assertBoxClose(r.boxes![0], { cls: 0, x: 0.5, y: 1 / 6, w: 1 / 3, h: 1 / 3 }, 1e-6);
    assert.equal(r.mask![0 * 3 + 1], 5);
    assert.equal(r.mask!.reduce((a, b) => a + b, 0), 5);
  });

  test('a rotated box becomes the box around its corners, clipped', () => {
    const s = sample(10, 10, 1, () => 0, { boxes: [{ cls: 0, x: 0.5, y: 0.5, w: 0.4, h: 0.4 }] });
    const r = affine(s, { degrees: 45 });
    const side = 0.4 * Math.SQRT2;
    assertBoxClose(r.boxes![0], { cls: 0, x: 0.5, y: 0.5, w: side, h: side }, 1e-9);
  });

  test('scale and shift move a box accordingly', () => {
    const s = sample(10, 10, 1, () => 0, { boxes: [{ cls: 0, x: 0.5, y: 0.5, w: 0.2, h: 0.2 }] });
    const r = affine(s, { degrees: 0, scale: 2, tx: 0.1, ty: -0.1 });
    assertBoxClose(r.boxes![0], { cls: 0, x: 0.6, y: 0.4, w: 0.4, h: 0.4 }, 1e-9);
  });
});

describe('resized crop', () => {
  test('cropping the top-left quarter blows it up to the whole image', () => {
    const s = sample(4, 4, 1, (i) => (i % 4 < 2 && i < 8 ? 1 : 0), { boxes: [{ cls: 0, x: 0.25, y: 0.25, w: 0.5, h: 0.5 }] });
    const r = resizedCrop(s, { x: 0, y: 0, w: 2, h: 2 });
    assertBoxClose(r.boxes![0], { cls: 0, x: 0.5, y: 0.5, w: 1, h: 1 });
    assertClose(r.image.data, new Array(16).fill(1));
  });
});

describe('colour', () => {
  const s = sample(1, 2, 3, [0.2, 0.4, 0.6, 0.9, 0.1, 0.3]);
  test('identity factors leave the image unchanged', () => {
    assertClose(adjustColor(s, { brightness: 1, contrast: 1, saturation: 1, hue: 0 }).image.data, s.image.data);
  });
  test('brightness scales values, clamped to 1', () => {
    assertClose(adjustColor(s, { brightness: 2, contrast: 1, saturation: 1, hue: 0 }).image.data, [0.4, 0.8, 1, 1, 0.2, 0.6]);
  });
  test('saturation 0 gives grey at the pixel luma', () => {
    const r = adjustColor(s, { brightness: 1, contrast: 1, saturation: 0, hue: 0 }).image.data;
    const l0 = 0.299 * 0.2 + 0.587 * 0.4 + 0.114 * 0.6;
    const l1 = 0.299 * 0.9 + 0.587 * 0.1 + 0.114 * 0.3;
    assertClose(r, [l0, l0, l0, l1, l1, l1], 2e-3);
  });
  test('contrast 0 gives the mean grey everywhere', () => {
    const r = adjustColor(s, { brightness: 1, contrast: 0, saturation: 1, hue: 0 }).image.data;
    assert.ok(r.every((v) => Math.abs(v - r[0]) < 1e-6));
  });
  test('hue rotation keeps luma', () => {
    const r = adjustColor(s, { brightness: 1, contrast: 1, saturation: 1, hue: 0.25 }).image.data;
    const luma = (d: ArrayLike<number>, p: number) => 0.299 * d[p] + 0.587 * d[p + 1] + 0.114 * d[p + 2];
    assert.ok(Math.abs(luma(r, 0) - luma(s.image.data, 0)) < 2e-3);
    assert.notDeepEqual([...r], [...s.image.data]);
  });
});

describe('erasing', () => {
  test('cutout zeroes exactly the square around the centre', () => {
    const s = sample(4, 4, 3, () => 1);
    const r = cutout(s, 2, 1, 2); // square x 1..2, y 0..1
    for (let y = 0; y < 4; y++)
      for (let x = 0; x < 4; x++)
        for (let c = 0; c < 3; c++) assert.equal(r.image.data[(y * 4 + x) * 3 + c], x >= 1 && x <= 2 && y <= 1 ? 0 : 1, `pixel ${x},${y}`);
  });

  test('cutout at a corner is clipped', () => {
    const r = cutout(sample(3, 3, 1, () => 1), 0, 0, 2);
    assertClose(r.image.data, [0, 1, 1, 1, 1, 1, 1, 1, 1]);
  });

  test('random erasing fills a rectangle inside the image with the fill', () => {
    const rng = new Rng(3);
    const rect = randomEraseRect(8, 8, [0.1, 0.3], [0.5, 2], rng)!;
    assert.ok(rect.x >= 0 && rect.y >= 0 && rect.x + rect.w <= 8 && rect.y + rect.h <= 8);
    const r = eraseRect(sample(8, 8, 1, () => 1), rect, 0.5);
    const changed = r.image.data.filter((v) => v === 0.5).length;
    assert.equal(changed, rect.w * rect.h);
  });
});

describe('mixing', () => {
  const a = sample(2, 2, 1, [1, 1, 1, 1], { label: 0 });
  const b = sample(2, 2, 1, [0, 0, 0, 0], { label: 2 });

  test('mixup blends pixels and labels; weights sum to 1', () => {
    const r = mixup(a, b, 0.3, 3);
    assertClose(r.image.data, [0.3, 0.3, 0.3, 0.3]);
    assertClose(r.soft!, [0.3, 0, 0.7]);
    assert.equal(r.label, 2);
    for (let seed = 0; seed < 20; seed++) {
      const m = previewAugmentation('mixup', [a, b], { alpha: 0.4 }, ctx, seed);
      assert.ok(Math.abs(m.soft!.reduce((x, y) => x + y, 0) - 1) < 1e-6);
    }
  });

  test('mixup of an already mixed sample still sums to 1', () => {
    const r = mixup(mixup(a, b, 0.5, 3), sample(2, 2, 1, [0, 0, 0, 0], { label: 1 }), 0.5, 3);
    assertClose(r.soft!, [0.25, 0.5, 0.25]);
  });

  test('cutmix pastes the rectangle and weights labels by area', () => {
    const big = sample(4, 4, 1, () => 1, { label: 0, boxes: [{ cls: 0, x: 0.25, y: 0.25, w: 0.5, h: 0.5 }, { cls: 0, x: 0.75, y: 0.75, w: 0.5, h: 0.5 }] });
    const other = sample(4, 4, 1, () => 0, { label: 1, boxes: [{ cls: 1, x: 0.5, y: 0.25, w: 0.5, h: 0.5 }] });
    const r = cutmix(big, other, { x: 0, y: 0, w: 2, h: 2 }, 3);
    assertClose(r.image.data, [0, 0, 1, 1, 0, 0, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    assertClose(r.soft!, [0.75, 0.25, 0]);
    // a's first box is fully covered and dropped; b's box is clipped to the patch
    assert.equal(r.boxes!.length, 2);
    assertBoxClose(r.boxes![0], { cls: 0, x: 0.75, y: 0.75, w: 0.5, h: 0.5 });
    assertBoxClose(r.boxes![1], { cls: 1, x: 0.375, y: 0.25, w: 0.25, h: 0.5 });
  });
});

describe('mosaic', () => {
  const tile = (v: number, cls: number): Sample =>
    sample(4, 4, 1, () => v, { label: cls, boxes: [{ cls, x: 0.5, y: 0.5, w: 1, h: 1 }], mask: new Uint8Array(16).fill(cls + 1) });
  const four = [tile(0.1, 0), tile(0.2, 1), tile(0.3, 2), tile(0.4, 3)];

  test('four tiles meet at the centre; boxes land in their quadrants', () => {
    const r = mosaic(four, { cx: 2, cy: 2, tileScale: 0.5 }, 4);
    assertClose(r.image.data, [0.1, 0.1, 0.2, 0.2, 0.1, 0.1, 0.2, 0.2, 0.3, 0.3, 0.4, 0.4, 0.3, 0.3, 0.4, 0.4]);
    const expected = [
      { cls: 0, x: 0.25, y: 0.25, w: 0.5, h: 0.5 },
      { cls: 1, x: 0.75, y: 0.25, w: 0.5, h: 0.5 },
      { cls: 2, x: 0.25, y: 0.75, w: 0.5, h: 0.5 },
      { cls: 3, x: 0.75, y: 0.75, w: 0.5, h: 0.5 },
    ];
    r.boxes!.forEach((b, i) => assertBoxClose(b, expected[i]));
    assert.deepEqual([...r.mask!], [1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    assertClose(r.soft!, [0.25, 0.25, 0.25, 0.25]);
  });

  test('an off-centre mosaic clips tiles and boxes, and fills the gap with grey', () => {
    const r = mosaic(four, { cx: 3, cy: 2, tileScale: 0.5 }, 4);
    const grey = 114 / 255;
    assertClose(r.image.data.slice(0, 4), [grey, 0.1, 0.1, 0.2]);
    // top-right tile spans x 3..5, cut at 4: half its box survives
    const tr = r.boxes!.find((b) => b.cls === 1)!;
    assertBoxClose(tr, { cls: 1, x: 0.875, y: 0.25, w: 0.25, h: 0.5 });
    const tl = r.boxes!.find((b) => b.cls === 0)!;
    assertBoxClose(tl, { cls: 0, x: 0.5, y: 0.25, w: 0.5, h: 0.5 });
    assert.ok(Math.abs(r.soft!.reduce((x, y) => x + y, 0) - 1) < 1e-6);
  });
});

describe('pipeline and previews', () => {
  const src: SampleSource = { length: 8, get: (i) => sample(6, 6, 3, (k) => ((k * 7 + i * 13) % 17) / 17, { label: i % 3 }) };

  test('every augmentation previews deterministically for a seed and keeps the image shape', () => {
    const det = { task: 'detection' as const, numClasses: 3 };
    for (const id of AUGMENT_ORDER) {
      const inputs = [0, 1, 2, 3].map((i) => ({ ...src.get(i), boxes: [{ cls: i % 3, x: 0.5, y: 0.5, w: 0.5, h: 0.5 }] }));
      const c = AUGMENTATIONS[id].tasks.includes('classification') ? ctx : det;
      const r1 = previewAugmentation(id, inputs, undefined, c, 7);
      const r2 = previewAugmentation(id, inputs, undefined, c, 7);
      assert.deepEqual(r1.image.data, r2.image.data, id);
      assert.equal(r1.image.data.length, 6 * 6 * 3, id);
      assert.ok(r1.image.data.every(Number.isFinite), id);
    }
  });

  test('augmentSample is deterministic per seed, and p=0 / disabled steps do nothing', () => {
    const cfg = parseAugmentConfig({ hflip: { enabled: true }, colorJitter: { enabled: true }, cutmix: { enabled: true, p: 1 } });
    const a = augmentSample(src, 2, cfg, ctx, new Rng(1));
    const b = augmentSample(src, 2, cfg, ctx, new Rng(1));
    assert.deepEqual(a.image.data, b.image.data);
    assert.ok(a.soft);
    const none = augmentSample(src, 2, DEFAULT_AUGMENT, ctx, new Rng(1));
    assert.deepEqual(none.image.data, src.get(2).image.data);
  });

  test('config: defaults, validation and task warnings', () => {
    assert.equal(DEFAULT_AUGMENT.hflip.enabled, false);
    assert.equal(DEFAULT_AUGMENT.translate.padding, 4);
    assert.throws(() => parseAugmentConfig({ rotate: { scale: [2, 1] } }));
    assert.throws(() => parseAugmentConfig({ hflip: { p: 2 } }));
    const warn = augmentWarnings(parseAugmentConfig({ mosaic: { enabled: true } }), 'classification');
    assert.match(warn[0], /Mosaic does not apply to classification/);
  });
});
