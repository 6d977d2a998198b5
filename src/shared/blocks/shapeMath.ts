import type { Shape } from '../graph/types';
import { ShapeError } from './types';

export type Padding = 'same' | 'valid' | 'explicit';

/** The notes' output-size formula: out = ⌊(H + 2P − D·(K−1) − 1)/S⌋ + 1. */
export function convOutSize(size: number, kernel: number, stride: number, pad: number, dilation = 1): number {
  return Math.floor((size + 2 * pad - dilation * (kernel - 1) - 1) / stride) + 1;
}

/** Output size for 'same' / 'valid' / explicit padding, as TensorFlow and PyTorch compute it. */
export function spatialOut(size: number, kernel: number, stride: number, padding: Padding, pad: number, dilation = 1): number {
  if (padding === 'same') return Math.ceil(size / stride);
  return convOutSize(size, kernel, stride, padding === 'valid' ? 0 : pad, dilation);
}

export function effectiveKernel(kernel: number, dilation: number): number {
  return dilation * (kernel - 1) + 1;
}

/** Throws when the (dilated) window does not fit the padded input. `param` names the culprit ('size' for pools). */
export function checkWindow(size: number, kernel: number, padding: Padding, pad: number, dilation: number, axis: string, param = 'kernel'): void {
  if (padding === 'same') return;
  const k = effectiveKernel(kernel, dilation);
  const padded = size + 2 * (padding === 'valid' ? 0 : pad);
  if (k > padded) {
    throw new ShapeError(
      `${param} ${k}${dilation > 1 ? ' (dilated)' : ''} is larger than the padded input ${axis} ${padded}`,
      param,
    );
  }
}

export function expectRank(shape: Shape, rank: number, what: string): void {
  if (shape.length !== rank + 1) {
    throw new ShapeError(`${what} expects a ${rankName(rank)} input, got ${formatShape(shape)}`);
  }
}

function rankName(rank: number): string {
  return rank === 3 ? 'H×W×C feature map' : rank === 2 ? 'tokens×dim sequence' : rank === 1 ? 'flat vector' : `rank-${rank}`;
}

/** Per-sample number of elements (the batch dimension excluded). */
export function elements(shape: Shape): number {
  let n = 1;
  for (let i = 1; i < shape.length; i++) n *= shape[i] ?? 1;
  return n;
}

/** `32×32×64` — the batch dimension is left out. */
export function formatShape(shape: Shape): string {
  return shape.length <= 1 ? 'scalar' : shape.slice(1).map((d) => (d === null ? '?' : String(d))).join('×');
}

/** `B×32×32×64`. */
export function formatShapeWithBatch(shape: Shape): string {
  return shape.map((d) => (d === null ? 'B' : String(d))).join('×');
}

export function sameShape(a: Shape, b: Shape): boolean {
  return a.length === b.length && a.every((d, i) => d === b[i]);
}

export function lastDim(shape: Shape): number {
  return shape[shape.length - 1] as number;
}
