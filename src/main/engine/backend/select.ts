// Picks the fastest tfjs backend that loads on this machine and says why the
// others did not. Native packages are optional and imported dynamically, so a
// missing binary is a reason in the report, not a crash.
import * as tf from '@tensorflow/tfjs';
import { fallbackOpsUsed } from './wasmKernels';
import { fmaSupported } from './wasmKernels/simd/module';
import { installTileGradient } from './wasmKernels/tileGradient';
import { probeVulkan } from './vulkan';
import { initWasmBackend } from './wasm';

export type BackendName = 'tensorflow-gpu' | 'tensorflow' | 'webgpu' | 'wasm' | 'cpu';
export type BackendPreference = 'auto' | BackendName;

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  reason?: string;
}

export interface BackendReport {
  /** Our id of the backend (same values as `prefer`). */
  name: BackendName;
  label: string;
  device: 'gpu' | 'cpu';
  tried: BackendAttempt[];
  /** Kernels this backend lacks that run through the cpu-copy safety net if a model uses them. */
  fallbackOps: string[];
}

export interface SelectOptions {
  prefer?: BackendPreference;
  /** Accept a software WebGPU adapter (lavapipe, SwiftShader): correct but slow, for tests. */
  allowSoftwareWebGpu?: boolean;
}

/**
 * WebGPU comes after WebAssembly: measured on an H100 (Dawn from npm `webgpu`, bench/gpu/backend-check.ts),
 * tfjs-webgpu in Node trains the lab's small networks no faster than one wasm thread (LeNet 1,357 vs 1,926
 * samples/s, ViT-Tiny 147 vs 245) and beats it only on conv nets of ResNet-18 size (22 vs 7 at 64 px), while
 * runs use several wasm threads. It stays one click away (`--backend webgpu`, the Train panel).
 */
export const AUTO_ORDER: BackendName[] = ['tensorflow-gpu', 'tensorflow', 'wasm', 'webgpu', 'cpu'];

interface Loaded {
  label: string;
  device: 'gpu' | 'cpu';
  fallbackOps?: string[];
}

/** Ops that actually ran on the cpu-copy path so far, for the run's report. */
export function fallbackOps(): string[] {
  return fallbackOpsUsed();
}

export async function selectBackend(opts: SelectOptions = {}): Promise<BackendReport> {
  const prefer = opts.prefer ?? 'auto';
  // An explicit choice is tried first; if it fails we continue down the
  // auto order so training still runs, and the report says why.
  const order = prefer === 'auto' ? AUTO_ORDER : [prefer, ...AUTO_ORDER.filter((n) => n !== prefer)];
  const tried: BackendAttempt[] = [];
  silenceCpuBanner();
  installTileGradient();
  for (const name of order) {
    try {
      const loaded = await LOADERS[name](opts);
      tried.push({ name, ok: true });
      return { name, label: loaded.label, device: loaded.device, tried, fallbackOps: loaded.fallbackOps ?? [] };
    } catch (err) {
      tried.push({ name, ok: false, reason: err instanceof Error ? err.message : String(err) });
    }
  }
  throw new Error(`no tfjs backend could be loaded: ${tried.map((t) => `${t.name}: ${t.reason}`).join('; ')}`);
}

const LOADERS: Record<BackendName, (opts: SelectOptions) => Promise<Loaded>> = {
  'tensorflow-gpu': async () => {
    await importNative('@tensorflow/tfjs-node-gpu');
    await useBackend('tensorflow');
    if (!usingGpuDevice()) throw new Error('@tensorflow/tfjs-node-gpu loaded but found no CUDA device (it needs CUDA 11.2 + cuDNN 8.1)');
    return { label: 'TensorFlow native (CUDA)', device: 'gpu' };
  },
  tensorflow: async () => {
    if (tf.findBackend('tensorflow') == null) await importNative('@tensorflow/tfjs-node');
    await useBackend('tensorflow');
    return { label: 'TensorFlow native (CPU)', device: 'cpu' };
  },
  webgpu: async (opts) => {
    const adapterName = await installNodeWebGpu(opts.allowSoftwareWebGpu ?? false);
    await import('@tensorflow/tfjs-backend-webgpu');
    await useBackend('webgpu');
    return { label: `WebGPU (${adapterName})`, device: 'gpu' };
  },
  wasm: async () => {
    const fallback = await initWasmBackend();
    const fma = fmaSupported() ? ', FMA' : '';
    return { label: `WebAssembly SIMD${fma} (XNNPACK + Netsmith kernels)`, device: 'cpu', fallbackOps: fallback };
  },
  cpu: async () => {
    await useBackend('cpu');
    return { label: 'JavaScript (slow; conv training is impractical)', device: 'cpu' };
  },
};

