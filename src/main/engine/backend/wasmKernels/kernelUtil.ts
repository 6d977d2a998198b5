// Helpers for kernels that are composed of other wasm kernels. They call the
// registered kernel functions directly (not tf ops), so intermediates never
// reach the engine's tape or memory accounting; each helper's result must be
// released with `release` by the caller.
import { getKernel, type KernelConfig, type NamedAttrMap, type NamedTensorInfoMap, type TensorInfo } from '@tensorflow/tfjs';
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import { CONV_CO_TILE, convKernel } from './simd/conv';
import { ptr, simdKernels, simdSupported } from './simd/module';
import { winogradApplies, winogradConv } from './winograd';

export type Inputs = NamedTensorInfoMap;

/** A kernel's required input (tfjs types every input as optional). */
export function input(inputs: NamedTensorInfoMap, name: string): TensorInfo {
  const t = inputs[name];
  if (t == null) throw new Error(`missing kernel input '${name}'`);
  return t;
}

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

/** Crops x where a pad is negative; returns x itself when nothing is cropped. */
function cropNegative(backend: BackendWasm, x: TensorInfo, pads: Pads): TensorInfo {
  const crop = { top: Math.max(0, -pads.top), bottom: Math.max(0, -pads.bottom), left: Math.max(0, -pads.left), right: Math.max(0, -pads.right) };
  if (crop.top + crop.bottom + crop.left + crop.right === 0) return x;
  const [n, h, w, c] = x.shape;
  return run(backend, 'Slice', { x }, {
    begin: [0, crop.top, crop.left, 0],
    size: [n, h - crop.top - crop.bottom, w - crop.left - crop.right, c],
  });
}

export interface ConvOptions {
  pads: Pads;
  strides: Pair;
  dilations: Pair;
  depthwise?: boolean;
  bias?: TensorInfo;
  relu?: boolean;
}

/**
 * NHWC conv (regular or depthwise) with explicit per-side padding; negative
 * padding crops the input first. Regular convs whose output channels fit our
 * tile run on our generated kernel (input padded into a scratch copy);
 * the rest on XNNPACK (bias and relu only on our kernel: callers check
 * `directConvApplies`).
 */
export function convExplicit(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, o: ConvOptions): TensorInfo {
  const direct = directConvApplies(filter, o);
  // Our kernel just stops short of rows/columns a negative bottom/right pad drops.
  const toCrop = direct ? { ...o.pads, bottom: 0, right: 0 } : o.pads;
  const input = cropNegative(backend, x, toCrop);
  const pads = { top: Math.max(0, o.pads.top), bottom: Math.max(0, o.pads.bottom), left: Math.max(0, o.pads.left), right: Math.max(0, o.pads.right) };
  let out: TensorInfo;
  if (direct) {
    out = directConv(backend, input, filter, { ...o, pads: { ...pads, bottom: o.pads.bottom, right: o.pads.right } });
  } else {
    if (o.bias != null || o.relu) throw new Error('bias/relu are only fused on the direct conv kernel');
    const pad = [[0, 0], [pads.top, pads.bottom], [pads.left, pads.right], [0, 0]];
    out = run(backend, o.depthwise ? 'DepthwiseConv2dNative' : 'Conv2D', { x: input, filter }, {
      strides: o.strides, pad, dilations: o.dilations, dataFormat: 'NHWC', dimRoundingMode: undefined,
    } as unknown as NamedAttrMap);
  }
  if (input !== x) release(backend, input);
  return out;
}

export function directConvApplies(filter: TensorInfo, o: Pick<ConvOptions, 'depthwise'>): boolean {
  return !o.depthwise && filter.dtype === 'float32' && filter.shape[3] % CONV_CO_TILE === 0 && simdSupported();
}

function directConv(backend: BackendWasm, x: TensorInfo, filter: TensorInfo, o: ConvOptions): TensorInfo {
  if (winogradApplies(x, filter, o)) return winogradConv(backend, x, filter, o);
  const [n, h, w, ci] = x.shape;
  const [kh, kw, , co] = filter.shape;
  // top/left >= 0 here; a negative bottom/right only shortens the output.
  const { top, bottom, left, right } = o.pads;
  const oh = Math.floor((h + top + bottom - ((kh - 1) * o.dilations[0] + 1)) / o.strides[0]) + 1;
  const ow = Math.floor((w + left + right - ((kw - 1) * o.dilations[1] + 1)) / o.strides[1]) + 1;
  const hp = h + top + Math.max(0, bottom);
  const wp = w + left + Math.max(0, right);
  let padded = x;
  if (hp !== h || wp !== w) {
    padded = backend.makeOutput([n, hp, wp, ci], 'float32');
    const k = simdKernels(backend);
    k.zero(ptr(backend, padded), n * hp * wp * ci);
    k.phaseScatter(ptr(backend, x), ptr(backend, padded), n, h, w, ci, hp, wp, 1, 1, top, left);
  }
  const out = backend.makeOutput([n, Math.max(0, oh), Math.max(0, ow), co], 'float32');
  if (oh > 0 && ow > 0) {
    const kernel = convKernel(backend, {
      ci, co, kh, kw, sh: o.strides[0], sw: o.strides[1], dh: o.dilations[0], dw: o.dilations[1], bias: o.bias != null, relu: o.relu ?? false,
    });
    kernel(ptr(backend, padded), ptr(backend, filter), o.bias == null ? 0 : ptr(backend, o.bias), ptr(backend, out), n, hp, wp, oh, ow);
  }
  if (padded !== x) release(backend, padded);
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
