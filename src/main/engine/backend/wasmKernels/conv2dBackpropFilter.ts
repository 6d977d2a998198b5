// dW[kh,kw,ci,co] = sum over n,oy,ox of x[n, oy*s + kh*d - pad, ..., ci] * dy[n, oy, ox, co]
// is a forward conv of x with batch and channel axes swapped ([Ci, H, W, N])
// by dy used as the filter ([OH, OW, N, Co]), with the roles of stride and
// dilation exchanged. XNNPACK runs it as fast as a forward conv.
import { backend_util, type Conv2DBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convExplicit, release, transpose } from './kernelUtil';

export function conv2dBackpropFilter(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
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
    const { x, dy } = inputs;
    const { strides, pad, dataFormat, dimRoundingMode, filterShape } = attrs as unknown as Conv2DBackpropFilterAttrs;
    if (backend_util.convertConv2DDataFormat(dataFormat) !== 'channelsLast') {
      throw new Error('wasm Conv2DBackpropFilter supports only NHWC (channelsLast)');
    }
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, 1, pad, dimRoundingMode);
    return conv2dBackpropFilter(backend as BackendWasm, x, dy, info);
  },
};
