// Gradient of gather / embedding lookups: out[seg[i]] += x[i], rows with an
// id outside [0, numSegments) are dropped (TensorFlow semantics). A plain
// loop over the wasm heap: one pass over x, no per-segment masks.
import { util, type KernelConfig, type TensorInfo, type UnsortedSegmentSumAttrs } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input } from './kernelUtil';

export function unsortedSegmentSum(backend: BackendWasm, x: TensorInfo, segmentIds: TensorInfo, numSegments: number): TensorInfo {
  const rows = util.sizeFromShape(segmentIds.shape);
  const inner = rows === 0 ? 0 : util.sizeFromShape(x.shape) / rows;
  const outShape = [numSegments, ...x.shape.slice(segmentIds.shape.length)];
  const dtype = x.dtype === 'int32' ? 'int32' : 'float32';
  const out = backend.makeOutput(outShape, dtype);
  // Views are taken after makeOutput, which may grow (and detach) the heap.
  const dst = backend.typedArrayFromHeap(out);
  const src = backend.typedArrayFromHeap(x);
  const ids = backend.typedArrayFromHeap(segmentIds);
  dst.fill(0);
  for (let r = 0; r < rows; r++) {
    const s = ids[r];
    if (s < 0 || s >= numSegments) continue;
    const from = r * inner;
    const to = s * inner;
    for (let k = 0; k < inner; k++) dst[to + k] += src[from + k];
  }
  return out;
}

export const unsortedSegmentSumConfig: KernelConfig = {
  kernelName: 'UnsortedSegmentSum',
  backendName: 'wasm',
  kernelFunc: ({ inputs, backend, attrs }) => {
    const { numSegments } = attrs as unknown as UnsortedSegmentSumAttrs;
    return unsortedSegmentSum(backend as BackendWasm, input(inputs, 'x'), input(inputs, 'segmentIds'), numSegments);
  },
};
