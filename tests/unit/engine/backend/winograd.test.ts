// Winograd F(2x2, 3x3) convolutions on wasm (forward with bias/relu fused,
// Conv2DBackpropInput and Conv2DBackpropFilter at stride 1) against the cpu
// backend's kernels, and
// a training step of the bench ResNet with and without them.
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { buildModel, lossOf, syntheticBatch } from '../../../../bench/backend/models';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { winogradApplies } from '../../../../src/main/engine/backend/wasmKernels/winograd';
import { type Input, randomArray, runOn } from './helpers';

type Pad = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
interface Case { n: number; h: number; w: number; ci: number; co: number; pad: Pad }

const label = (c: Case) => `x=[${c.n},${c.h},${c.w},${c.ci}] co=${c.co} pad=${JSON.stringify(c.pad)}`;

const CASES: Case[] = [
  // Odd and even sizes, every padding form; tiny shapes to exercise edge tiles.
  ...(['same', 'valid', 1, 2, 0] as const).flatMap((pad) => [
    { n: 2, h: 9, w: 7, ci: 4, co: 8, pad },
    { n: 1, h: 8, w: 8, ci: 16, co: 16, pad },
    { n: 3, h: 11, w: 13, ci: 32, co: 16, pad },
  ]),
  { n: 1, h: 1, w: 1, ci: 8, co: 8, pad: 'same' },
  { n: 2, h: 3, w: 3, ci: 8, co: 8, pad: 'valid' },
  { n: 1, h: 2, w: 5, ci: 8, co: 24, pad: 'same' },
  { n: 2, h: 10, w: 9, ci: 8, co: 16, pad: [[0, 0], [2, 0], [1, 3], [0, 0]] },
  { n: 1, h: 12, w: 10, ci: 64, co: 64, pad: 'same' },
  { n: 1, h: 7, w: 9, ci: 32, co: 64, pad: 'same' },
  { n: 64, h: 8, w: 8, ci: 16, co: 32, pad: 'same' },
  { n: 64, h: 6, w: 5, ci: 32, co: 32, pad: 1 },
  // Channel counts the Winograd path does not take (ci % 4, co % 8): the direct/XNNPACK paths.
  { n: 2, h: 8, w: 8, ci: 1, co: 16, pad: 'same' },
  { n: 2, h: 8, w: 8, ci: 3, co: 32, pad: 'same' },
  { n: 2, h: 8, w: 8, ci: 16, co: 3, pad: 'same' },
];

/** Max |got - want| relative to the largest |want| (float32 Winograd: ~1e-6 here). */
function relErr(got: Float32Array, want: Float32Array): number {
  assert.equal(got.length, want.length);
  let diff = 0;
  let scale = 1e-6;
  for (let i = 0; i < want.length; i++) {
    diff = Math.max(diff, Math.abs(got[i] - want[i]));
    scale = Math.max(scale, Math.abs(want[i]));
  }
  return diff / scale;
}
const REL_TOL = 2e-5;

function convInfo(c: Case) {
  return tf.backend_util.computeConv2DInfo([c.n, c.h, c.w, c.ci], [3, 3, c.ci, c.co], 1, 1, c.pad);
}

let saved: string | undefined;

before(async () => {
  await initWasmBackend();
  saved = process.env.NETSMITH_WINOGRAD;
  // Every shape Winograd can take, not just the ones where it is faster.
  process.env.NETSMITH_WINOGRAD = 'force';
});

after(() => {
  if (saved == null) delete process.env.NETSMITH_WINOGRAD;
  else process.env.NETSMITH_WINOGRAD = saved;
});

