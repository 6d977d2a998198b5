// Assembles our SIMD kernels once per tfjs-wasm instance and binds them to its
// heap: the module imports the backend's own WebAssembly.Memory, so kernels
// read and write tensors in place (pointer = the tensor's memoryOffset).
import v8 from 'node:v8';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { assemble, f32x4Const, f32x4RelaxedMadd, Func, set, V128 } from './asm';
import { type BinaryOp, KERNEL_FUNCS } from './kernels';
import { Wasm, type WasmMemory, type WasmModule } from './wasmApi';

type Kernel = (...args: number[]) => void;

type PeriodicName = `${BinaryOp}Periodic${'BS' | 'SB'}`;

export type SimdKernels = Record<PeriodicName, Kernel> & {
  colsum: Kernel;
  maxPoolGrad: Kernel;
  convBackpropFilter1: Kernel;
  convBackpropFilter2: Kernel;
  matmul: Kernel;
  zero: Kernel;
  phaseScatter: Kernel;
  transpose: Kernel;
  batchNorm: Kernel;
};

const bound = new WeakMap<BackendWasm, SimdKernels>();

export function memoryOf(backend: BackendWasm): WasmMemory {
  const asm = (backend.wasm as unknown as { asm?: { memory?: WasmMemory } }).asm;
  if (asm?.memory == null || !(asm.memory instanceof Wasm.Memory)) throw new Error('tfjs-wasm does not export its memory');
  return asm.memory;
}

function relaxedProbe(): Uint8Array {
  const f = new Func('probe', []);
  const v = f.local(V128);
  const one = f32x4Const(1, 1, 1, 1);
  return assemble([f.emit(set(v, f32x4RelaxedMadd(one, one, one)))]);
}

let fma: boolean | undefined;

/**
 * Relaxed SIMD gives us fused multiply-add (about 1.5x on our GEMM loops).
 * It is on by default in V8 >= 11.4 (Electron 25+, Node 22+); Node 20's V8
 * has it behind a flag, which takes effect for modules compiled afterwards.
 */
export function fmaSupported(): boolean {
  if (fma == null) {
    const probe = relaxedProbe();
    let ok = Wasm.validate(probe);
    if (!ok && process.env.NETSMITH_NO_RELAXED_SIMD == null) {
      v8.setFlagsFromString('--experimental-wasm-relaxed-simd');
      ok = Wasm.validate(probe);
    }
    fma = ok;
  }
  return fma;
}

/**
 * Compiles straight to optimized code. V8 otherwise starts wasm in its
 * baseline tier and only tiers up hot functions after a while, which leaves
 * the first dozens of calls of each kernel 2-3x slower.
 */
export function compileOptimized(bytes: Uint8Array): WasmModule {
  v8.setFlagsFromString('--no-liftoff');
  try {
    return new Wasm.Module(bytes);
  } finally {
    v8.setFlagsFromString('--liftoff');
  }
}

export function simdKernels(backend: BackendWasm): SimdKernels {
  let k = bound.get(backend);
  if (k == null) {
    const module = compileOptimized(assemble(KERNEL_FUNCS({ fma: fmaSupported() })));
    const instance = new Wasm.Instance(module, { env: { memory: memoryOf(backend) } });
    k = instance.exports as unknown as SimdKernels;
    bound.set(backend, k);
  }
  return k;
}

/** Byte offset of a tensor's data in the wasm heap. */
export function ptr(backend: BackendWasm, t: TensorInfo): number {
  return backend.dataIdMap.get(t.dataId).memoryOffset;
}

let simdProbe: boolean | undefined;

/** True when SIMD wasm modules can be compiled here (Node 16.4+, all current browsers). */
export function simdSupported(): boolean {
  if (simdProbe == null) simdProbe = Wasm.validate(assemble(KERNEL_FUNCS({ fma: false })));
  return simdProbe;
}
