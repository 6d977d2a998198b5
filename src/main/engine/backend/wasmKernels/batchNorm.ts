// FusedBatchNorm with parameters that repeat along x: per-channel BatchNorm
// ([C] or [1,1,1,C]) and tfjs-layers' LayerNorm, which tiles its parameters
// to x's full shape. tfjs-wasm broadcasts them element by element (~15 ns
// per element); our SIMD kernel walks x in blocks of the parameters' size.
import { type FusedBatchNormAttrs, type KernelConfig, type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { runOriginal } from './kernelUtil';
import { ptr, simdKernels } from './simd/module';

/** Size of the repeating block when `p` matches x's trailing dims (leading 1s ignored); 0 otherwise. */
function period(x: TensorInfo, p: TensorInfo): number {
  const dims = [...p.shape];
  while (dims.length > 0 && dims[0] === 1 && dims.length > 1) dims.shift();
  if (dims.length > x.shape.length) return 0;
  const tail = x.shape.slice(x.shape.length - dims.length);
  return tail.every((d, i) => d === dims[i]) ? util.sizeFromShape(dims) : 0;
}

export const batchNormConfig: KernelConfig = {
  kernelName: 'FusedBatchNorm',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const { x, mean, variance, offset, scale } = inputs;
    const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
    const params = [mean, variance, offset, scale];
    const n = util.sizeFromShape(x.shape);
    const periods = params.map((p) => (p == null ? 0 : period(x, p)));
    const per = periods[0];
    const uniform = per > 0 && n % per === 0 && periods.every((q) => q === per) && params.every((p) => p?.dtype === 'float32');
    if (x.dtype !== 'float32' || !uniform) return runOriginal(wasm, 'FusedBatchNorm', inputs, attrs as NamedAttrMap);
    const out = wasm.makeOutput(x.shape, 'float32');
    simdKernels(wasm).batchNorm(ptr(wasm, x), ptr(wasm, mean), ptr(wasm, variance), ptr(wasm, offset), ptr(wasm, scale),
      ptr(wasm, out), n, per, varianceEpsilon);
    return out;
  },
};
