// Winograd F(2x2, 3x3) for 3x3, stride-1, undilated NHWC convolutions with
// non-negative padding: the forward conv (FusedConv2D with bias/relu) and,
// through convExplicit, Conv2DBackpropInput at stride 1 (a 3x3 conv of dy with
// the reversed, transposed filter). 2.25x fewer multiplies than the direct
// kernel, paid for with input/output transforms; it only wins with enough
// channels and pixels (see winogradApplies). The input is padded into a
// scratch copy; tiles are processed a chunk of tile rows at a time
// (transform -> 16 GEMMs on our SIMD matmul -> inverse transform) so the
// transformed tiles stay in cache. NETSMITH_WINOGRAD=0 (or off/false) turns
// it off, here and for the filter gradient (winogradFilter.ts); =force uses it
// on every shape it can take, however small (tests).
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import type { ConvOptions } from './kernelUtil';
import { memoryOf, ptr, simdKernels, simdSupported } from './simd/module';
import { winogradKernels } from './simd/winograd';

/**
 * Smallest channel counts / output size where it is used. Measured (batch 64,
 * min of 7, CPU ms, direct -> Winograd): 32x32x16->16 forward 9.1 -> 7.7,
 * 8x8x64->64 6.3 -> 3.5, 32x32x32->32 29 -> 17, 16x16x64->64 26 -> 15.
 */
const MIN_CHANNELS = 16;
const MIN_OUT = 8;

function enabled(): boolean {
  const env = process.env.NETSMITH_WINOGRAD;
  return env == null || (env !== '0' && env.toLowerCase() !== 'off' && env.toLowerCase() !== 'false');
}

/** Output size of the conv (stride 1, 3x3), or null where a pad is negative. */
function outSize(x: TensorInfo, o: ConvOptions): [number, number] | null {
  const { top, bottom, left, right } = o.pads;
  if (top < 0 || bottom < 0 || left < 0 || right < 0) return null;
  return [x.shape[1] + top + bottom - 2, x.shape[2] + left + right - 2];
}

export function winogradApplies(x: TensorInfo, filter: TensorInfo, o: ConvOptions): boolean {
  // NETSMITH_WINOGRAD=force: every shape it can take, however small (for tests).
  const force = process.env.NETSMITH_WINOGRAD === 'force';
  if (!enabled() || o.depthwise || !simdSupported()) return false;
  if (x.dtype !== 'float32' || filter.dtype !== 'float32') return false;
  const [kh, kw, ci, co] = filter.shape;
  if (kh !== 3 || kw !== 3 || o.strides[0] !== 1 || o.strides[1] !== 1 || o.dilations[0] !== 1 || o.dilations[1] !== 1) return false;
  if (ci % 4 !== 0 || co % 8 !== 0) return false;
  const size = outSize(x, o);
  if (size == null || size[0] < 1 || size[1] < 1) return false;
  if (force) return true;
  return ci >= MIN_CHANNELS && co >= MIN_CHANNELS && size[0] >= MIN_OUT && size[1] >= MIN_OUT;
}

/** U[16, ci, co] = G g G^T for every channel pair of a [3, 3, ci, co] filter (G = [1 0 0; .5 .5 .5; .5 -.5 .5; 0 0 1]). */
function transformFilter(heap: Float32Array, g: number, u: number, ci: number, co: number): void {
  const plane = ci * co;
  const w = (ky: number, kx: number, idx: number) => heap[g + (ky * 3 + kx) * plane + idx];
  for (let idx = 0; idx < plane; idx++) {
    // t = G g (4 x 3)
    const t = new Array<number>(12);
    for (let kx = 0; kx < 3; kx++) {
      const a = w(0, kx, idx);
      const b = w(1, kx, idx);
      const c = w(2, kx, idx);
      t[kx] = a;
      t[3 + kx] = 0.5 * (a + b + c);
      t[6 + kx] = 0.5 * (a - b + c);
      t[9 + kx] = c;
    }
    for (let i = 0; i < 4; i++) {
      const a = t[3 * i];
      const b = t[3 * i + 1];
      const c = t[3 * i + 2];
      const base = u + 4 * i * plane + idx;
      heap[base] = a;
      heap[base + plane] = 0.5 * (a + b + c);
      heap[base + 2 * plane] = 0.5 * (a - b + c);
      heap[base + 3 * plane] = c;
    }
  }
}

