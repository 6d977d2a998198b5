// Our wasm Tile, UnsortedSegmentSum and BatchMatMul against the cpu backend,
// the reshape+sum Tile gradient, and the cpu-copy safety net.
import assert from 'node:assert/strict';
import { before, describe, it } from 'node:test';
import * as tf from '@tensorflow/tfjs';
import { initWasmBackend } from '../../../../src/main/engine/backend/wasm';
import { fallbackOpsUsed } from '../../../../src/main/engine/backend/wasmKernels';
import { maxAbsDiff, randomArray, runOn, TOLERANCE } from './helpers';

before(async () => {
  await initWasmBackend();
});

const size = (shape: number[]) => shape.reduce((a, b) => a * b, 1);

describe('Tile on wasm', () => {
  const cases: [number[], number[]][] = [
    [[5], [3]], [[1], [7]], [[2, 3], [2, 2]], [[4, 1], [1, 6]], [[1, 1, 8], [3, 5, 1]],
    [[2, 3, 1], [2, 1, 4]], [[3, 1, 2, 2], [1, 4, 2, 3]], [[2, 2, 2, 2, 2], [2, 1, 3, 1, 2]], [[3, 0], [2, 2]],
  ];
  for (const [i, [shape, reps]] of cases.entries()) {
    it(`x=[${shape}] reps=[${reps}]`, async () => {
      const x = { shape, values: randomArray(size(shape), 100 + i) };
      const want = await runOn('cpu', 'Tile', { x }, { reps });
      const got = await runOn('wasm', 'Tile', { x }, { reps });
      assert.deepEqual(got.shape, want.shape);
      assert.deepEqual(Array.from(got.values), Array.from(want.values));
    });
  }
  it('tiles int32 and bool tensors', async () => {
    await tf.setBackend('wasm');
    assert.deepEqual(Array.from(tf.tile(tf.tensor1d([1, 2], 'int32'), [3]).dataSync()), [1, 2, 1, 2, 1, 2]);
    assert.deepEqual(Array.from(tf.tile(tf.tensor2d([[true], [false]], [2, 1], 'bool'), [1, 2]).dataSync()), [1, 1, 0, 0]);
  });
});

