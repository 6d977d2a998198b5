// Helpers for kernels that are composed of other wasm kernels. They call the
// registered kernel functions directly (not tf ops), so intermediates never
// reach the engine's tape or memory accounting; each helper's result must be
// released with `release` by the caller.
import { getKernel, type KernelConfig, type NamedAttrMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';

export type Inputs = Record<string, TensorInfo>;
export type Pads = { top: number; bottom: number; left: number; right: number };
export type Pair = [number, number];

/** Kernel functions registered before ours replaced them (e.g. XNNPACK BatchMatMul). */
const originals = new Map<string, KernelConfig>();

export function rememberOriginal(kernelName: string): void {
  if (!originals.has(kernelName)) originals.set(kernelName, getKernel(kernelName, 'wasm'));
}

export function runOriginal(backend: BackendWasm, kernelName: string, inputs: Inputs, attrs: NamedAttrMap = {}): TensorInfo {
  const config = originals.get(kernelName) ?? getKernel(kernelName, 'wasm');
  return single(config.kernelFunc({ inputs, backend, attrs }));
}

export function run(backend: BackendWasm, kernelName: string, inputs: Inputs, attrs: NamedAttrMap = {}): TensorInfo {
  const config = getKernel(kernelName, 'wasm');
  if (config == null) throw new Error(`Kernel '${kernelName}' not registered for backend 'wasm'`);
  return single(config.kernelFunc({ inputs, backend, attrs }));
}

function single(out: TensorInfo | TensorInfo[]): TensorInfo {
  return Array.isArray(out) ? out[0] : out;
}

export function release(backend: BackendWasm, ...infos: TensorInfo[]): void {
  for (const info of infos) backend.disposeData(info.dataId);
}

export function reshape(backend: BackendWasm, x: TensorInfo, shape: number[]): TensorInfo {
  return run(backend, 'Reshape', { x }, { shape });
}

export function transpose(backend: BackendWasm, x: TensorInfo, perm: number[]): TensorInfo {
  return run(backend, 'Transpose', { x }, { perm });
}

export function pair(v: number | number[] | undefined, fallback = 1): Pair {
  if (v == null) return [fallback, fallback];
  return typeof v === 'number' ? [v, v] : [v[0], v[1]];
}

/**
 * NHWC conv (regular or depthwise) with explicit per-side padding; negative
 * padding crops the input first (XNNPACK only accepts non-negative pads).
 */
export function convExplicit(
  backend: BackendWasm,
  x: TensorInfo,
  filter: TensorInfo,
  o: { pads: Pads; strides: Pair; dilations: Pair; depthwise?: boolean },
): TensorInfo {
  const { pads } = o;
  const crop = { top: Math.max(0, -pads.top), bottom: Math.max(0, -pads.bottom), left: Math.max(0, -pads.left), right: Math.max(0, -pads.right) };
  let input = x;
  if (crop.top + crop.bottom + crop.left + crop.right > 0) {
    const [n, h, w, c] = x.shape;
    input = run(backend, 'Slice', { x }, {
      begin: [0, crop.top, crop.left, 0],
      size: [n, h - crop.top - crop.bottom, w - crop.left - crop.right, c],
    });
  }
  const pad = [[0, 0], [Math.max(0, pads.top), Math.max(0, pads.bottom)], [Math.max(0, pads.left), Math.max(0, pads.right)], [0, 0]];
  const out = run(backend, o.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D', { x: input, filter }, {
    strides: o.strides, pad, dilations: o.dilations, dataFormat: 'NHWC', dimRoundingMode: undefined,
  } as unknown as NamedAttrMap);
  if (input !== x) release(backend, input);
  return out;
}

/**
 * Inserts (stride - 1) zeros after every element along H and W of an NHWC
 * tensor: [N, OH, OW, C] -> [N, OH*sh, OW*sw, C]. The trailing zeros act as
 * extra bottom/right padding, which callers account for.
 */
export function insertZeros(backend: BackendWasm, x: TensorInfo, [sh, sw]: Pair): TensorInfo {
  if (sh === 1 && sw === 1) return reshape(backend, x, x.shape);
  const [n, oh, ow, c] = x.shape;
  const x6 = reshape(backend, x, [n, oh, 1, ow, 1, c]);
  const padded = run(backend, 'PadV2', { x: x6 }, {
    paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]], constantValue: 0,
  });
  const out = reshape(backend, padded, [n, oh * sh, ow * sw, c]);
  release(backend, x6, padded);
  return out;
}

/** Spatially reversed copy of a [KH, KW, A, B] filter. */
export function reverseSpatial(backend: BackendWasm, filter: TensorInfo): TensorInfo {
  const [kh, kw] = filter.shape;
  if (kh === 1 && kw === 1) return reshape(backend, filter, filter.shape);
  return run(backend, 'Reverse', { x: filter }, { dims: [0, 1] });
}
