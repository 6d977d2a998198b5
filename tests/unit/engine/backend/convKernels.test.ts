// Our wasm conv gradient kernels against the cpu backend's kernels (and a
// naive loop for dilated depthwise convs, which the cpu kernels ignore).
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { blockRows, dwTuning } from '../../../../src/main/engine/backend/wasmKernels/conv2dBackpropFilter';
import { type Input, maxAbsDiff, randomArray, runOn, TOLERANCE } from './helpers';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case { n: number; h: number; w: number; c: number; out: number; k: [number, number]; s: [number, number]; d: [number, number]; pad: Pad }

function conv2dCases(): Case[] {
  const shapes = [
    { n: 2, h: 9, w: 7, c: 3, out: 4, k: [3, 3] },
    { n: 3, h: 12, w: 10, c: 5, out: 6, k: [5, 3] },
    { n: 1, h: 8, w: 11, c: 1, out: 7, k: [2, 4] },
    { n: 2, h: 6, w: 6, c: 4, out: 3, k: [1, 1] },
  ] as const;
  const cases: Case[] = [];
  for (const shape of shapes) {
    for (let s = 1; s <= 4; s++) {
      for (const pad of ['same', 'valid'] as const) cases.push({ ...shape, k: [...shape.k], s: [s, s], d: [1, 1], pad });
    }
  }
  cases.push({ n: 2, h: 10, w: 9, c: 3, out: 5, k: [3, 3], s: [2, 3], d: [1, 1], pad: 'same' });
  cases.push({ n: 2, h: 10, w: 9, c: 3, out: 5, k: [3, 2], s: [1, 2], d: [1, 1], pad: 1 });
  cases.push({ n: 2, h: 10, w: 9, c: 3, out: 5, k: [3, 3], s: [2, 2], d: [1, 1], pad: [[0, 0], [2, 0], [1, 3], [0, 0]] });
  cases.push({ n: 1, h: 7, w: 7, c: 2, out: 3, k: [3, 3], s: [3, 1], d: [1, 1], pad: [[0, 0], [0, 4], [3, 0], [0, 0]] });
  return cases;
}

function depthwiseCases(): Case[] {
  const cases: Case[] = [];
  for (const mult of [1, 2, 3]) {
    for (let s = 1; s <= 4; s++) {
      for (const pad of ['same', 'valid'] as const) {
        cases.push({ n: 2, h: 11, w: 9, c: 3, out: 3 * mult, k: [3, 3], s: [s, s], d: [1, 1], pad });
      }
    }
    cases.push({ n: 3, h: 8, w: 13, c: 2, out: 2 * mult, k: [5, 2], s: [2, 1], d: [1, 1], pad: 'same' });
    for (const d of [2, 3]) {
      for (const pad of ['same', 'valid'] as const) {
        cases.push({ n: 2, h: 12, w: 10, c: 3, out: 3 * mult, k: [3, 3], s: [1, 1], d: [d, d], pad });
      }
      cases.push({ n: 1, h: 9, w: 14, c: 2, out: 2 * mult, k: [2, 3], s: [1, 1], d: [d, 1], pad: 1 });
    }
  }
  return cases;
}

function info(c: Case, depthwise: boolean) {
  const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.c, depthwise ? c.out / c.c : c.out];
  return tf.backend_util.computeConv2DInfo([c.n, c.h, c.w, c.c], filterShape, c.s, c.d, c.pad, undefined, depthwise);
}

const label = (c: Case) => `x=[${c.n},${c.h},${c.w},${c.c}] out=${c.out} k=${c.k} s=${c.s} d=${c.d} pad=${JSON.stringify(c.pad)}`;

/** Naive depthwise gradients with dilation, straight from the definition. */
function naiveDepthwise(c: Case, x: Float32Array, dy: Float32Array, filter: Float32Array) {
  const ci = info(c, true);
  const m = c.out / c.c;
  const dW = new Float32Array(c.k[0] * c.k[1] * c.c * m);
  const dx = new Float32Array(c.n * c.h * c.w * c.c);
  for (let b = 0; b < c.n; b++) for (let oy = 0; oy < ci.outHeight; oy++) for (let ox = 0; ox < ci.outWidth; ox++) {
    for (let kh = 0; kh < c.k[0]; kh++) for (let kw = 0; kw < c.k[1]; kw++) {
      const iy = oy * c.s[0] + kh * c.d[0] - ci.padInfo.top;
      const ix = ox * c.s[1] + kw * c.d[1] - ci.padInfo.left;
      if (iy < 0 || iy >= c.h || ix < 0 || ix >= c.w) continue;
      for (let ch = 0; ch < c.c; ch++) for (let j = 0; j < m; j++) {
        const g = dy[((b * ci.outHeight + oy) * ci.outWidth + ox) * c.out + ch * m + j];
        const xi = ((b * c.h + iy) * c.w + ix) * c.c + ch;
        const wi = ((kh * c.k[1] + kw) * c.c + ch) * m + j;
        dW[wi] += x[xi] * g;
        dx[xi] += filter[wi] * g;
      }
    }
  }
  return { dW, dx };
}

