// What the torchvision comparison tests share: Debian's Python with torchvision (the reference), the raw float32
// files its fixtures write, and the comparisons made on them.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

export const PYTHON = '/usr/bin/python3';
const HAS_TORCHVISION = spawnSync(PYTHON, ['-c', 'import torchvision'], { stdio: 'ignore' }).status === 0;
export const SKIP = HAS_TORCHVISION ? false : 'Debian python3-torchvision (/usr/bin/python3) is not installed';

/** A little-endian float32 file (numpy's `astype('<f4').tofile`). */
export const f32 = (file: string): Float32Array => {
  const b = readFileSync(file);
  return new Float32Array(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
};

export function softmax(v: ArrayLike<number>): Float64Array {
  const a = Array.from(v);
  const m = Math.max(...a);
  const e = Float64Array.from(a, (x) => Math.exp(x - m));
  const s = e.reduce((x, y) => x + y, 0);
  return e.map((x) => x / s);
}

export const top5 = (v: ArrayLike<number>): number[] => [...Array.from(v).keys()].sort((a, b) => v[b] - v[a]).slice(0, 5);

/** NCHW → NHWC. */
export function nhwc(x: Float32Array, c: number, h: number, w: number): Float32Array {
  const out = new Float32Array(x.length);
  for (let k = 0; k < c; k++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out[(i * w + j) * c + k] = x[(k * h + i) * w + j];
  return out;
}
