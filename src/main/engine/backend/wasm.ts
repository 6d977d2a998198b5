// Brings up the wasm backend with our kernels. Shared by selectBackend and
// the data-parallel workers (each worker thread has its own tfjs instance).
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { installWasmKernels } from './wasmKernels';
import { installTileGradient } from './wasmKernels/tileGradient';

const WASM_FILE = 'tfjs-backend-wasm-simd.wasm';

/** Folder holding tfjs-backend-wasm's .wasm binaries (works from tsx and from a bundled build). */
export function wasmBinaryDir(): string {
  const candidates: string[] = [];
  try {
    const require = createRequire(import.meta.url);
    candidates.push(join(dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json')), 'dist'));
  } catch {
    // package.json not resolvable (bundled without node_modules next to it): try the cwd below.
  }
  candidates.push(join(process.cwd(), 'node_modules', '@tensorflow', 'tfjs-backend-wasm', 'dist'));
  const found = candidates.find((dir) => existsSync(join(dir, WASM_FILE)));
  if (found == null) throw new Error(`${WASM_FILE} not found (looked in ${candidates.join(', ')})`);
  return found;
}

/** Switches tfjs to wasm and installs our kernels; returns the ops left to the cpu-copy safety net. */
export async function initWasmBackend(dir = wasmBinaryDir()): Promise<string[]> {
  // setWasmPaths wants a prefix ending in a separator.
  setWasmPaths(dir.endsWith('/') || dir.endsWith('\\') ? dir : `${dir}/`);
  if (!(await tf.setBackend('wasm'))) throw new Error('tf.setBackend("wasm") returned false');
  await tf.ready();
  installTileGradient();
  return installWasmKernels();
}
