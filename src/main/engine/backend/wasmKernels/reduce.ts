// Sum / Mean over leading axes (BatchNorm statistics and their gradients,
// bias gradients: NHWC reduced over N, H, W). tfjs-wasm transposes the
// reduced axes to the end first; a SIMD column sum reads x once instead.
import { type KernelConfig, type NamedAttrMap, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, runOriginal } from './kernelUtil';
import { ptr, simdKernels } from './simd/module';

/** Number of leading axes reduced, or 0 when `axis` is not a proper prefix of x's axes. */
function leadingAxes(shape: number[], axis: number | number[]): number {
  const axes = util.parseAxisParam(axis, shape).sort((a, b) => a - b);
  if (axes.length === 0 || axes.length >= shape.length) return 0;
  return axes.every((a, i) => a === i) ? axes.length : 0;
}

export function reduceLeading(backend: BackendWasm, x: TensorInfo, lead: number, keepDims: boolean, mean: boolean): TensorInfo {
  const rows = util.sizeFromShape(x.shape.slice(0, lead));
  const cols = util.sizeFromShape(x.shape.slice(lead));
  const outShape = keepDims ? x.shape.map((d, i) => (i < lead ? 1 : d)) : x.shape.slice(lead);
  const out = backend.makeOutput(outShape, 'float32');
  simdKernels(backend).colsum(ptr(backend, x), ptr(backend, out), rows, cols);
  if (mean && rows > 0) {
    const v = backend.typedArrayFromHeap(out);
    for (let i = 0; i < v.length; i++) v[i] /= rows;
  }
  return out;
}

function config(kernelName: 'Sum' | 'Mean'): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend, attrs }) => {
      const { axis, keepDims } = attrs as unknown as { axis: number | number[]; keepDims: boolean };
      const x = input(inputs, 'x');
      const lead = x.dtype === 'float32' ? leadingAxes(x.shape, axis) : 0;
      if (lead === 0) return runOriginal(backend as BackendWasm, kernelName, inputs, attrs as NamedAttrMap);
      return reduceLeading(backend as BackendWasm, x, lead, keepDims, kernelName === 'Mean');
    },
  };
}

export const sumConfig = config('Sum');
export const meanConfig = config('Mean');
