// FusedBatchNorm with parameters that repeat along x: per-channel BatchNorm
// ([C] or [1,1,1,C]) and tfjs-layers' LayerNorm, which tiles its parameters
// to x's full shape. tfjs-wasm broadcasts them element by element (~15 ns
// per element); our SIMD kernel walks x in blocks of the parameters' size.
import { type FusedBatchNormAttrs, type KernelConfig, type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { trailingPeriod } from './binary';
import { input, runOriginal } from './kernelUtil';
import { ptr, simdKernels } from './simd/module';

export const batchNormConfig: KernelConfig = {
  kernelName: 'FusedBatchNorm',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const wasm = backend as BackendWasm;
    const x = input(inputs, 'x');
    const { varianceEpsilon } = attrs as unknown as FusedBatchNormAttrs;
    const params = ['mean', 'variance', 'offset', 'scale'].map((k) => inputs[k]);
    const n = util.sizeFromShape(x.shape);
    const periods = params.map((p) => (p == null || p.dtype !== 'float32' ? 0 : trailingPeriod(x.shape, p.shape)));
    const per = periods[0];
    const uniform = per > 0 && n % per === 0 && periods.every((q) => q === per);
    if (x.dtype !== 'float32' || !uniform) return runOriginal(wasm, 'FusedBatchNorm', inputs, attrs as NamedAttrMap);
    const [mean, variance, offset, scale] = params as TensorInfo[];
    const out = wasm.makeOutput(x.shape, 'float32');
    simdKernels(wasm).batchNorm(ptr(wasm, x), ptr(wasm, mean), ptr(wasm, variance), ptr(wasm, offset), ptr(wasm, scale),
      ptr(wasm, out), n, per, varianceEpsilon);
    return out;
  },
};
