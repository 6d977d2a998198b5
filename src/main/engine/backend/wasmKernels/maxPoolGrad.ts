// tfjs-wasm's MaxPoolGrad revisits every window per input pixel (a third of
// LeNet's step time) and starts its max search at FLT_MIN, which misroutes
// gradients of windows whose values are all <= 0. Ours scans each window
// once, 4 channels per SIMD lane group, and routes dy to the first maximum.
import { backend_util, type KernelConfig, type MaxPoolGradAttrs, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, release, run, runOriginal } from './kernelUtil';
import { ptr, simdKernels } from './simd/module';

export function maxPoolGrad(backend: BackendWasm, dy: TensorInfo, x: TensorInfo, info: backend_util.Conv2DInfo): TensorInfo {
  const [n, h, w, c] = x.shape;
  const c4 = Math.ceil(c / 4) * 4;
  // Odd channel counts are padded to a multiple of 4 and sliced back.
  const padC = (t: TensorInfo) => run(backend, 'PadV2', { x: t }, { paddings: [[0, 0], [0, 0], [0, 0], [0, c4 - c]], constantValue: 0 });
  const xp = c4 === c ? x : padC(x);
  const dyp = c4 === c ? dy : padC(dy);
  const dx = backend.makeOutput([n, h, w, c4], 'float32');
  simdKernels(backend).maxPoolGrad(
    ptr(backend, xp), ptr(backend, dyp), ptr(backend, dx), n, h, w, c4, dy.shape[1], dy.shape[2],
    info.effectiveFilterHeight, info.effectiveFilterWidth, info.strideHeight, info.strideWidth, info.padInfo.top, info.padInfo.left);
  if (c4 === c) return dx;
  const sliced = run(backend, 'Slice', { x: dx }, { begin: [0, 0, 0, 0], size: [n, h, w, c] });
  release(backend, xp, dyp, dx);
  return sliced;
}

export const maxPoolGradConfig: KernelConfig = {
  kernelName: 'MaxPoolGrad',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const dy = input(inputs, 'dy');
    const x = input(inputs, 'input');
    const { filterSize, strides, pad, dimRoundingMode } = attrs as unknown as MaxPoolGradAttrs;
    if (x.dtype !== 'float32') return runOriginal(backend as BackendWasm, 'MaxPoolGrad', inputs, attrs as NamedAttrMap);
    const info = backend_util.computePool2DInfo(x.shape as [number, number, number, number], filterSize, strides, 1, pad, dimRoundingMode);
    return maxPoolGrad(backend as BackendWasm, dy, x, info);
  },
};
