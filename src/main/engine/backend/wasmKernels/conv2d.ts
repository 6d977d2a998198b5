// Forward Conv2D / FusedConv2D on our generated direct-conv kernel (with FMA
// it beats XNNPACK's wasm GEMM), bias and relu fused into the stores. Other
// activations, NCHW, and output channel counts that do not fit the kernel's
// tile stay on tfjs-wasm's XNNPACK kernels.
import { backend_util, type Conv2DAttrs, type FusedConv2DAttrs, type KernelConfig, type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { convExplicit, directConvApplies, input, runOriginal } from './kernelUtil';

function forward(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, attrs: Conv2DAttrs, bias?: TensorInfo, relu = false): TensorInfo {
  const info = backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number], filter.shape as [number, number, number, number],
    attrs.strides, attrs.dilations, attrs.pad, attrs.dimRoundingMode);
  const { top, left } = info.padInfo;
  const [, h, w] = x.shape;
  // Bottom/right pads from the output size tfjs expects (see depthwiseBackpropFilter).
  return convExplicit(backend, x, filter, {
    pads: {
      top,
      left,
      bottom: (info.outHeight - 1) * info.strideHeight + (info.filterHeight - 1) * info.dilationHeight + 1 - h - top,
      right: (info.outWidth - 1) * info.strideWidth + (info.filterWidth - 1) * info.dilationWidth + 1 - w - left,
    },
    strides: [info.strideHeight, info.strideWidth],
    dilations: [info.dilationHeight, info.dilationWidth],
    bias,
    relu,
  });
}

const nhwc = (attrs: Conv2DAttrs) => backend_util.convertConv2DDataFormat(attrs.dataFormat) === 'channelsLast';

export const conv2dConfig: KernelConfig = {
  kernelName: 'Conv2D',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as Conv2DAttrs;
    const x = input(inputs, 'x');
    const filter = input(inputs, 'filter');
    if (!nhwc(a) || x.dtype !== 'float32' || !directConvApplies(filter, {})) {
      return runOriginal(backend as BackendWasm, 'Conv2D', inputs, attrs as NamedAttrMap);
    }
    return forward(backend as BackendWasm, x, filter, a);
  },
};

export const fusedConv2dConfig: KernelConfig = {
  kernelName: 'FusedConv2D',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const a = attrs as unknown as FusedConv2DAttrs;
    const x = input(inputs, 'x');
    const filter = input(inputs, 'filter');
    const bias = inputs.bias;
    const co = filter.shape[3];
    const biasOk = bias == null || (bias.dtype === 'float32' && util.sizeFromShape(bias.shape) === co);
    const activationOk = a.activation === 'linear' || a.activation === 'relu';
    if (!nhwc(a) || x.dtype !== 'float32' || !biasOk || !activationOk || !directConvApplies(filter, {})) {
      return runOriginal(backend as BackendWasm, 'FusedConv2D', inputs, attrs as NamedAttrMap);
    }
    return forward(backend as BackendWasm, x, filter, a, bias ?? undefined, a.activation === 'relu');
  },
};