/**
 * tfjs-backend-cpu prints "install our node backend" on its first use in Node. That advice cannot be followed
 * offline, and the backend report already says which backend runs and why the others did not load.
 */
function silenceCpuBanner(): void {
  const cpu = tf.findBackend('cpu') as { firstUse?: boolean } | null;
  if (cpu && 'firstUse' in cpu) cpu.firstUse = false;
}

async function useBackend(name: string): Promise<void> {
  if (!(await tf.setBackend(name))) throw new Error(`tf.setBackend('${name}') failed`);
  await tf.ready();
}

function usingGpuDevice(): boolean {
  const b = tf.backend() as { binding?: { isUsingGpuDevice?: () => boolean } };
  return b.binding?.isUsingGpuDevice?.() ?? false;
}

async function importNative(pkg: string): Promise<void> {
  try {
    // A variable specifier keeps bundlers from resolving the optional package.
    const spec: string = pkg;
    await import(spec);
  } catch (err) {
    const code = (err as { code?: string }).code;
    const msg = err instanceof Error ? err.message : String(err);
    if ((code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') && msg.includes(pkg)) {
      throw new Error(`${pkg} is not installed (its install downloads libtensorflow, which is unavailable offline)`, { cause: err });
    }
    throw new Error(`${pkg} failed to load its native binary: ${msg.split('\n')[0]}`, { cause: err });
  }
}

interface GpuAdapterLike {
  isFallbackAdapter?: boolean;
  info?: { vendor?: string; architecture?: string; device?: string; description?: string };
}

const SOFTWARE_ADAPTER = /llvmpipe|lavapipe|swiftshader|software rasterizer/i;

/** Exposes Dawn (npm `webgpu`) as navigator.gpu; returns the adapter's name or throws why it is unusable. */
async function installNodeWebGpu(allowSoftware: boolean): Promise<string> {
  const vulkan = probeVulkan(undefined, allowSoftware);
  if (!vulkan.ok) throw new Error(`WebGPU needs a GPU driver: ${vulkan.reason}`);
  if (vulkan.driverFiles) process.env.VK_DRIVER_FILES = vulkan.driverFiles;
  let mod: { create: (flags: string[]) => { requestAdapter: () => Promise<GpuAdapterLike | null> }; globals: object };
  try {
    const spec: string = 'webgpu';
    mod = await import(spec);
  } catch (err) {
    throw new Error(`npm package webgpu (Dawn) did not load: ${err instanceof Error ? err.message.split('\n')[0] : String(err)}`, { cause: err });
  }
  const gpu = mod.create([]);
  const adapter = await gpu.requestAdapter();
  if (adapter == null) throw new Error('no WebGPU adapter (Dawn found no usable Vulkan/Metal/D3D12 driver)');
  const info = adapter.info ?? {};
  const name = [info.vendor, info.architecture, info.device, info.description].filter(Boolean).join(' ') || 'unknown adapter';
  if (!allowSoftware && (adapter.isFallbackAdapter === true || SOFTWARE_ADAPTER.test(name))) {
    throw new Error(`only a software WebGPU adapter is available (${name}): correct but slower than wasm`);
  }
  Object.assign(globalThis, mod.globals);
  const current = (globalThis as { navigator?: object }).navigator;
  Object.defineProperty(globalThis, 'navigator', { value: { ...(current ?? {}), gpu }, configurable: true, writable: true });
  return name;
}

/** The TF.js backend for a run's `backend` setting: a PyTorch run ('torch') still uses TF.js to build and score, on the auto choice. */
export function tfjsPreference(backend: BackendPreference | 'torch'): BackendPreference {
  return backend === 'torch' ? 'auto' : backend;
}