describe('Winograd forward conv on wasm equals cpu', () => {
  for (const c of CASES) {
    for (const mode of ['Conv2D', 'FusedConv2D relu', 'FusedConv2D linear'] as const) {
      if (convInfo(c).outHeight < 1 || convInfo(c).outWidth < 1) continue;
      it(`${mode} ${label(c)}`, async () => {
        const x: Input = { shape: [c.n, c.h, c.w, c.ci], values: randomArray(c.n * c.h * c.w * c.ci, 1) };
        const filter: Input = { shape: [3, 3, c.ci, c.co], values: randomArray(9 * c.ci * c.co, 2) };
        const bias: Input = { shape: [c.co], values: randomArray(c.co, 3) };
        const attrs = { strides: [1, 1], pad: c.pad, dataFormat: 'NHWC', dilations: [1, 1], dimRoundingMode: undefined };
        const fused = mode !== 'Conv2D';
        const name = fused ? 'FusedConv2D' : 'Conv2D';
        const inputs: Record<string, Input> = fused ? { x, filter, bias } : { x, filter };
        const allAttrs = fused ? { ...attrs, activation: mode.endsWith('relu') ? 'relu' : 'linear' } : attrs;
        const want = await runOn('cpu', name, inputs, allAttrs);
        const got = await runOn('wasm', name, inputs, allAttrs);
        assert.deepEqual(got.shape, want.shape);
        const err = relErr(got.values, want.values);
        assert.ok(err <= REL_TOL, `relative error ${err}`);
      });
    }
  }
});

describe('Winograd Conv2DBackpropInput (stride 1) on wasm equals cpu', () => {
  for (const c of CASES) {
    const info = convInfo(c);
    if (info.outHeight < 1 || info.outWidth < 1) continue;
    it(label(c), async () => {
      const dy: Input = { shape: [c.n, info.outHeight, info.outWidth, c.co], values: randomArray(c.n * info.outHeight * info.outWidth * c.co, 4) };
      const filter: Input = { shape: [3, 3, c.ci, c.co], values: randomArray(9 * c.ci * c.co, 5) };
      const attrs = { strides: [1, 1], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, inputShape: [c.n, c.h, c.w, c.ci] };
      const want = await runOn('cpu', 'Conv2DBackpropInput', { dy, filter }, attrs);
      const got = await runOn('wasm', 'Conv2DBackpropInput', { dy, filter }, attrs);
      assert.deepEqual(got.shape, want.shape);
      const err = relErr(got.values, want.values);
      assert.ok(err <= REL_TOL, `relative error ${err}`);
    });
  }
});

describe('Winograd Conv2DBackpropFilter (stride 1) on wasm equals cpu', () => {
  for (const c of CASES) {
    const info = convInfo(c);
    if (info.outHeight < 1 || info.outWidth < 1) continue;
    it(label(c), async () => {
      const x: Input = { shape: [c.n, c.h, c.w, c.ci], values: randomArray(c.n * c.h * c.w * c.ci, 6) };
      const dy: Input = { shape: [c.n, info.outHeight, info.outWidth, c.co], values: randomArray(c.n * info.outHeight * info.outWidth * c.co, 7) };
      const attrs = { strides: [1, 1], pad: c.pad, dataFormat: 'NHWC', dimRoundingMode: undefined, filterShape: [3, 3, c.ci, c.co] };
      const want = await runOn('cpu', 'Conv2DBackpropFilter', { x, dy }, attrs);
      const got = await runOn('wasm', 'Conv2DBackpropFilter', { x, dy }, attrs);
      assert.deepEqual(got.shape, want.shape);
      const err = relErr(got.values, want.values);
      assert.ok(err <= REL_TOL, `relative error ${err}`);
    });
  }
});

describe('where Winograd applies', () => {
  const t = (shape: number[]) => ({ shape, dtype: 'float32' as const, dataId: {} });
  const same = { pads: { top: 1, bottom: 1, left: 1, right: 1 }, strides: [1, 1] as [number, number], dilations: [1, 1] as [number, number] };
  const applies = (x: number[], f: number[], o = same) => winogradApplies(t(x), t(f), o);
  it('by default only on shapes where it is faster (channels >= 16, output >= 8x8)', () => {
    process.env.NETSMITH_WINOGRAD = '';
    try {
      assert.ok(applies([64, 32, 32, 32], [3, 3, 32, 32]));
      assert.ok(applies([64, 16, 16, 64], [3, 3, 64, 64]));
      assert.ok(applies([1, 8, 8, 16], [3, 3, 16, 16]));
      assert.ok(!applies([1, 8, 8, 8], [3, 3, 8, 16]), 'few input channels');
      assert.ok(!applies([1, 6, 6, 32], [3, 3, 32, 32]), 'small output');
      assert.ok(!applies([1, 32, 32, 3], [3, 3, 3, 32]), 'ci % 4');
      assert.ok(!applies([1, 32, 32, 32], [3, 3, 32, 12]), 'co % 8');
      assert.ok(!applies([1, 32, 32, 32], [5, 5, 32, 32]), '5x5');
      assert.ok(!applies([1, 32, 32, 32], [3, 3, 32, 32], { ...same, strides: [2, 2] }), 'stride 2');
      assert.ok(!applies([1, 32, 32, 32], [3, 3, 32, 32], { ...same, dilations: [2, 2] }), 'dilated');
      assert.ok(!applies([1, 32, 32, 32], [3, 3, 32, 32], { ...same, pads: { ...same.pads, bottom: -1 } }), 'cropping pad');
      process.env.NETSMITH_WINOGRAD = '0';
      assert.ok(!applies([64, 32, 32, 32], [3, 3, 32, 32]), 'switched off');
    } finally {
      process.env.NETSMITH_WINOGRAD = 'force';
    }
  });
});

