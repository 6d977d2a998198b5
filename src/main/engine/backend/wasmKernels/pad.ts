// PadV2 as block copies on the wasm heap: fill with the constant, then copy
// x's contiguous runs (its innermost dimensions that are not padded) into
// place with TypedArray.set, instead of tfjs-wasm's element-wise loop.
import { util, type KernelConfig, type PadV2Attrs, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, runOriginal } from './kernelUtil';

type Heap = Float32Array | Int32Array | Uint8Array;

/** Writes x (shape `shape`) into dst (x's shape grown by `paddings`), which the caller has filled. */
export function padInto(dst: Heap, src: Heap, shape: number[], paddings: [number, number][]): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  const outShape = shape.map((d, i) => d + paddings[i][0] + paddings[i][1]);
  let inner = rank - 1;
  let run = shape[inner];
  while (inner > 0 && paddings[inner][0] === 0 && paddings[inner][1] === 0) {
    inner--;
    run *= shape[inner];
  }
  const outStrides = util.computeStrides(outShape);
  const stride = (d: number) => (d === rank - 1 ? 1 : outStrides[d]);
  let s = 0;
  const walk = (dim: number, d: number): void => {
    if (dim === inner) {
      dst.set(src.subarray(s, s + run), d + paddings[dim][0] * stride(dim));
      s += run;
      return;
    }
    const st = stride(dim);
    for (let i = 0; i < shape[dim]; i++) walk(dim + 1, d + (paddings[dim][0] + i) * st);
  };
  walk(0, 0);
}

export const padV2Config: KernelConfig = {
  kernelName: 'PadV2',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = input(inputs, 'x');
    const b = backend as BackendWasm;
    const { paddings, constantValue } = attrs as unknown as PadV2Attrs;
    if (x.dtype === 'string' || x.dtype === 'complex64' || paddings.some(([lo, hi]) => lo < 0 || hi < 0)) {
      return runOriginal(b, 'PadV2', { x }, attrs as never);
    }
    const out: TensorInfo = b.makeOutput(x.shape.map((d, i) => d + paddings[i][0] + paddings[i][1]), x.dtype);
    const dst = b.typedArrayFromHeap(out) as Heap;
    dst.fill(constantValue);
    if (util.sizeFromShape(x.shape) > 0) padInto(dst, b.typedArrayFromHeap(x) as Heap, x.shape, paddings);
    return out;
  },
};
