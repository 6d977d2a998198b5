// Safety net for kernels the wasm backend lacks (FFT, ragged ops, ...):
// copy the inputs to the cpu backend, run cpu's kernel, copy the outputs
// back. As slow as cpu, so every op that takes this path is recorded and
// reported ("ops that fell back: ..."), never a silent crawl.
import {
  type backend_util, type DataType, findBackend, getKernel, getKernelsForBackend, registerKernel,
  type KernelBackend, type KernelConfig, type NamedTensorInfoMap, type TensorInfo,
} from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

/** Kernels whose tensors the wasm backend cannot hold at all. */
const UNSUPPORTED = new Set(['Complex', 'ComplexAbs', 'Real', 'Imag', 'FFT', 'IFFT', 'RFFT', 'IRFFT']);

const used = new Set<string>();
const listeners = new Set<(kernelName: string) => void>();

/** Kernels that ran through the cpu copy since start (or the last reset), sorted. */
export function fallbackOpsUsed(): string[] {
  return [...used].sort();
}

export function resetFallbackOps(): void {
  used.clear();
}

/** Called once per kernel name, the first time it falls back. Returns an unsubscribe function. */
export function onFallback(listener: (kernelName: string) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

/** The cpu backend's kernels take and return TensorInfos it made itself. */
type CpuBackend = KernelBackend & { makeTensorInfo(shape: number[], dtype: DataType, values: backend_util.BackendValues): TensorInfo };

function toCpu(cpu: CpuBackend, wasm: BackendWasm, t: TensorInfo | undefined): TensorInfo {
  if (t == null) throw new Error('missing kernel input');
  return cpu.makeTensorInfo(t.shape, t.dtype, wasm.readSync(t.dataId));
}

function fallbackKernel(kernelName: string, backendName: string): KernelConfig {
  return {
    kernelName,
    backendName,
    kernelFunc: ({ inputs, backend, attrs }) => {
      if (!used.has(kernelName)) {
        used.add(kernelName);
        for (const l of listeners) l(kernelName);
      }
      const wasm = backend as BackendWasm;
      const cpu = findBackend('cpu') as CpuBackend | null;
      if (cpu == null) throw new Error(`Kernel '${kernelName}' needs the cpu backend as fallback, which is not registered`);
      // Some kernels (Einsum, Concat, AddN) take their inputs as an array.
      const cpuInputs = (Array.isArray(inputs)
        ? inputs.map((t: TensorInfo | undefined) => toCpu(cpu, wasm, t))
        : Object.fromEntries(Object.entries(inputs).map(([k, t]) => [k, toCpu(cpu, wasm, t)]))) as NamedTensorInfoMap;
      const result = getKernel(kernelName, 'cpu').kernelFunc({ inputs: cpuInputs, backend: cpu, attrs });
      const outs = Array.isArray(result) ? result : [result];
      const back = outs.map((o) => wasm.makeOutput(o.shape, o.dtype, undefined, cpu.readSync(o.dataId)));
      for (const o of outs) cpu.disposeData(o.dataId);
      for (const t of Object.values(cpuInputs)) if (t != null) cpu.disposeData(t.dataId);
      return Array.isArray(result) ? back : back[0];
    },
  };
}

/** Registers the cpu-copy kernel for every cpu kernel `backendName` lacks; returns their names. */
export function installCpuFallbacks(backendName = 'wasm'): string[] {
  const have = new Set(getKernelsForBackend(backendName).map((k) => k.kernelName));
  const added: string[] = [];
  for (const { kernelName } of getKernelsForBackend('cpu')) {
    if (have.has(kernelName) || UNSUPPORTED.has(kernelName)) continue;
    registerKernel(fallbackKernel(kernelName, backendName));
    added.push(kernelName);
  }
  return added.sort();
}