describe('bench ResNet training step: gradients with Winograd equal those without', () => {
  /** The bench ResNet with fixed Glorot-uniform kernels (tf.layers' default initializers are unseeded). */
  function resnet(): tf.LayersModel {
    const model = buildModel('resnet');
    model.trainableWeights.forEach((w, i) => {
      const shape = w.shape as number[];
      if (shape.length < 2) return; // BN gamma/beta (ones/zeros), dense bias (zeros)
      const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
      const limit = Math.sqrt(6 / (receptive * (shape[shape.length - 2] + shape[shape.length - 1])));
      const v = (w as unknown as { val: tf.Variable }).val;
      v.assign(tf.tensor(randomArray(v.size, 100 + i, limit), shape));
    });
    return model;
  }
  async function grads(model: tf.LayersModel, x: tf.Tensor, y: tf.Tensor, winograd: string): Promise<Float32Array[]> {
    process.env.NETSMITH_WINOGRAD = winograd;
    try {
      const vars = model.trainableWeights.map((w) => (w as unknown as { val: tf.Variable }).val);
      const { value, grads } = tf.variableGrads(() => lossOf(model, x, y), vars);
      const out = await Promise.all(vars.map((v) => grads[v.name].data() as Promise<Float32Array>));
      tf.dispose([value, ...Object.values(grads)]);
      return out;
    } finally {
      process.env.NETSMITH_WINOGRAD = 'force';
    }
  }
  /** ||a - b|| / ||b||. */
  function l2Rel(a: Float32Array, b: Float32Array): number {
    let e = 0;
    let n = 1e-30;
    for (let i = 0; i < b.length; i++) {
      e += (a[i] - b[i]) ** 2;
      n += b[i] ** 2;
    }
    return Math.sqrt(e / n);
  }

  it('batch 64 on wasm: Winograd (default thresholds) vs direct kernels, every weight', async () => {
    await tf.setBackend('wasm');
    const model = resnet();
    const { x, y } = syntheticBatch('resnet', 64);
    const direct = await grads(model, x, y, '0');
    const wino = await grads(model, x, y, '');
    wino.forEach((g, i) => {
      const err = l2Rel(g, direct[i]);
      assert.ok(err <= 2e-4, `weight ${i} (${model.trainableWeights[i].name}): relative error ${err}`);
    });
    tf.dispose([x, y]);
    model.dispose();
  });

  it('batch 4: against cpu, Winograd is as accurate as the direct kernels', async () => {
    await tf.setBackend('wasm');
    const model = resnet();
    const { x, y } = syntheticBatch('resnet', 4);
    const wino = await grads(model, x, y, 'force');
    const direct = await grads(model, x, y, '0');
    await tf.setBackend('cpu');
    const cpu = await grads(model, x, y, '0');
    await tf.setBackend('wasm');
    wino.forEach((g, i) => {
      const err = l2Rel(g, cpu[i]);
      const ref = l2Rel(direct[i], cpu[i]);
      assert.ok(err <= Math.max(1e-4, 3 * ref), `weight ${i} (${model.trainableWeights[i].name}): ${err} vs cpu, direct kernels ${ref}`);
    });
    tf.dispose([x, y]);
    model.dispose();
  });
});
