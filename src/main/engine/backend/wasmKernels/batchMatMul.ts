// tfjs-wasm runs BatchMatMul on XNNPACK only without transposes and with a
// batch of 1; everything else (every matmul gradient, attention) goes to a
// scalar loop ~16x slower. Here:
//  - a shared, untransposed B (dense layers): a 1x1 conv on our generated
//    FMA kernel (faster than XNNPACK's wasm GEMM);
//  - SIMD (main path): our matmul kernel reads A through strides (a
//    transposed A is free), B row-major (a transposed B is transposed first,
//    which is cheap next to the product); broadcasting of a batch of 1;
//  - without SIMD: explicit transposes + XNNPACK for batch 1, and a depthwise
//    conv with channel multiplier N for equal batches > 1 (its "pixels" are
//    A's rows and its taps the K axis, which XNNPACK runs as a grouped GEMM).
import {
  broadcast_util, type BatchMatMulAttrs, type _FusedMatMulAttrs, type KernelConfig, type NamedAttrMap, type TensorInfo, util,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convExplicit, input, release, reshape, run, runOriginal, transpose } from './kernelUtil';
import { CONV_CO_TILE } from './simd/conv';
import { ptr, simdKernels, simdSupported } from './simd/module';

interface Dims { batchA: number; batchB: number; m: number; k: number; n: number; outShape: number[] }

function dims(a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): Dims | null {
  const batchA = util.sizeFromShape(a.shape.slice(0, -2));
  const batchB = util.sizeFromShape(b.shape.slice(0, -2));
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  const outBatch = broadcast_util.assertAndGetBroadcastShape(a.shape.slice(0, -2), b.shape.slice(0, -2));
  // Only "same batch" or "one side has a single matrix" broadcasts are handled here.
  const ok = (batchA === batchB || batchA === 1 || batchB === 1) && util.sizeFromShape(outBatch) === Math.max(batchA, batchB);
  if (!ok) return null;
  const m = transposeA ? aCols : aRows;
  const n = transposeB ? bRows : bCols;
  return { batchA, batchB, m, k: transposeA ? aRows : aCols, n, outShape: [...outBatch, m, n] };
}

function simdMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, d: Dims): TensorInfo {
  const { batchA, batchB, m, k, n } = d;
  let bT = b;
  if (transposeB) {
    const b3 = reshape(backend, b, [batchB, n, k]);
    bT = transpose(backend, b3, [0, 2, 1]);
    release(backend, b3);
  }
  const out = backend.makeOutput(d.outShape, 'float32');
  simdKernels(backend).matmul(ptr(backend, a), ptr(backend, bT), ptr(backend, out),
    Math.max(batchA, batchB), m, k, n,
    batchA === 1 ? 0 : m * k, transposeA ? 1 : k, transposeA ? m : 1,
    batchB === 1 ? 0 : k * n);
  if (bT !== b) release(backend, bT);
  return out;
}

function xnnMatMul2d(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
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

function noSimdMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean, d: Dims): TensorInfo | null {
  const [aRows, aCols] = a.shape.slice(-2);
  const [bRows, bCols] = b.shape.slice(-2);
  let out: TensorInfo;
  if (d.batchB === 1 && (d.batchA === 1 || !transposeA)) {
    // b is shared: fold a's batch into its rows.
    const a3 = reshape(backend, a, transposeA ? [1, aRows, aCols] : [1, d.batchA * aRows, aCols]);
    const b3 = reshape(backend, b, [1, bRows, bCols]);
    out = xnnMatMul2d(backend, a3, b3, transposeA, transposeB);
    release(backend, a3, b3);
  } else if (d.batchA === d.batchB) {
    const a3 = reshape(backend, a, [d.batchA, aRows, aCols]);
    const b3 = reshape(backend, b, [d.batchB, bRows, bCols]);
    out = batchedViaDepthwise(backend, a3, b3, transposeA, transposeB);
    release(backend, a3, b3);
  } else {
    return null;
  }
  const shaped = reshape(backend, out, d.outShape);
  release(backend, out);
  return shaped;
}

/**
 * A [rows, k] x B [k, n] (B shared, n a multiple of the conv tile) as a 1x1
 * conv on our generated kernel, which also fuses bias and relu (dense layers).
 */
function asPointwiseConv(d: Dims, transposeA: boolean, transposeB: boolean): boolean {
  return !transposeA && !transposeB && d.batchB === 1 && d.n % CONV_CO_TILE === 0 && simdSupported();
}

function pointwiseConv(backend: BackendWasm, a: TensorInfo, b: TensorInfo, d: Dims, bias?: TensorInfo, relu = false): TensorInfo {
  const rows = d.batchA * d.m;
  const x = reshape(backend, a, [1, 1, rows, d.k]);
  const filter = reshape(backend, b, [1, 1, d.k, d.n]);
  const conv = convExplicit(backend, x, filter, { pads: { top: 0, bottom: 0, left: 0, right: 0 }, strides: [1, 1], dilations: [1, 1], bias, relu });
  const out = reshape(backend, conv, d.outShape);
  release(backend, x, filter, conv);
  return out;
}

export function batchMatMul(backend: BackendWasm, a: TensorInfo, b: TensorInfo, transposeA: boolean, transposeB: boolean): TensorInfo {
  const attrs = { transposeA, transposeB };
  const d = a.dtype === 'float32' && b.dtype === 'float32' ? dims(a, b, transposeA, transposeB) : null;
  if (d == null) return runOriginal(backend, 'BatchMatMul', { a, b }, attrs);
  if (asPointwiseConv(d, transposeA, transposeB)) return pointwiseConv(backend, a, b, d);
  const out = simdSupported() ? simdMatMul(backend, a, b, transposeA, transposeB, d) : noSimdMatMul(backend, a, b, transposeA, transposeB, d);
  return out ?? runOriginal(backend, 'BatchMatMul', { a, b }, attrs);
}

/** Dense layers' forward (bias, relu); other activations and transposed operands stay on XNNPACK. */
export const fusedMatMulConfig: KernelConfig = {
  kernelName: '_FusedMatMul',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB, activation } = attrs as unknown as _FusedMatMulAttrs;
    const a = input(inputs, 'a');
    const b = input(inputs, 'b');
    const bias = inputs.bias;
    const d = a.dtype === 'float32' && b.dtype === 'float32' ? dims(a, b, transposeA, transposeB) : null;
    const biasOk = bias == null || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === d?.n);
    if (d == null || !biasOk || (activation !== 'linear' && activation !== 'relu') || !asPointwiseConv(d, transposeA, transposeB)) {
      return runOriginal(backend as BackendWasm, '_FusedMatMul', inputs, attrs as NamedAttrMap);
    }
    return pointwiseConv(backend as BackendWasm, a, b, d, bias ?? undefined, activation === 'relu');
  },
};

export const batchMatMulConfig: KernelConfig = {
  kernelName: 'BatchMatMul',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { transposeA, transposeB } = attrs as unknown as BatchMatMulAttrs;
    return batchMatMul(backend as BackendWasm, input(inputs, 'a'), input(inputs, 'b'), transposeA, transposeB);
  },
};
