// Tile as block copies on the wasm heap: each innermost row of x is copied
// once, then every tiled dimension is filled by doubling copyWithin (a
// memmove), instead of tfjs-wasm's per-element index arithmetic.
import { util, type KernelConfig, type TensorInfo, type TileAttrs } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, runOriginal } from './kernelUtil';

type Heap = Float32Array | Int32Array | Uint8Array;

/** Copies [from, from+len) to follow itself until `times` copies exist. */
function replicate(a: Heap, from: number, len: number, times: number): void {
  let have = 1;
  while (have < times) {
    const n = Math.min(have, times - have);
    a.copyWithin(from + have * len, from, from + n * len);
    have += n;
  }
}

export function tileInto(dst: Heap, src: Heap, shape: number[], reps: number[]): void {
  const rank = shape.length;
  const outShape = shape.map((d, i) => d * reps[i]);
  const srcStrides = util.computeStrides(shape);
  const dstStrides = util.computeStrides(outShape);
  const fill = (dim: number, s: number, d: number): void => {
    if (dim === rank - 1) {
      const len = shape[dim];
      if (len === 1) dst.fill(src[s], d, d + reps[dim]);
      else {
        dst.set(src.subarray(s, s + len), d);
        replicate(dst, d, len, reps[dim]);
      }
      return;
    }
    const ss = srcStrides[dim];
    const ds = dstStrides[dim];
    for (let j = 0; j < shape[dim]; j++) fill(dim + 1, s + j * ss, d + j * ds);
    replicate(dst, d, shape[dim] * ds, reps[dim]);
  };
  if (rank === 0 || util.sizeFromShape(outShape) === 0) {
    if (rank === 0) dst[0] = src[0];
    return;
  }
  fill(0, 0, 0);
}

export function tile(backend: BackendWasm, x: TensorInfo, reps: number[]): TensorInfo {
  if (x.dtype === 'string' || x.dtype === 'complex64') return runOriginal(backend, 'Tile', { x }, { reps });
  const out = backend.makeOutput(x.shape.map((d, i) => d * reps[i]), x.dtype);
  tileInto(backend.typedArrayFromHeap(out) as Heap, backend.typedArrayFromHeap(x) as Heap, x.shape, reps);
  return out;
}

export const tileConfig: KernelConfig = {
  kernelName: 'Tile',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => tile(backend as BackendWasm, input(inputs, 'x'), (attrs as unknown as TileAttrs).reps),
};
