// dx of a conv is a "transposed conv" of dy. Replaces tfjs-wasm's own
// Conv2DBackpropInput, a scalar loop ~10x slower than XNNPACK.
//  - stride 1: one stride-1 forward conv of dy by the spatially reversed
//    filter with in/out channels swapped;
//  - stride s > 1: split dx into its s*s stride phases; each phase only meets
//    the filter taps of its own phase, so it is a stride-1 conv of dy (no
//    zeros inserted, no wasted multiplies), scattered back into dx;
//  - without wasm SIMD (no scatter kernel): zeros inserted into dy, then one
//    stride-1 conv.
import { backend_util, type Conv2DBackpropInputAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convExplicit, input, insertZeros, release, reverseSpatial, run, transpose } from './kernelUtil';
import { ptr, simdKernels, simdSupported } from './simd/module';

/** Padding of the zero-inserted dy (height OH*sh) that makes the stride-1 conv yield exactly H x W. */
export function transposedConvPads(info: backend_util.Conv2DInfo, oh: number, ow: number) {
  const { filterHeight: kh, filterWidth: kw, strideHeight: sh, strideWidth: sw, dilationHeight: dh, dilationWidth: dw, inHeight: h, inWidth: w } = info;
  const { top, left } = info.padInfo;
  return {
    top: (kh - 1) * dh - top,
    left: (kw - 1) * dw - left,
    bottom: h + top - oh * sh,
    right: w + left - ow * sw,
  };
}

/** The reversed, in/out-swapped filter of a transposed conv: [KH, KW, Ci, Co] -> [KH, KW, Co, Ci]. */
function transposedFilter(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const reversed = reverseSpatial(backend, filter);
  const swapped = transpose(backend, reversed, [0, 1, 3, 2]);
  release(backend, reversed);
  return swapped;
}

function viaZeroInsertion(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [, oh, ow] = dy.shape;
  const swapped = transposedFilter(backend, filter);
  const dyUp = insertZeros(backend, dy, [info.strideHeight, info.strideWidth]);
  const dx = convExplicit(backend, dyUp, swapped, {
    pads: transposedConvPads(info, oh, ow),
    strides: [1, 1],
    dilations: [info.dilationHeight, info.dilationWidth],
  });
  release(backend, swapped, dyUp);
  return dx;
}

/** Taps of one stride phase along one axis: first tap, tap count, and dy's row offset for output 0. */
function phaseTaps(r: number, pad: number, stride: number, k: number) {
  const first = (r + pad) % stride;
  const count = first < k ? Math.ceil((k - first) / stride) : 0;
  return { first, count, offset: (r + pad - first) / stride };
}

function viaPhases(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { strideHeight: sh, strideWidth: sw, filterHeight: kh, filterWidth: kw, inHeight: h, inWidth: w } = info;
  const [n, oh, ow] = dy.shape;
  const ci = filter.shape[2];
  const dx = backend.makeOutput([n, h, w, ci], 'float32');
  const k = simdKernels(backend);
  // Phases that meet no tap (kernel smaller than the stride, e.g. 1x1 stride 2) stay 0.
  if (kh < sh || kw < sw) k.zero(ptr(backend, dx), n * h * w * ci);
  for (let ry = 0; ry < sh && ry < h; ry++) {
    for (let rx = 0; rx < sw && rx < w; rx++) {
      const ty = phaseTaps(ry, info.padInfo.top, sh, kh);
      const tx = phaseTaps(rx, info.padInfo.left, sw, kw);
      const u = Math.ceil((h - ry) / sh);
      const v = Math.ceil((w - rx) / sw);
      if (ty.count === 0 || tx.count === 0) continue;
      const sub = run(backend, 'StridedSlice', { x: filter }, {
        begin: [ty.first, tx.first, 0, 0], end: [kh, kw, ci, filter.shape[3]], strides: [sh, sw, 1, 1],
        beginMask: 0, endMask: 0, ellipsisMask: 0, newAxisMask: 0, shrinkAxisMask: 0,
      });
      const swapped = transposedFilter(backend, sub);
      const top = ty.count - 1 - ty.offset;
      const left = tx.count - 1 - tx.offset;
      const phase = convExplicit(backend, dy, swapped, {
        pads: { top, left, bottom: u + ty.count - 1 - top - oh, right: v + tx.count - 1 - left - ow },
        strides: [1, 1],
        dilations: [1, 1],
      });
      k.phaseScatter(ptr(backend, phase), ptr(backend, dx), n, u, v, ci, h, w, sh, sw, ry, rx);
      release(backend, sub, swapped, phase);
    }
  }
  return dx;
}

export function conv2dBackpropInput(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const strided = info.strideHeight > 1 || info.strideWidth > 1;
  const dilated = info.dilationHeight > 1 || info.dilationWidth > 1;
  if (strided && !dilated && simdSupported()) return viaPhases(backend, dy, filter, info);
  return viaZeroInsertion(backend, dy, filter, info);
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const dy = input(inputs, 'dy');
    const filter = input(inputs, 'filter');
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
      throw new Error('wasm Conv2DBackpropInput supports only NHWC (channelsLast)');
    }
    const info = backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
    return conv2dBackpropInput(backend as BackendWasm, dy, filter, info);
  },
};
