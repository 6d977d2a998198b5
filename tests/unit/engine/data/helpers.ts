import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after } from 'node:test';
import { PNG } from 'pngjs';
import type { Sample } from '../../../../src/main/engine/data/augment/types';

/** A temp folder removed when the test file ends. */
export function tempDir(prefix = 'netsmith-data-'): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  after(() => rmSync(d, { recursive: true, force: true }));
  return d;
}

export function writePng(path: string, w: number, h: number, rgb: (x: number, y: number) => [number, number, number]): void {
  const png = new PNG({ width: w, height: h });
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const o = (y * w + x) * 4;
      png.data.set([...rgb(x, y), 255], o);
    }
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, PNG.sync.write(png));
}

export function writeText(path: string, text: string | Uint8Array): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, text);
}

/** A sample from literal values (HWC). */
export function sample(h: number, w: number, c: number, values: number[] | ((i: number) => number), extra: Partial<Sample> = {}): Sample {
  const data = Float32Array.from({ length: h * w * c }, (_, i) => (typeof values === 'function' ? values(i) : values[i]));
  return { image: { h, w, c, data }, label: 0, ...extra };
}

export function close(actual: number, expected: number, tol = 1e-6): boolean {
  return Math.abs(actual - expected) <= tol;
}

export function assertClose(actual: ArrayLike<number>, expected: ArrayLike<number>, tol = 1e-5): void {
  if (actual.length !== expected.length) throw new Error(`length ${actual.length} ≠ ${expected.length}`);
  for (let i = 0; i < actual.length; i++)
    if (!close(actual[i], expected[i], tol)) throw new Error(`at ${i}: ${actual[i]} ≠ ${expected[i]}\nactual:   ${Array.from(actual).map((v) => +v.toFixed(4))}\nexpected: ${Array.from(expected)}`);
}

export function assertBoxClose(actual: { cls: number; x: number; y: number; w: number; h: number }, expected: { cls: number; x: number; y: number; w: number; h: number }, tol = 1e-6): void {
  const a = [actual.cls, actual.x, actual.y, actual.w, actual.h];
  const e = [expected.cls, expected.x, expected.y, expected.w, expected.h];
  assertClose(a, e, tol);
}
