// Conv2DBackpropFilter of 3x3, stride-1, undilated NHWC convolutions by
// Winograd F(2x2, 3x3) (see simd/winogradFilter.ts): the padded input and dy
// are transformed a chunk of tile rows at a time, 16 GEMMs per chunk
// (reduction over the chunk's tiles) are summed into dU, and dW = G^T dU G.
// Same switch and thresholds as the forward path (NETSMITH_WINOGRAD).
import type { backend_util, TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { memoryOf, ptr, simdKernels } from './simd/module';
import { winogradFilterKernels } from './simd/winogradFilter';
import { paddedTiles, winogradApplies } from './winograd';

/** Pads of the forward conv whose filter gradient this is (bottom/right from the output size). */
function pads(info: backend_util.Conv2DInfo) {
  const { top, left } = info.padInfo;
  return { top, left, bottom: info.outHeight + 2 - info.inHeight - top, right: info.outWidth + 2 - info.inWidth - left };
}

export function winogradFilterApplies(x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): boolean {
  if (info.filterHeight !== 3 || info.filterWidth !== 3 || info.outHeight !== dy.shape[1] || info.outWidth !== dy.shape[2]) return false;
  const filter = { dataId: {}, shape: [3, 3, x.shape[3], dy.shape[3]], dtype: dy.dtype };
  return winogradApplies(x, filter, {
    pads: pads(info), strides: [info.strideHeight, info.strideWidth], dilations: [info.dilationHeight, info.dilationWidth],
  });
}

/** dU [16, ci, co] -> dW [3, 3, ci, co] = G^T dU G (G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]). */
function inverseFilterTransform(heap: Float32Array, du: number, dw: number, plane: number): void {
  const t = new Float64Array(12);
  for (let idx = 0; idx < plane; idx++) {
    // t = G^T dU (3 x 4)
    for (let j = 0; j < 4; j++) {
      const u0 = heap[du + j * plane + idx];
      const u1 = heap[du + (4 + j) * plane + idx];
      const u2 = heap[du + (8 + j) * plane + idx];
      const u3 = heap[du + (12 + j) * plane + idx];
      t[j] = u0 + 0.5 * (u1 + u2);
      t[4 + j] = 0.5 * (u1 - u2);
      t[8 + j] = 0.5 * (u1 + u2) + u3;
    }
    for (let i = 0; i < 3; i++) {
      const [a, b, c, d] = [t[4 * i], t[4 * i + 1], t[4 * i + 2], t[4 * i + 3]];
      const base = dw + 3 * i * plane + idx;
      heap[base] = a + 0.5 * (b + c);
      heap[base + plane] = 0.5 * (b - c);
      heap[base + 2 * plane] = 0.5 * (b + c) + d;
    }
  }
}

/** Tiles per chunk (env NETSMITH_WINOGRAD_DW_TILES overrides, for tuning). */
function chunkTiles(): number {
  const env = Number(process.env.NETSMITH_WINOGRAD_DW_TILES);
  return Number.isFinite(env) && env > 0 ? env : 128;
}

/** x [n, h, w, ci], dy [n, oh, ow, co] -> dW [3, 3, ci, co]. Callers check winogradFilterApplies. */
export function winogradConvFilter(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [n, , , ci] = x.shape;
  const [, oh, ow, co] = dy.shape;
  const k = simdKernels(backend);
  const { padded, th, tw, hp, wp } = paddedTiles(backend, x, oh, ow, info.padInfo.top, info.padInfo.left);

  const rowsPerChunk = Math.max(1, Math.round(chunkTiles() / tw));
  const tcMax = rowsPerChunk * tw;
  // Plane strides padded by 64 bytes: 16 planes a power of two apart would share cache sets.
  const vStride = tcMax * ci + 16;
  const zStride = tcMax * co + 16;
  const plane = ci * co;
  const v = backend.makeOutput([16 * vStride], 'float32');
  const z = backend.makeOutput([16 * zStride], 'float32');
  const du = backend.makeOutput([16 * plane], 'float32');
  const part = backend.makeOutput([16 * plane], 'float32');
  const dW = backend.makeOutput([3, 3, ci, co], 'float32');
  const wk = winogradFilterKernels(backend, { ci, co, hp, wp, oh, ow, vStride, mStride: zStride, bias: false, relu: false });
  const [px, pv, pz, pdu, ppart] = [ptr(backend, padded), ptr(backend, v), ptr(backend, z), ptr(backend, du), ptr(backend, part)];
  const rows = n * th;
  for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
    const r1 = Math.min(rows, r0 + rowsPerChunk);
    const tc = (r1 - r0) * tw;
    wk.inputTransform(px, pv, r0, r1);
    wk.dyTransform(ptr(backend, dy), pz, r0, r1);
    // dU[t] (+)= V[t]^T . Z[t]: A = V[t] read transposed ([tc, ci] -> [ci, tc]).
    const target = r0 === 0 ? pdu : ppart;
    for (let t = 0; t < 16; t++) {
      k.matmul(pv + 4 * t * vStride, pz + 4 * t * zStride, target + 4 * t * plane, 1, ci, tc, co, 0, 1, ci, 0);
    }
    if (r0 > 0) k.addPeriodicBS(pdu, ppart, pdu, 16 * plane, 16 * plane);
  }
  inverseFilterTransform(new Float32Array(memoryOf(backend).buffer), pdu / 4, ptr(backend, dW) / 4, plane);
  for (const t of [padded, v, z, du, part]) backend.disposeData(t.dataId);
  return dW;
}