/** Tiles per chunk (env NETSMITH_WINOGRAD_TILES overrides, for tuning). */
function chunkTiles(): number {
  const env = Number(process.env.NETSMITH_WINOGRAD_TILES);
  return Number.isFinite(env) && env > 0 ? env : 64;
}

/**
 * The 2×2-output tile grid over an [oh, ow] output and x copied, zero-padded, into the [n, hp, wp, ci] frame the
 * 4×4 input tiles read (hp = 2·th + 2). Shared by the forward/input-gradient and the filter-gradient kernels.
 */
export function paddedTiles(backend: BackendWasm, x: TensorInfo, oh: number, ow: number, top: number, left: number) {
  const [n, h, w, ci] = x.shape;
  const th = Math.ceil(oh / 2);
  const tw = Math.ceil(ow / 2);
  const hp = 2 * th + 2;
  const wp = 2 * tw + 2;
  const k = simdKernels(backend);
  const padded = backend.makeOutput([n, hp, wp, ci], 'float32');
  k.zero(ptr(backend, padded), n * hp * wp * ci);
  k.phaseScatter(ptr(backend, x), ptr(backend, padded), n, h, w, ci, hp, wp, 1, 1, top, left);
  return { padded, th, tw, hp, wp };
}

/** x: [n, h, w, ci] (unpadded), filter [3, 3, ci, co]; pads >= 0. Callers check winogradApplies. */
export function winogradConv(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, o: ConvOptions): TensorInfo {
  const [n, , , ci] = x.shape;
  const co = filter.shape[3];
  const size = outSize(x, o);
  if (size == null) throw new Error('winogradConv: negative padding');
  const [oh, ow] = size;
  const k = simdKernels(backend);
  const { padded, th, tw, hp, wp } = paddedTiles(backend, x, oh, ow, o.pads.top, o.pads.left);

  const rowsPerChunk = Math.max(1, Math.round(chunkTiles() / tw));
  const tcMax = rowsPerChunk * tw;
  const u = backend.makeOutput([16, ci, co], 'float32');
  // Plane strides padded by 64 bytes: 16 planes a power of two apart would share cache sets.
  const vStride = tcMax * ci + 16;
  const mStride = tcMax * co + 16;
  const v = backend.makeOutput([16 * vStride], 'float32');
  const m = backend.makeOutput([16 * mStride], 'float32');
  const out = backend.makeOutput([n, oh, ow, co], 'float32');
  transformFilter(new Float32Array(memoryOf(backend).buffer), ptr(backend, filter) / 4, ptr(backend, u) / 4, ci, co);

  const wk = winogradKernels(backend, { ci, co, hp, wp, oh, ow, vStride, mStride, bias: o.bias != null, relu: o.relu ?? false });
  const [px, pv, pu, pm, po] = [ptr(backend, padded), ptr(backend, v), ptr(backend, u), ptr(backend, m), ptr(backend, out)];
  const pb = o.bias == null ? 0 : ptr(backend, o.bias);
  const rows = n * th;
  for (let r0 = 0; r0 < rows; r0 += rowsPerChunk) {
    const r1 = Math.min(rows, r0 + rowsPerChunk);
    const tc = (r1 - r0) * tw;
    wk.inputTransform(px, pv, r0, r1);
    // M[k] = V[k] . U[k], k < 16 (one call each: the planes are not dense).
    for (let t = 0; t < 16; t++) k.matmul(pv + 4 * t * vStride, pu + 4 * t * ci * co, pm + 4 * t * mStride, 1, tc, ci, co, 0, ci, 1, 0);
    wk.outputTransform(pm, po, pb, r0, r1);
  }
  backend.disposeData(padded.dataId);
  backend.disposeData(u.dataId);
  backend.disposeData(v.dataId);
  backend.disposeData(m.dataId);
  return out;
}