describe('Slice on wasm', () => {
  const cases: { shape: number[]; begin: number[]; size: number[]; dtype?: 'int32' }[] = [
    { shape: [4, 6, 6, 3], begin: [0, 1, 1, 0], size: [4, 4, 4, 3] },
    { shape: [4, 6, 6, 3], begin: [1, 0, 0, 0], size: [2, 6, 6, 3] },
    { shape: [4, 6, 6, 3], begin: [0, 0, 0, 1], size: [-1, -1, -1, 2] },
    { shape: [2, 5, 7, 4], begin: [1, 2, 0, 0], size: [1, 3, 7, 4] },
    { shape: [2, 5, 7, 4], begin: [0, 0, 3, 1], size: [2, 5, 2, 2] },
    { shape: [3, 3, 4, 8], begin: [0, 0, 0, 0], size: [3, 3, 3, 5] },
    { shape: [9], begin: [2], size: [5] },
    { shape: [5, 7], begin: [1, 3], size: [3, 4], dtype: 'int32' },
    { shape: [2, 3, 4, 5, 6], begin: [1, 0, 1, 2, 0], size: [1, 3, 2, 3, 6] },
    { shape: [3, 4], begin: [0, 1], size: [3, 0] },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.shape)} begin ${c.begin} size ${c.size}${c.dtype ? ' int32' : ''}`, async () => {
      const values = c.dtype ? Int32Array.from(randomArray(size(c.shape), 5), (v) => Math.round(v * 1000)) : randomArray(size(c.shape), 5);
      const inputs = { x: { shape: c.shape, values, dtype: c.dtype } };
      const want = await runOn('cpu', 'Slice', inputs, { begin: c.begin, size: c.size });
      const got = await runOn('wasm', 'Slice', inputs, { begin: c.begin, size: c.size });
      assert.deepEqual(got.shape, want.shape);
      assert.deepEqual(Array.from(got.values), Array.from(want.values));
    });
  }
});

describe('PadV2 on wasm', () => {
  const cases: { shape: number[]; paddings: [number, number][]; value: number; dtype?: 'int32' }[] = [
    { shape: [4, 5, 5, 3], paddings: [[0, 0], [1, 1], [1, 1], [0, 0]], value: 0 },
    { shape: [2, 4, 6, 3], paddings: [[0, 0], [2, 0], [0, 3], [0, 0]], value: -1.5 },
    { shape: [2, 3, 3, 5], paddings: [[0, 0], [0, 0], [0, 0], [1, 2]], value: 0 },
    { shape: [3, 4, 2], paddings: [[1, 0], [0, 0], [0, 0]], value: 2 },
    { shape: [7], paddings: [[2, 3]], value: 1 },
    { shape: [3, 4], paddings: [[0, 0], [0, 0]], value: 0 },
    { shape: [3, 4], paddings: [[1, 1], [2, 0]], value: 7, dtype: 'int32' },
    { shape: [2, 2, 3, 2, 2], paddings: [[0, 0], [0, 1], [0, 0], [1, 0], [0, 0]], value: 0 },
    { shape: [2, 0, 3], paddings: [[0, 0], [1, 1], [0, 0]], value: 3 },
  ];
  for (const c of cases) {
    it(`${JSON.stringify(c.shape)} paddings ${JSON.stringify(c.paddings)} value ${c.value}${c.dtype ? ' int32' : ''}`, async () => {
      const values = c.dtype ? Int32Array.from(randomArray(size(c.shape), 6), (v) => Math.round(v * 1000)) : randomArray(size(c.shape), 6);
      const inputs = { x: { shape: c.shape, values, dtype: c.dtype } };
      const attrs = { paddings: c.paddings, constantValue: c.value };
      const want = await runOn('cpu', 'PadV2', inputs, attrs);
      const got = await runOn('wasm', 'PadV2', inputs, attrs);
      assert.deepEqual(got.shape, want.shape);
      assert.deepEqual(Array.from(got.values), Array.from(want.values));
    });
  }
});

describe('Tile gradient (reshape + sum)', () => {
  it('matches the sum over tiles on cpu and wasm', async () => {
    for (const backend of ['cpu', 'wasm']) {
      await tf.setBackend(backend);
      const x = tf.tensor(randomArray(6, 7), [2, 1, 3]);
      const w = tf.tensor(randomArray(4 * 3 * 12, 8), [4, 3, 12]);
      const g = tf.grad((t: tf.Tensor) => tf.sum(tf.mul(tf.tile(t, [2, 3, 4]), w)))(x);
      // Reference: d/dx sum(tile(x) * w) = sum of w over the tiles.
      const want = tf.sum(tf.reshape(w, [2, 2, 3, 1, 4, 3]), [0, 2, 4]);
      assert.ok(maxAbsDiff(g.dataSync(), want.dataSync()) <= 1e-5, backend);
      tf.dispose([x, w, g, want]);
    }
  });
});

describe('UnsortedSegmentSum on wasm', () => {
  const cases: { x: number[]; ids: number[]; n: number }[] = [
    { x: [6], ids: [6], n: 4 }, { x: [10, 3], ids: [10], n: 5 }, { x: [8, 16], ids: [8], n: 3 },
  ];
  for (const [i, c] of cases.entries()) {
    it(`x=[${c.x}] ids=[${c.ids}] numSegments=${c.n}`, async () => {
      // Ids include out-of-range and negative values, which are dropped.
      const ids = Int32Array.from(randomArray(size(c.ids), 200 + i), (v) => Math.floor((v + 0.5) * (c.n + 2)) - 1);
      const inputs = { x: { shape: c.x, values: randomArray(size(c.x), 300 + i) }, segmentIds: { shape: c.ids, values: ids, dtype: 'int32' as const } };
      const want = await runOn('cpu', 'UnsortedSegmentSum', inputs, { numSegments: c.n });
      const got = await runOn('wasm', 'UnsortedSegmentSum', inputs, { numSegments: c.n });
      assert.deepEqual(got.shape, want.shape);
      assert.ok(maxAbsDiff(got.values, want.values) <= 1e-5);
    });
  }
  it('gives the gradient of gather (embedding lookup)', async () => {
    await tf.setBackend('wasm');
    const table = tf.variable(tf.tensor(randomArray(5 * 3, 9), [5, 3]));
    const idx = tf.tensor1d([0, 2, 2, 4, 0, 0], 'int32');
    const { grads } = tf.variableGrads(() => tf.sum(tf.gather(table, idx)));
    assert.deepEqual(Array.from(grads[table.name].dataSync()), [3, 3, 3, 0, 0, 0, 2, 2, 2, 0, 0, 0, 1, 1, 1]);
  });
});

describe('BatchMatMul on wasm', () => {
  const cases: [number[], number[], boolean, boolean][] = [
    [[7, 5], [5, 3], false, false], [[5, 7], [5, 3], true, false], [[7, 5], [3, 5], false, true], [[5, 7], [3, 5], true, true],
    [[2, 6, 4], [4, 5], false, false], [[2, 6, 4], [5, 4], false, true], [[3, 4, 6], [3, 4, 5], true, false],
    [[4, 9, 8], [4, 8, 6], false, false], [[4, 9, 8], [4, 6, 8], false, true], [[4, 8, 9], [4, 8, 6], true, false],
    [[4, 8, 9], [4, 6, 8], true, true], [[2, 3, 5, 4], [2, 3, 4, 6], false, false], [[1, 3, 5, 4], [3, 6, 4], false, true],
    [[2, 1, 5, 4], [1, 3, 4, 6], false, false], [[65, 16], [16, 65], false, false],
    [[8, 65, 65], [8, 65, 16], false, false], [[8, 65, 16], [8, 65, 16], false, true], [[8, 65, 65], [8, 65, 16], true, false],
    [[8, 16, 65], [8, 65, 16], true, true], [[3, 7, 9], [9, 13], false, false], [[1, 9, 7], [3, 9, 13], true, false],
    [[300, 20], [20, 24], false, false], [[300, 20], [300, 24], true, false], [[300, 20], [11, 20], false, true],
  ];
  for (const [i, [sa, sb, ta, tb]] of cases.entries()) {
    it(`a=[${sa}]${ta ? 'ᵀ' : ''} b=[${sb}]${tb ? 'ᵀ' : ''}`, async () => {
      const inputs = { a: { shape: sa, values: randomArray(size(sa), 400 + i) }, b: { shape: sb, values: randomArray(size(sb), 500 + i) } };
      const attrs = { transposeA: ta, transposeB: tb };
      const want = await runOn('cpu', 'BatchMatMul', inputs, attrs);
      const got = await runOn('wasm', 'BatchMatMul', inputs, attrs);
      assert.deepEqual(got.shape, want.shape);
      assert.ok(maxAbsDiff(got.values, want.values) <= TOLERANCE, `max diff ${maxAbsDiff(got.values, want.values)}`);
    });
  }
});

describe('_FusedMatMul on wasm', () => {
  // Rank 3, as tf.fused.matMul passes them (tfjs-wasm's own kernel requires it).
  const cases: [number[], number[], string, boolean][] = [
    [[1, 40, 12], [1, 12, 16], 'linear', true], [[1, 40, 12], [1, 12, 24], 'relu', true], [[1, 40, 12], [1, 12, 16], 'relu', false],
    [[1, 40, 12], [1, 12, 10], 'linear', true], [[1, 40, 12], [1, 12, 16], 'elu', true],
  ];
  for (const [i, [sa, sb, activation, withBias]] of cases.entries()) {
    it(`a=[${sa}] b=[${sb}] ${activation}${withBias ? ' + bias' : ''}`, async () => {
      const n = sb[2];
      const inputs: Record<string, { shape: number[]; values: Float32Array }> = {
        a: { shape: sa, values: randomArray(size(sa), 1700 + i) }, b: { shape: sb, values: randomArray(size(sb), 1800 + i) },
      };
      if (withBias) inputs.bias = { shape: [n], values: randomArray(n, 1900 + i) };
      const attrs = { transposeA: false, transposeB: false, activation };
      const want = await runOn('cpu', '_FusedMatMul', inputs, attrs);
      const got = await runOn('wasm', '_FusedMatMul', inputs, attrs);
      assert.deepEqual(got.shape, want.shape);
      assert.ok(maxAbsDiff(got.values, want.values) <= TOLERANCE, `max diff ${maxAbsDiff(got.values, want.values)}`);
    });
  }
});

describe('Transpose on wasm', () => {
  const cases: [number[], number[]][] = [
    [[3, 4], [1, 0]], [[2, 3, 4], [2, 0, 1]], [[2, 3, 4], [0, 2, 1]], [[6, 5, 3, 4, 2], [2, 0, 3, 1, 4]], [[3, 2, 4, 5], [0, 2, 1, 3]],
    [[2, 1, 3, 1, 4], [4, 3, 2, 1, 0]], [[2, 2, 2, 2, 2, 2, 2], [6, 5, 4, 3, 2, 1, 0]], [[1, 5, 1], [2, 1, 0]], [[4, 6, 8], [1, 2, 0]],
    [[2, 3, 2, 3, 2, 3], [5, 3, 1, 4, 2, 0]], [[7, 9], [0, 1]],
  ];
  for (const [i, [shape, perm]] of cases.entries()) {
    it(`x=[${shape}] perm=[${perm}]`, async () => {
      const x = { shape, values: randomArray(size(shape), 600 + i) };
      const want = await runOn('cpu', 'Transpose', { x }, { perm });
      const got = await runOn('wasm', 'Transpose', { x }, { perm });
      assert.deepEqual(got.shape, want.shape);
      assert.deepEqual(Array.from(got.values), Array.from(want.values));
    });
  }
  it('transposes int32', async () => {
    await tf.setBackend('wasm');
    const t = tf.transpose(tf.tensor2d([[1, 2, 3], [4, 5, 6]], [2, 3], 'int32'));
    assert.equal(t.dtype, 'int32');
    assert.deepEqual(Array.from(t.dataSync()), [1, 4, 2, 5, 3, 6]);
  });
});

describe('Sum and Mean over leading axes on wasm', () => {
  const cases: [number[], number[], boolean][] = [
    [[64, 5, 5, 7], [0, 1, 2], false], [[10, 3], [0], true], [[9, 4, 16], [0, 1], false], [[9, 4, 16], [1, 0], true],
    [[5, 6, 3], [0, 2], false], [[5, 6, 3], [2], false], [[4, 4], [0, 1], false],
  ];
  for (const [i, [shape, axis, keepDims]] of cases.entries()) {
    for (const kernel of ['Sum', 'Mean']) {
      it(`${kernel} x=[${shape}] axis=[${axis}] keepDims=${keepDims}`, async () => {
        const x = { shape, values: randomArray(size(shape), 700 + i) };
        const want = await runOn('cpu', kernel, { x }, { axis, keepDims });
        const got = await runOn('wasm', kernel, { x }, { axis, keepDims });
        assert.deepEqual(got.shape, want.shape);
        assert.ok(maxAbsDiff(got.values, want.values) <= TOLERANCE, `max diff ${maxAbsDiff(got.values, want.values)}`);
      });
    }
  }
});

describe('MaxPoolGrad on wasm', () => {
  const cases: { x: number[]; k: number; s: number; pad: 'same' | 'valid' }[] = [
    { x: [2, 8, 8, 4], k: 2, s: 2, pad: 'valid' }, { x: [2, 7, 9, 8], k: 3, s: 2, pad: 'same' }, { x: [1, 6, 6, 4], k: 3, s: 1, pad: 'same' },
    { x: [3, 5, 7, 3], k: 2, s: 2, pad: 'same' }, { x: [2, 9, 9, 5], k: 3, s: 3, pad: 'valid' },
  ];
  for (const [i, c] of cases.entries()) {
    it(`x=[${c.x}] pool=${c.k} stride=${c.s} ${c.pad}`, async () => {
      // Values mostly negative, with ties (rounded), to check routing to the first maximum.
      const values = randomArray(size(c.x), 800 + i).map((v) => Math.round((v - 0.3) * 4) / 4);
      await tf.setBackend('cpu');
      const pooled = tf.maxPool(tf.tensor4d(values, c.x as [number, number, number, number]), c.k, c.s, c.pad);
      const dyShape = pooled.shape;
      pooled.dispose();
      const inputs = { dy: { shape: dyShape, values: randomArray(size(dyShape), 900 + i) }, input: { shape: c.x, values }, output: { shape: dyShape, values: new Float32Array(size(dyShape)) } };
      const attrs = { filterSize: c.k, strides: c.s, pad: c.pad };
      const want = await runOn('cpu', 'MaxPoolGrad', inputs, attrs);
      const got = await runOn('wasm', 'MaxPoolGrad', inputs, attrs);
      assert.deepEqual(got.shape, want.shape);
      assert.ok(maxAbsDiff(got.values, want.values) <= 1e-6, `max diff ${maxAbsDiff(got.values, want.values)}`);
    });
  }
});

describe('FusedBatchNorm on wasm', () => {
  const cases: { x: number[]; p: number[] }[] = [
    { x: [4, 5, 5, 8], p: [8] }, { x: [4, 5, 5, 7], p: [1, 1, 1, 7] }, { x: [1, 6, 9, 16], p: [6, 9, 16] }, { x: [3, 4, 5], p: [4, 1] },
  ];
  for (const [i, c] of cases.entries()) {
    it(`x=[${c.x}] params=[${c.p}]`, async () => {
      const param = (seed: number, positive = false) => ({ shape: c.p, values: randomArray(size(c.p), seed).map((v) => (positive ? Math.abs(v) + 0.1 : v)) });
      const inputs = { x: { shape: c.x, values: randomArray(size(c.x), 1000 + i) }, mean: param(1100 + i), variance: param(1200 + i, true), offset: param(1300 + i), scale: param(1400 + i) };
      const attrs = { varianceEpsilon: 1e-3 };
      const want = await runOn('cpu', 'FusedBatchNorm', inputs, attrs);
      const got = await runOn('wasm', 'FusedBatchNorm', inputs, attrs);
      assert.deepEqual(got.shape, want.shape);
      assert.ok(maxAbsDiff(got.values, want.values) <= 1e-5, `max diff ${maxAbsDiff(got.values, want.values)}`);
    });
  }
});

describe('broadcast binary ops on wasm', () => {
  const cases: [number[], number[]][] = [
    [[4, 5, 6, 8], [8]], [[8], [4, 5, 6, 8]], [[4, 5, 6, 8], [1, 1, 1, 8]], [[1, 1, 1, 8], [4, 5, 6, 8]], [[3, 5, 6, 7], [5, 6, 7]],
    [[2, 3, 6], [2, 3, 6]], [[2, 3, 6], [1]], [[2, 1, 6], [1, 3, 6]],
  ];
  for (const kernel of ['Add', 'Sub', 'Multiply', 'RealDiv']) {
    for (const [i, [sa, sb]] of cases.entries()) {
      it(`${kernel} [${sa}] [${sb}]`, async () => {
        const inputs = { a: { shape: sa, values: randomArray(size(sa), 1500 + i) }, b: { shape: sb, values: randomArray(size(sb), 1600 + i).map((v) => v + 1) } };
        const want = await runOn('cpu', kernel, inputs, {});
        const got = await runOn('wasm', kernel, inputs, {});
        assert.deepEqual(got.shape, want.shape);
        assert.ok(maxAbsDiff(got.values, want.values) <= 1e-5, `max diff ${maxAbsDiff(got.values, want.values)}`);
      });
    }
  }
});

describe('Identity and same-dtype Cast share data on wasm', () => {
  it('keeps values and survives disposing the source', async () => {
    await tf.setBackend('wasm');
    const x = tf.tensor1d([1, 2, 3]);
    const before = tf.memory().numDataBuffers;
    const y = tf.clone(x);
    const z = tf.cast(x, 'float32');
    assert.equal(tf.memory().numDataBuffers, before, 'no new data buffer');
    x.dispose();
    assert.deepEqual(Array.from(y.dataSync()), [1, 2, 3]);
    assert.deepEqual(Array.from(z.dataSync()), [1, 2, 3]);
    tf.dispose([y, z]);
    assert.deepEqual(Array.from(tf.cast(tf.tensor1d([1.7, -2.2]), 'int32').dataSync()), [1, -2]);
  });
});

describe('cpu-copy safety net', () => {
  it('runs a kernel wasm lacks on cpu and records it', async () => {
    await tf.setBackend('wasm');
    assert.equal(fallbackOpsUsed().includes('Einsum'), false);
    const a = tf.tensor2d([[1, 2], [3, 4]]);
    const b = tf.tensor2d([[5, 6], [7, 8]]);
    const out = tf.einsum('ij,jk->ik', a, b);
    assert.equal(tf.getBackend(), 'wasm');
    assert.deepEqual(Array.from(out.dataSync()), [19, 22, 43, 50]);
    assert.ok(fallbackOpsUsed().includes('Einsum'));
    tf.dispose([a, b, out]);
  });
});
