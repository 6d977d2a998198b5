// SIMD kernels of the fused training-mode BatchNorm (../batchNormTraining.ts),
// over x viewed as [rows, cols] with cols = channels (NHWC and friends).
// Assembled as their own small module.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add, and, assemble, type Bytes, f32, f32Add, f32Load, f32Mul, f32Store, f32Sub, f32x4Add, f32x4Mul, f32x4Sub, forRange, Func, get, I32,
  i32, mul, set, shl, v128Load, v128Store,
} from './asm';
import { compileOptimized, memoryOf } from './module';
import { Wasm } from './wasmApi';

type Kernel = (...args: number[]) => void;

export interface BnKernels {
  /** sqDev(x, mean, out, rows, cols): out[c] = sum over r of (x[r,c] - mean[c])^2. */
  sqDev: Kernel;
  /** gradSums(x, dy, mean, sumDy, sumDyXc, rows, cols): sums of dy and dy * (x - mean) per column. */
  gradSums: Kernel;
  /** affine2(dy, x, a, c, b, out, rows, cols): out[r,col] = a[col] * dy[r,col] + c[col] * x[r,col] + b[col]. */
  affine2: Kernel;
}

const P = I32;
const by4 = (e: Bytes): Bytes => shl(e, i32(2));

/** Per-column accumulation: for each row r and column c, acc[k][c] += term(k, r, c), vectorized over c. */
function columnLoop(f: Func, rows: number, cols: number, body: (rowOff: Bytes, c: Bytes, vec: boolean) => Bytes[]): Bytes[] {
  const [r, c, cols4, rowOff] = f.locals32(4);
  return [
    set(cols4, and(get(cols), i32(~3))),
    forRange(r, i32(0), get(rows), 1,
      set(rowOff, mul(get(r), get(cols))),
      forRange(c, i32(0), get(cols4), 4, ...body(get(rowOff), get(c), true)),
      forRange(c, get(cols4), get(cols), 1, ...body(get(rowOff), get(c), false))),
  ];
}

function zeroCols(f: Func, ptrs: number[], cols: number): Bytes {
  const c = f.local(I32);
  return forRange(c, i32(0), get(cols), 1, ...ptrs.map((p) => f32Store(add(get(p), by4(get(c))), f32(0))));
}

function sqDev(): Func {
  const f = new Func('sqDev', [P, P, P, P, P]);
  const [x, mean, out, rows, cols] = [0, 1, 2, 3, 4];
  const at = (p: number, e: Bytes) => add(get(p), by4(e));
  f.emit(zeroCols(f, [out], cols));
  return f.emit(...columnLoop(f, rows, cols, (row, c, vec) => {
    if (vec) {
      const d = f32x4Sub(v128Load(at(x, add(row, c))), v128Load(at(mean, c)));
      return [v128Store(at(out, c), f32x4Add(v128Load(at(out, c)), f32x4Mul(d, d)))];
    }
    const d = f32Sub(f32Load(at(x, add(row, c))), f32Load(at(mean, c)));
    return [f32Store(at(out, c), f32Add(f32Load(at(out, c)), f32Mul(d, d)))];
  }));
}

function gradSums(): Func {
  const f = new Func('gradSums', [P, P, P, P, P, P, P]);
  const [x, dy, mean, sumDy, sumDyXc, rows, cols] = [0, 1, 2, 3, 4, 5, 6];
  const at = (p: number, e: Bytes) => add(get(p), by4(e));
  f.emit(zeroCols(f, [sumDy, sumDyXc], cols));
  return f.emit(...columnLoop(f, rows, cols, (row, c, vec) => {
    if (vec) {
      const g = v128Load(at(dy, add(row, c)));
      const xc = f32x4Sub(v128Load(at(x, add(row, c))), v128Load(at(mean, c)));
      return [
        v128Store(at(sumDy, c), f32x4Add(v128Load(at(sumDy, c)), g)),
        v128Store(at(sumDyXc, c), f32x4Add(v128Load(at(sumDyXc, c)), f32x4Mul(v128Load(at(dy, add(row, c))), xc))),
      ];
    }
    const g = f32Load(at(dy, add(row, c)));
    const xc = f32Sub(f32Load(at(x, add(row, c))), f32Load(at(mean, c)));
    return [
      f32Store(at(sumDy, c), f32Add(f32Load(at(sumDy, c)), g)),
      f32Store(at(sumDyXc, c), f32Add(f32Load(at(sumDyXc, c)), f32Mul(f32Load(at(dy, add(row, c))), xc))),
    ];
  }));
}

function affine2(): Func {
  const f = new Func('affine2', [P, P, P, P, P, P, P, P]);
  const [dy, x, a, cc, b, out, rows, cols] = [0, 1, 2, 3, 4, 5, 6, 7];
  const at = (p: number, e: Bytes) => add(get(p), by4(e));
  return f.emit(...columnLoop(f, rows, cols, (row, c, vec) => {
    const i = add(row, c);
    if (vec) {
      return [v128Store(at(out, i), f32x4Add(f32x4Add(f32x4Mul(v128Load(at(a, c)), v128Load(at(dy, i))),
        f32x4Mul(v128Load(at(cc, c)), v128Load(at(x, i)))), v128Load(at(b, c))))];
    }
    return [f32Store(at(out, i), f32Add(f32Add(f32Mul(f32Load(at(a, c)), f32Load(at(dy, i))),
      f32Mul(f32Load(at(cc, c)), f32Load(at(x, i)))), f32Load(at(b, c))))];
  }));
}

const bound = new WeakMap<BackendWasm, BnKernels>();

export function bnKernels(backend: BackendWasm): BnKernels {
  let k = bound.get(backend);
  if (k == null) {
    const module = compileOptimized(assemble([sqDev(), gradSums(), affine2()]));
    k = new Wasm.Instance(module, { env: { memory: memoryOf(backend) } }).exports as unknown as BnKernels;
    bound.set(backend, k);
  }
  return k;
}
