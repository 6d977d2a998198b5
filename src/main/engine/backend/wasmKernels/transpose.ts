// tfjs-wasm's Transpose is a per-element loop that costs ~100 ns per element
// for rank-5 permutations (multi-head attention's [B,T,3,H,d] split). Ours
// drops size-1 axes, merges axes that stay adjacent, and runs one SIMD
// kernel that turns a unit innermost stride into block copies.
import { type KernelConfig, type NamedAttrMap, type TensorInfo, type TransposeAttrs, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, reshape, runOriginal } from './kernelUtil';
import { ptr, simdKernels } from './simd/module';
import { TRANSPOSE_RANK } from './simd/kernels';

/** Output dims and the input element stride of each, after dropping size-1 axes and merging adjacent ones. */
export function simplifyTranspose(shape: number[], perm: number[]): { dims: number[]; strides: number[] } {
  const strides = shape.map((_, a) => util.sizeFromShape(shape.slice(a + 1)));
  const groups: number[][] = [];
  for (const a of perm) {
    if (shape[a] === 1) continue;
    const g = groups[groups.length - 1];
    if (g != null && g[g.length - 1] + 1 === a) g.push(a);
    else groups.push([a]);
  }
  return {
    dims: groups.map((g) => util.sizeFromShape(g.map((a) => shape[a]))),
    strides: groups.map((g) => strides[g[g.length - 1]]),
  };
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo | null {
  if (x.dtype !== 'float32' && x.dtype !== 'int32') return null;
  const outShape = perm.map((a) => x.shape[a]);
  const { dims, strides } = simplifyTranspose(x.shape, perm);
  if (dims.length <= 1) return reshape(backend, x, outShape); // only size-1 axes move: same data
  if (dims.length > TRANSPOSE_RANK) return null;
  const lead = TRANSPOSE_RANK - dims.length;
  const out = backend.makeOutput(outShape, x.dtype);
  simdKernels(backend).transpose(ptr(backend, x), ptr(backend, out),
    ...Array<number>(lead).fill(1), ...dims, ...Array<number>(lead).fill(0), ...strides);
  return out;
}

export const transposeConfig: KernelConfig = {
  kernelName: 'Transpose',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { perm } = attrs as unknown as TransposeAttrs;
    return transpose(backend as BackendWasm, input(inputs, 'x'), perm) ??
      runOriginal(backend as BackendWasm, 'Transpose', inputs, attrs as NamedAttrMap);
  },
};
