// Same construction as conv2dBackpropInput, as a depthwise conv: dy's C*M
// channels each meet their own reversed filter tap, then the M multiplier
// channels of every input channel are summed.
import { backend_util, type DepthwiseConv2dNativeBackpropInputAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { transposedConvPads } from './conv2dBackpropInput';
import { convExplicit, input, insertZeros, release, reshape, reverseSpatial, run } from './kernelUtil';

export function depthwiseBackpropInput(backend: BackendWasm, dy: TensorInfo, filter: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [kh, kw, c, m] = filter.shape;
  const [n, oh, ow] = dy.shape;
  const reversed = reverseSpatial(backend, filter);
  const perChannel = reshape(backend, reversed, [kh, kw, c * m, 1]);
  const dyUp = insertZeros(backend, dy, [info.strideHeight, info.strideWidth]);
  const dxm = convExplicit(backend, dyUp, perChannel, {
    pads: transposedConvPads(info, oh, ow),
    strides: [1, 1],
    dilations: [info.dilationHeight, info.dilationWidth],
    depthwise: true,
  });
  release(backend, reversed, perChannel, dyUp);
  if (m === 1) return dxm;
  const split = reshape(backend, dxm, [n, info.inHeight, info.inWidth, c, m]);
  const dx = run(backend, 'Sum', { x: split }, { axis: [4], keepDims: false });
  release(backend, dxm, split);
  return dx;
}

export const depthwiseBackpropInputConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropInput',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const dy = input(inputs, 'dy');
    const filter = input(inputs, 'filter');
    const { strides, dilations, pad, dimRoundingMode, inputShape } = attrs as unknown as DepthwiseConv2dNativeBackpropInputAttrs;
    const info = backend_util.computeConv2DInfo(
      inputShape, filter.shape as [number, number, number, number], strides, dilations, pad, dimRoundingMode, true);
    return depthwiseBackpropInput(backend as BackendWasm, dy, filter, info);
  },
};
