// Assembles our SIMD kernels once per tfjs-wasm instance and binds them to its
// heap: the module imports the backend's own WebAssembly.Memory, so kernels
// read and write tensors in place (pointer = the tensor's memoryOffset).
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assemble } from './asm';
import { KERNEL_FUNCS } from './kernels';

type Kernel = (...args: number[]) => void;

export interface SimdKernels {
  colsum: Kernel;
  maxPoolGrad: Kernel;
  convBackpropFilter1: Kernel;
  convBackpropFilter2: Kernel;
  matmul: Kernel;
  zero: Kernel;
  phaseScatter: Kernel;
  transpose: Kernel;
  batchNorm: Kernel;
}

const bound = new WeakMap<BackendWasm, SimdKernels>();

function memoryOf(backend: BackendWasm): WebAssembly.Memory {
  const asm = (backend.wasm as unknown as { asm?: { memory?: WebAssembly.Memory } }).asm;
  if (!(asm?.memory instanceof WebAssembly.Memory)) throw new Error('tfjs-wasm does not export its memory');
  return asm.memory;
}

export function simdKernels(backend: BackendWasm): SimdKernels {
  let k = bound.get(backend);
  if (k == null) {
    const module = new WebAssembly.Module(assemble(KERNEL_FUNCS()));
    const instance = new WebAssembly.Instance(module, { env: { memory: memoryOf(backend) } });
    k = instance.exports as unknown as SimdKernels;
    bound.set(backend, k);
  }
  return k;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function ptr(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

/** True when SIMD wasm modules can be compiled here (Node 16.4+, all current browsers). */
export function simdSupported(): boolean {
  try {
    simdProbe ??= WebAssembly.validate(assemble(KERNEL_FUNCS()));
    return simdProbe;
  } catch {
    return false;
  }
}
let simdProbe: boolean | undefined;
