// tfjs-wasm runs BatchMatMul on XNNPACK only without transposes and with a
// batch of 1; everything else (every matmul gradient, attention) goes to a
// scalar loop ~16x slower. Here:
//  - batch 1 (or b broadcast over a's batch): transpose explicitly, then the
//    XNNPACK path;
//  - equal batches > 1: a depthwise conv with channel multiplier N whose
//    "pixels" are A's rows and whose taps are the K axis, which XNNPACK runs
//    as one GEMM per batch entry (grouped IGEMM).
import { broadcast_util, type BatchMatMulAttrs, type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { release, reshape, run, runOriginal, transpose } from './kernelUtil';

function matMul2d(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const a2 = transposeA ? transpose(backend, a, [0, 2, 1]) : a;
  const b2 = transposeB ? transpose(backend, b, [0, 2, 1]) : b;
  const out = runOriginal(backend, 'BatchMatMul', { a: a2, b: b2 }, { transposeA: false, transposeB: false });
  if (a2 !== a) release(backend, a2);
  if (b2 !== b) release(backend, b2);
  return out;
}

function batchedViaDepthwise(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const [batch] = a.shape;
  const [m, k] = transposeA ? [a.shape[2], a.shape[1]] : [a.shape[1], a.shape[2]];
  const n = transposeB ? b.shape[1] : b.shape[2];
  const aT = transpose(backend, a, transposeA ? [2, 1, 0] : [1, 2, 0]); // [M, K, batch]
  const bT = transpose(backend, b, transposeB ? [2, 0, 1] : [1, 0, 2]); // [K, batch, N]
  const x = reshape(backend, aT, [1, m, k, batch]);
  const filter = reshape(backend, bT, [1, k, batch, n]);
  const conv = run(backend, 'DepthwiseConv2dNative', { x, filter }, { strides: [1, 1], pad: 'valid', dilations: [1, 1], dataFormat: 'NHWC' });
  const rows = reshape(backend, conv, [m, batch, n]);
  const out = transpose(backend, rows, [1, 0, 2]);
  release(backend, aT, bT, x, filter, conv, rows);
  return out;
}

export function batchMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const attrs = { transposeA, transposeB };
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return runOriginal(backend, 'BatchMatMul', { a, b }, attrs);
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const m = transposeA ? aCols : aRows;
  const n = transposeB ? bRows : bCols;
  const outBatch = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));

  let out2: TensorInfo;
  if (batchB === 1 && (batchA === 1 || !transposeA)) {
    // b is shared: fold a's batch into its rows.
    const a3 = reshape(backend, a, transposeA ? [1, aRows, aCols] : [1, batchA * aRows, aCols]);
    const b3 = reshape(backend, b, [1, bRows, bCols]);
    out2 = matMul2d(backend, a3, b3, transposeA, transposeB);
    release(backend, a3, b3);
  } else if (batchA === batchB && util.sizeFromShape(outBatch) === batchA) {
    const a3 = reshape(backend, a, [batchA, aRows, aCols]);
    const b3 = reshape(backend, b, [batchB, bRows, bCols]);
    out2 = batchedViaDepthwise(backend, a3, b3, transposeA, transposeB);
    release(backend, a3, b3);
  } else {
    return runOriginal(backend, 'BatchMatMul', { a, b }, attrs);
  }
  const out = reshape(backend, out2, [...outBatch, m, n]);
  release(backend, out2);
  return out;
}

export const batchMatMulConfig: KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    return batchMatMul(backend as BackendWasm, inputs.a, inputs.b, transposeA, transposeB);
  },
};
