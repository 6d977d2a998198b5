// dW[kh,kw,c,m] = sum over n,oy,ox of patch[n,oy,ox,c,(kh,kw)] * dy[n,oy,ox,c*M+m].
// The patches come from one depthwise conv with a one-hot filter (an exact
// copy, since every output is 1.0 times one input), then one broadcast
// multiply and one sum over the pixels.
import { backend_util, type DepthwiseConv2dNativeBackpropFilterAttrs, type KernelConfig, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convExplicit, input, release, reshape, run, transpose } from './kernelUtil';

function oneHotFilter(backend: BackendWasm, kh: number, kw: number, c: number): TensorInfo {
  const taps = kh * kw;
  const values = new Float32Array(taps * c * taps);
  for (let t = 0; t < taps; t++) {
    for (let ch = 0; ch < c; ch++) values[(t * c + ch) * taps + t] = 1;
  }
  return backend.makeOutput([kh, kw, c, taps], 'float32', undefined, values);
}

export function depthwiseBackpropFilter(backend: BackendWasm, x: TensorInfo, dy: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const { filterHeight: kh, filterWidth: kw, inChannels: c, outChannels } = info;
  const m = outChannels / c;
  const taps = kh * kw;
  const [n, oh, ow] = dy.shape;
  const pixels = n * oh * ow;
  const oneHot = oneHotFilter(backend, kh, kw, c);
  const { top, left } = info.padInfo;
  const [, h, w] = x.shape;
  // Bottom/right pads from dy's size: tfjs sizes numeric-pad outputs with the
  // filter height on both axes, so padInfo alone can disagree with dy.
  const patches = convExplicit(backend, x, oneHot, {
    pads: {
      top,
      left,
      bottom: (oh - 1) * info.strideHeight + (kh - 1) * info.dilationHeight + 1 - h - top,
      right: (ow - 1) * info.strideWidth + (kw - 1) * info.dilationWidth + 1 - w - left,
    },
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    depthwise: true,
  });
  const p4 = reshape(backend, patches, [pixels, c, taps, 1]);
  const dy4 = reshape(backend, dy, [pixels, c, 1, m]);
  const prod = run(backend, 'Multiply', { a: p4, b: dy4 });
  const summed = run(backend, 'Sum', { x: prod }, { axis: [0], keepDims: false }); // [c, taps, m]
  const tapsFirst = transpose(backend, summed, [1, 0, 2]);
  const dW = reshape(backend, tapsFirst, [kh, kw, c, m]);
  release(backend, oneHot, patches, p4, dy4, prod, summed, tapsFirst);
  return dW;
}

export const depthwiseBackpropFilterConfig: KernelConfig = {
  kernelName: 'DepthwiseConv2dNativeBackpropFilter',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = input(inputs, 'x');
    const dy = input(inputs, 'dy');
    const { strides, dilations, pad, dimRoundingMode, filterShape } = attrs as unknown as DepthwiseConv2dNativeBackpropFilterAttrs;
    const info = backend_util.computeConv2DInfo(
      x.shape as [number, number, number, number], filterShape, strides, dilations, pad, dimRoundingMode, true);
    return depthwiseBackpropFilter(backend as BackendWasm, x, dy, info);
  },
};
