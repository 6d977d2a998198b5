// Add / Sub / Multiply / RealDiv where one operand repeats along the other:
// per-channel tensors ([C], [1,1,1,C]) against NHWC activations, as in
// BatchNorm's gradient. tfjs-wasm broadcasts these element by element; our
// SIMD kernel walks the big operand in blocks of the small one's size.
import { type KernelConfig, type TensorInfo, util } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { input, runOriginal } from './kernelUtil';
import type { BinaryOp } from './simd/kernels';
import { ptr, simdKernels } from './simd/module';

/** Size of `small`'s repeating block if it matches `big`'s trailing dims (leading 1s ignored), else 0. */
export function trailingPeriod(big: number[], small: number[]): number {
  const dims = [...small];
  while (dims.length > 1 && dims[0] === 1) dims.shift();
  if (dims.length > big.length) return 0;
  const tail = big.slice(big.length - dims.length);
  return tail.every((d, i) => d === dims[i]) ? util.sizeFromShape(dims) : 0;
}

function periodic(backend: BackendWasm, op: BinaryOp, a: TensorInfo, b: TensorInfo): TensorInfo | null {
  if (a.dtype !== 'float32' || b.dtype !== 'float32') return null;
  const na = util.sizeFromShape(a.shape);
  const nb = util.sizeFromShape(b.shape);
  if (na === nb) return null; // same shape: tfjs-wasm's own loop is fine
  const [big, small, smallFirst] = na > nb ? [a, b, false] : [b, a, true];
  if (big.shape.length < small.shape.length) return null;
  const period = trailingPeriod(big.shape, small.shape);
  if (period < 4) return null; // scalars and tiny periods: tfjs-wasm's paths
  const out = backend.makeOutput([...big.shape], 'float32');
  simdKernels(backend)[`${op}Periodic${smallFirst ? 'SB' : 'BS'}`](
    ptr(backend, big), ptr(backend, small), ptr(backend, out), util.sizeFromShape(big.shape), period);
  return out;
}

function config(kernelName: string, op: BinaryOp): KernelConfig {
  return {
    kernelName,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) =>
      periodic(backend as BackendWasm, op, input(inputs, 'a'), input(inputs, 'b')) ?? runOriginal(backend as BackendWasm, kernelName, inputs),
  };
}

export const binaryConfigs: KernelConfig[] = [
  config('Add', 'add'), config('Sub', 'sub'), config('Multiply', 'mul'), config('RealDiv', 'div'),
];
