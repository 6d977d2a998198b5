// dW[kh,kw,ci,co] = sum over n,oy,ox of x[n, oy*s + kh*d - pad, ..., ci] * dy[n, oy, ox, co].
// Main path: our SIMD kernel reads x and dy in place (NHWC). Fallback (no
// wasm SIMD): a forward conv of x with batch and channel axes swapped
// ([Ci, H, W, N]) by dy as the filter ([OH, OW, N, Co]), stride and dilation
// exchanged; correct, but XNNPACK re-packs the large "filter" on every call.
import { backend_util, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convExplicit, input, release, run, transpose } from './kernelUtil';
import { ptr, simdKernels, simdSupported } from './simd/module';
import { winogradConvFilter, winogradFilterApplies } from './winogradFilter';

const roundUp = (v: number, m: number) => Math.ceil(v / m) * m;

function padChannels(backend: BackendWasm, t: TensorInfo, to: number): TensorInfo {
  const c = t.shape[3];
  if (c === to) return t;
  return run(backend, 'PadV2', { x: t }, { paddings: [[0, 0], [0, 0], [0, 0], [0, to - c]], constantValue: 0 });
}

/** SIMD kernel; channel counts are padded to its tile sizes (ci to 4, co to 4 or 8) and sliced back. */
export function conv2dBackpropFilterSimd(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [n, h, w, ci] = x.shape;
  const [, oh, ow, co] = dy.shape;
  const ci4 = roundUp(ci, 4);
  const coVecs = co % 8 === 0 || co > 4 ? 2 : 1;
  const coT = roundUp(co, 4 * coVecs);
  const xp = padChannels(backend, x, ci4);
  const dyp = padChannels(backend, dy, coT);
  const { filterHeight: kh, filterWidth: kw } = info;
  const dW = backend.makeOutput([kh, kw, ci4, coT], 'float32');
  const k = simdKernels(backend);
  const rows = blockRows(w * ci4 * 4, ow * coT * 4, info);
  (coVecs === 2 ? k.convBackpropFilter2 : k.convBackpropFilter1)(
    ptr(backend, xp), ptr(backend, dyp), ptr(backend, dW), n, h, w, ci4, oh, ow, coT, kh, kw,
    info.strideHeight, info.strideWidth, info.dilationHeight, info.dilationWidth, info.padInfo.top, info.padInfo.left, rows);
  if (xp !== x) release(backend, xp);
  if (dyp !== dy) release(backend, dyp);
  if (ci4 === ci && coT === co) return dW;
  const sliced = run(backend, 'Slice', { x: dW }, { begin: [0, 0, 0, 0], size: [kh, kw, ci, co] });
  release(backend, dW);
  return sliced;
}

/**
 * blockBytes: bytes of x and dy rows that one block may touch, most of a 32 KiB L1 data cache (env
 * NETSMITH_DW_BLOCK_BYTES overrides; tests shrink it to exercise many blocks).
 */
export const dwTuning = { blockBytes: Number(process.env.NETSMITH_DW_BLOCK_BYTES) || 24 * 1024 };

/**
 * Output rows per block of the SIMD kernel: R rows of dy and the (R - 1)·sh + (kh - 1)·dh + 1 rows of x
 * they read fit in dwTuning.blockBytes (at least 1). On [64,32,32,32] 3x3 this took the kernel from
 * ~29 to ~23.5 ms (min of 10, CPU time) against whole images per pass.
 */
export function blockRows(xRowBytes: number, dyRowBytes: number, info: Pick<backend_util.Conv2DInfo, 'strideHeight' | 'filterHeight' | 'dilationHeight' | 'outHeight'>): number {
  const halo = ((info.filterHeight - 1) * info.dilationHeight + 1 - info.strideHeight) * xRowBytes;
  const rows = Math.floor((dwTuning.blockBytes - halo) / (info.strideHeight * xRowBytes + dyRowBytes));
  return Math.max(1, Math.min(info.outHeight, rows));
}

export function conv2dBackpropFilter(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  if (winogradFilterApplies(x, dy, info)) return winogradConvFilter(backend, x, dy, info);
  return simdSupported() ? conv2dBackpropFilterSimd(backend, x, dy, info) : conv2dBackpropFilterXnn(backend, x, dy, info);
}

export function conv2dBackpropFilterXnn(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw } = info;
  const [, h, w] = x.shape;
  const [, oh, ow] = dy.shape;
  const { top, left } = info.padInfo;
  const xT = transpose(backend, x, [3, 1, 2, 0]);
  const dyT = transpose(backend, dy, [1, 2, 0, 3]);
  const out = convExplicit(backend, xT, dyT, {
    pads: { top, left, bottom: (kh - 1) * dh + (oh - 1) * sh + 1 - h - top, right: (kw - 1) * dw + (ow - 1) * sw + 1 - w - left },
    strides: [dh, dw],
    dilations: [sh, sw],
  });
  const dW = transpose(backend, out, [1, 2, 0, 3]);
  release(backend, xT, dyT, out);
  return dW;
}

export const conv2dBackpropFilterConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = input(inputs, 'x');
    const dy = input(inputs, 'dy');
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
      throw new Error('wasm Conv2DBackpropFilter supports only NHWC (channelsLast)');
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
    return conv2dBackpropFilter(backend as BackendWasm, x, dy, info);
  },
};