before(async () => {
  await initWasmBackend();
});

describe('Conv2DBackpropFilter on wasm', () => {
  for (const [i, c] of conv2dCases().entries()) {
    it(label(c), async () => {
      const ci = info(c, false);
      const x = { shape: [c.n, c.h, c.w, c.c], values: randomArray(c.n * c.h * c.w * c.c, 10 + i) };
      const dy = { shape: ci.outShape, values: randomArray(tf.util.sizeFromShape(ci.outShape), 20 + i) };
      const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: ci.filterShape };
      const want = await runOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
      const got = await runOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      assert.deepEqual(got.shape, want.shape);
      assert.ok(maxAbsDiff(got.values, want.values) <= TOLERANCE, `max diff ${maxAbsDiff(got.values, want.values)}`);
    });
  }
});

describe('Conv2DBackpropFilter on wasm, in blocks of output rows', () => {
  // Blocks only start below the cache budget; shrink it so one to a few rows make a block.
  const cases: Case[] = [
    ...conv2dCases().filter((_, i) => i % 3 === 0),
    { n: 2, h: 16, w: 16, c: 32, out: 32, k: [3, 3], s: [1, 1], d: [1, 1], pad: 'same' },
    { n: 2, h: 15, w: 13, c: 8, out: 16, k: [3, 3], s: [2, 2], d: [1, 1], pad: 'same' },
    { n: 1, h: 14, w: 9, c: 4, out: 8, k: [3, 3], s: [1, 1], d: [2, 2], pad: 'same' },
  ];
  for (const budget of [1, 2048]) {
    for (const [i, c] of cases.entries()) {
      it(`${budget} bytes per block: ${label(c)}`, async () => {
        const ci = info(c, false);
        const x = { shape: [c.n, c.h, c.w, c.c], values: randomArray(c.n * c.h * c.w * c.c, 30 + i) };
        const dy = { shape: ci.outShape, values: randomArray(tf.util.sizeFromShape(ci.outShape), 40 + i) };
        const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', filterShape: ci.filterShape, dilations: c.d };
        const want = await runOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
        const saved = dwTuning.blockBytes;
        dwTuning.blockBytes = budget;
        try {
          const got = await runOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
          assert.deepEqual(got.shape, want.shape);
          assert.ok(maxAbsDiff(got.values, want.values) <= TOLERANCE, `max diff ${maxAbsDiff(got.values, want.values)}`);
        } finally {
          dwTuning.blockBytes = saved;
        }
      });
    }
  }
  it('sizes blocks to the budget', () => {
    const info3 = { strideHeight: 1, filterHeight: 3, dilationHeight: 1, outHeight: 32 };
    assert.equal(blockRows(4096, 4096, info3), 2, '[*,32,32,32] 3x3: 4 x rows + 2 dy rows in 24 KiB');
    assert.equal(blockRows(512, 4096, info3), 5);
    assert.equal(blockRows(1 << 20, 4096, info3), 1, 'never fewer than one row');
    assert.equal(blockRows(16, 16, { ...info3, outHeight: 7 }), 7, 'never more than the image');
  });
});

describe('Conv2DBackpropInput on wasm', () => {
  for (const [i, c] of conv2dCases().entries()) {
    it(label(c), async () => {
      const ci = info(c, false);
      const filter = { shape: ci.filterShape, values: randomArray(tf.util.sizeFromShape(ci.filterShape), 30 + i) };
      const dy = { shape: ci.outShape, values: randomArray(tf.util.sizeFromShape(ci.outShape), 40 + i) };
      const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', inputShape: ci.inShape };
      const want = await runOn('cpu', 'Conv2DBackpropInput', { dy, filter }, attrs);
      const got = await runOn('wasm', 'Conv2DBackpropInput', { dy, filter }, attrs);
      assert.deepEqual(got.shape, want.shape);
      assert.ok(maxAbsDiff(got.values, want.values) <= TOLERANCE, `max diff ${maxAbsDiff(got.values, want.values)}`);
    });
  }
});

