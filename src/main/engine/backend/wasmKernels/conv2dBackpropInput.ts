// dx is a stride-1 forward conv of dy (with stride-1 zeros inserted between
// its pixels) by the spatially reversed filter with in/out channels swapped.
// Replaces tfjs-wasm's own Conv2DBackpropInput, a scalar loop ~10x slower
// than XNNPACK.
import { backend_util, type Conv2DBackpropInputAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convExplicit, insertZeros, release, reverseSpatial, transpose } from './kernelUtil';

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

export function conv2dBackpropInput(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [, oh, ow] = dy.shape;
  const reversed = reverseSpatial(backend, filter);
  const swapped = transpose(backend, reversed, [0, 1, 3, 2]);
  const dyUp = insertZeros(backend, dy, [info.strideHeight, info.strideWidth]);
  const dx = convExplicit(backend, dyUp, swapped, {
    pads: transposedConvPads(info, oh, ow),
    strides: [1, 1],
    dilations: [info.dilationHeight, info.dilationWidth],
  });
  release(backend, reversed, swapped, dyUp);
  return dx;
}

export const conv2dBackpropInputConfig: KernelConfig = {
  kernelName: 'Conv2DBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { dy, filter } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, inputShape } = attrs as unknown as Conv2DBackpropInputAttrs;
    if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
      throw new Error('wasm Conv2DBackpropInput supports only NHWC (channelsLast)');
    }
    const info = backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, 1, pad, dimRoundingMode);
    return conv2dBackpropInput(backend as BackendWasm, dy, filter, info);
  },
};
