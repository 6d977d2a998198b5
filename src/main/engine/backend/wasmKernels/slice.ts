// Slice as block copies on the wasm heap: the innermost dimensions the slice
// keeps whole are one contiguous run, copied with TypedArray.set (a memcpy)
// per position of the outer dimensions. tfjs-wasm's own Slice walks
// non-contiguous slices element by element: 11 ms for the [64,34,34,32] ->
// [64,32,32,32] slice that a padding layer's gradient takes (ResNet stems).
import { slice_util, util, type KernelConfig, type SliceAttrs, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, runOriginal } from './kernelUtil';

type Heap = Float32Array | Int32Array | Uint8Array;

/** Copies the box [begin, begin + size) of `src` (shape `shape`) into dense `dst`. */
export function sliceInto(dst: Heap, src: Heap, shape: number[], begin: number[], size: number[]): void {
  const rank = shape.length;
  if (rank === 0) {
    dst[0] = src[0];
    return;
  }
  // Merge trailing dimensions taken whole into one contiguous run.
  let inner = rank - 1;
  let run = size[inner];
  while (inner > 0 && size[inner] === shape[inner] && begin[inner] === 0) {
    inner--;
    run *= size[inner];
  }
  const strides = util.computeStrides(shape);
  const stride = (d: number) => (d === rank - 1 ? 1 : strides[d]);
  let d = 0;
  const walk = (dim: number, s: number): void => {
    if (dim === inner) {
      const from = s + begin[dim] * stride(dim);
      dst.set(src.subarray(from, from + run), d);
      d += run;
      return;
    }
    const st = stride(dim);
    for (let i = 0; i < size[dim]; i++) walk(dim + 1, s + (begin[dim] + i) * st);
  };
  walk(0, 0);
}

export const sliceConfig: KernelConfig = {
  kernelName: 'Slice',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const x = input(inputs, 'x');
    const b = backend as BackendWasm;
    const a = attrs as unknown as SliceAttrs;
    if (x.dtype === 'string' || x.dtype === 'complex64') return runOriginal(b, 'Slice', { x }, attrs as never);
    const [begin, size] = slice_util.parseSliceParams(x as never, a.begin, a.size);
    const out: TensorInfo = b.makeOutput(size, x.dtype);
    if (util.sizeFromShape(size) > 0) sliceInto(b.typedArrayFromHeap(out) as Heap, b.typedArrayFromHeap(x) as Heap, x.shape, begin, size);
    return out;
  },
};