describe('Conv2D and FusedConv2D forward on wasm', () => {
  const cases: Case[] = [
    ...conv2dCases().map((c) => ({ ...c, out: 8 })),
    { n: 2, h: 10, w: 9, c: 3, out: 16, k: [3, 3], s: [1, 1], d: [2, 2], pad: 'same' },
    { n: 2, h: 12, w: 11, c: 4, out: 24, k: [3, 2], s: [1, 1], d: [3, 2], pad: 'valid' },
    { n: 3, h: 7, w: 6, c: 5, out: 6, k: [3, 3], s: [2, 2], d: [1, 1], pad: 'same' }, // 6 outputs: XNNPACK fallback
  ];
  for (const [i, c] of cases.entries()) {
    for (const fused of [false, true]) {
      it(`${fused ? 'FusedConv2D (bias, relu)' : 'Conv2D'} ${label(c)}`, async () => {
        const ci = info(c, false);
        const x = { shape: ci.inShape, values: randomArray(tf.util.sizeFromShape(ci.inShape), 90 + i) };
        const filter = { shape: ci.filterShape, values: randomArray(tf.util.sizeFromShape(ci.filterShape), 95 + i) };
        const attrs = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dilations: c.d };
        const bias = { shape: [c.out], values: randomArray(c.out, 99 + i) };
        const name = fused ? 'FusedConv2D' : 'Conv2D';
        const inputs: Record<string, Input> = fused ? { x, filter, bias } : { x, filter };
        const allAttrs = fused ? { ...attrs, activation: 'relu' } : attrs;
        const want = await runOn('cpu', name, inputs, allAttrs);
        const got = await runOn('wasm', name, inputs, allAttrs);
        assert.deepEqual(got.shape, want.shape);
        assert.ok(maxAbsDiff(got.values, want.values) <= TOLERANCE, `max diff ${maxAbsDiff(got.values, want.values)}`);
      });
    }
  }
});

describe('direct conv: the last ow % 4 pixels of a row as one narrower tile', () => {
  // Output widths 4k+1, 4k+2, 4k+3 (and 4k), forward and as the transposed conv of Conv2DBackpropInput.
  for (const w of [5, 6, 7, 8, 9, 18]) {
    const c: Case = { n: 2, h: 3, w, c: 8, out: 16, k: [3, 3], s: [1, 1], d: [1, 1], pad: w % 2 ? 'same' : 'valid' };
    it(`forward and dx, ${label(c)}`, async () => {
      const ci = info(c, false);
      const x = { shape: ci.inShape, values: randomArray(tf.util.sizeFromShape(ci.inShape), 70 + w) };
      const filter = { shape: ci.filterShape, values: randomArray(tf.util.sizeFromShape(ci.filterShape), 80 + w) };
      const dy = { shape: ci.outShape, values: randomArray(tf.util.sizeFromShape(ci.outShape), 90 + w) };
      const fwd = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', dilations: c.d };
      const back = { strides: c.s, pad: c.pad, dataFormat: 'NHWC', inputShape: ci.inShape };
      for (const [name, inputs, attrs] of [['Conv2D', { x, filter }, fwd], ['Conv2DBackpropInput', { dy, filter }, back]] as const) {
        const want = await runOn('cpu', name, inputs, attrs);
        const got = await runOn('wasm', name, inputs, attrs);
        assert.deepEqual(got.shape, want.shape);
        assert.ok(maxAbsDiff(got.values, want.values) <= TOLERANCE, `${name}: max diff ${maxAbsDiff(got.values, want.values)}`);
      }
    });
  }
});

describe('DepthwiseConv2dNative backprop on wasm', () => {
  for (const [i, c] of depthwiseCases().entries()) {
    it(label(c), async () => {
      const ci = info(c, true);
      const x = { shape: ci.inShape, values: randomArray(tf.util.sizeFromShape(ci.inShape), 50 + i) };
      const filter = { shape: ci.filterShape, values: randomArray(tf.util.sizeFromShape(ci.filterShape), 60 + i) };
      const dy = { shape: ci.outShape, values: randomArray(tf.util.sizeFromShape(ci.outShape), 70 + i) };
      const common = { strides: c.s, dilations: c.d, pad: c.pad };
      const gotW = await runOn('wasm', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...common, filterShape: ci.filterShape });
      const gotX = await runOn('wasm', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...common, inputShape: ci.inShape });
      const naive = naiveDepthwise(c, x.values, dy.values, filter.values);
      if (c.d[0] === 1 && c.d[1] === 1) {
        // The cpu kernels ignore dilation, so they are the reference only without it.
        const wantW = await runOn('cpu', 'DepthwiseConv2dNativeBackpropFilter', { x, dy }, { ...common, filterShape: ci.filterShape });
        const wantX = await runOn('cpu', 'DepthwiseConv2dNativeBackpropInput', { dy, filter }, { ...common, inputShape: ci.inShape });
        assert.ok(maxAbsDiff(naive.dW, wantW.values) <= TOLERANCE && maxAbsDiff(naive.dx, wantX.values) <= TOLERANCE, 'naive reference disagrees with cpu');
      }
      assert.deepEqual(gotW.shape, ci.filterShape);
      assert.deepEqual(gotX.shape, ci.inShape);
      assert.ok(maxAbsDiff(gotW.values, naive.dW) <= TOLERANCE, `filter grad max diff ${maxAbsDiff(gotW.values, naive.dW)}`);
      assert.ok(maxAbsDiff(gotX.values, naive.dx) <= TOLERANCE, `input grad max diff ${maxAbsDiff(gotX.values, naive.dx)}`);
    });
  }
});
