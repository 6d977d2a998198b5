// Winograd F(2x2, 3x3) transforms for 3x3 stride-1 NHWC convolutions,
// generated per layer shape (channel counts and padded sizes baked in, so
// every offset in the loops is an immediate). The convolution itself is
//   V = B^T d B   (input tiles: 4x4 windows, stride 2, of the padded input)
//   M = V . U     (16 GEMMs [tiles x ci] . [ci x co], U = G g G^T)
//   Y = A^T M A   (2x2 output tiles, bias and relu fused into the stores)
// which needs 16 instead of 36 multiplies per 2x2 outputs per channel pair.
// Callers run it on chunks of tile rows so V and M stay in cache.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add, assemble, type Bytes, divS, f32x4Add, f32x4Max, f32x4Sub, forRange, Func, get, I32, i32, ifThen, lt, mul, set, shl, sub, V128,
  v128Load, v128Store, v128Zero,
} from './asm';
import { compileOptimized, memoryOf } from './module';
import { Wasm } from './wasmApi';

export interface WinogradShape {
  ci: number;
  co: number;
  /** Padded input rows/columns: 2 * th + 2 and 2 * tw + 2. */
  hp: number;
  wp: number;
  /** Output rows/columns (th = ceil(oh / 2) tile rows, tw = ceil(ow / 2) tile columns). */
  oh: number;
  ow: number;
  /** Floats between the 16 planes of V ([16, tiles, ci]) and of M ([16, tiles, co]). */
  vStride: number;
  mStride: number;
  bias: boolean;
  relu: boolean;
}

export interface WinogradKernels {
  /** inputTransform(x, v, r0, r1): V[16, tiles, ci] for the tiles of tile rows [r0, r1) (row r = b * th + ti). */
  inputTransform: (x: number, v: number, r0: number, r1: number) => void;
  /** outputTransform(m, out, bias, r0, r1): out from M[16, tiles, co] of the same tile rows. */
  outputTransform: (m: number, out: number, bias: number, r0: number, r1: number) => void;
}

const by4 = (e: Bytes): Bytes => shl(e, i32(2));

export function inputTransform(s: WinogradShape): Func {
  const th = Math.ceil(s.oh / 2);
  const tw = Math.ceil(s.ow / 2);
  const f = new Func('inputTransform', [I32, I32, I32, I32]);
  const [x, v, r0, r1] = [0, 1, 2, 3];
  const [r, tj, c, rowBase, xp, vp] = f.locals32(6);
  const d = Array.from({ length: 16 }, () => f.local(V128));
  const t = Array.from({ length: 16 }, () => f.local(V128));
  const at = (i: number, j: number) => 4 * i + j;
  const body: Bytes[] = [];
  for (let i = 0; i < 4; i++) {
    for (let j = 0; j < 4; j++) body.push(set(d[at(i, j)], v128Load(get(xp), 4 * (i * s.wp + j) * s.ci)));
  }
  // t = B^T d (columns), then V = t B (rows); B^T = [1 0 -1 0; 0 1 1 0; 0 -1 1 0; 0 1 0 -1].
  const comb = (a: number, b: number, c2: number, e: number, k: number, src: number[]) => {
    const [p0, p1, p2, p3] = [src[a], src[b], src[c2], src[e]];
    switch (k) {
      case 0: return f32x4Sub(get(p0), get(p2));
      case 1: return f32x4Add(get(p1), get(p2));
      case 2: return f32x4Sub(get(p2), get(p1));
      default: return f32x4Sub(get(p1), get(p3));
    }
  };
  for (let j = 0; j < 4; j++) {
    for (let k = 0; k < 4; k++) body.push(set(t[at(k, j)], comb(at(0, j), at(1, j), at(2, j), at(3, j), k, d)));
  }
  for (let i = 0; i < 4; i++) {
    for (let k = 0; k < 4; k++) body.push(v128Store(get(vp), comb(at(i, 0), at(i, 1), at(i, 2), at(i, 3), k, t), 4 * at(i, k) * s.vStride));
  }
  return f.emit(
    forRange(r, get(r0), get(r1), 1,
      // Tile row ti = r % th of image b = r / th starts at padded row 2 ti.
      set(rowBase, add(get(x), by4(mul(add(mul(divS(get(r), i32(th)), i32(s.hp)), mul(sub(get(r), mul(divS(get(r), i32(th)), i32(th))), i32(2))), i32(s.wp * s.ci))))),
      forRange(tj, i32(0), i32(tw), 1,
        set(xp, add(get(rowBase), mul(get(tj), i32(8 * s.ci)))),
        set(vp, add(get(v), mul(add(mul(sub(get(r), get(r0)), i32(tw)), get(tj)), i32(4 * s.ci)))),
        forRange(c, i32(0), i32(s.ci), 4, ...body, set(xp, add(get(xp), i32(16))), set(vp, add(get(vp), i32(16)))))),
  );
}

function outputTransform(s: WinogradShape): Func {
  const th = Math.ceil(s.oh / 2);
  const tw = Math.ceil(s.ow / 2);
  const f = new Func('outputTransform', [I32, I32, I32, I32, I32]);
  const [m, out, bias, r0, r1] = [0, 1, 2, 3, 4];
  const [r, ti, tj, c, mp, op, rowBase, bp] = f.locals32(8);
  const mv = Array.from({ length: 16 }, () => f.local(V128));
  const sv = Array.from({ length: 8 }, () => f.local(V128));
  const b = f.local(V128);
  const at = (i: number, j: number) => 4 * i + j;
  const body: Bytes[] = [];
  for (let k = 0; k < 16; k++) body.push(set(mv[k], v128Load(get(mp), 4 * k * s.mStride)));
  // A^T = [1 1 1 0; 0 1 -1 -1]: s = A^T M (columns), Y = s A (rows).
  for (let j = 0; j < 4; j++) {
    body.push(set(sv[j], f32x4Add(f32x4Add(get(mv[at(0, j)]), get(mv[at(1, j)])), get(mv[at(2, j)]))));
    body.push(set(sv[4 + j], f32x4Sub(f32x4Sub(get(mv[at(1, j)]), get(mv[at(2, j)])), get(mv[at(3, j)]))));
  }
  if (s.bias) body.push(set(b, v128Load(get(bp))));
  const y = (i: number, j: number): Bytes => {
    const row = sv.slice(4 * i, 4 * i + 4);
    let e = j === 0
      ? f32x4Add(f32x4Add(get(row[0]), get(row[1])), get(row[2]))
      : f32x4Sub(f32x4Sub(get(row[1]), get(row[2])), get(row[3]));
    if (s.bias) e = f32x4Add(e, get(b));
    if (s.relu) e = f32x4Max(e, v128Zero());
    return e;
  };
  const store = (i: number, j: number): Bytes => v128Store(get(op), y(i, j), 4 * (i * s.ow + j) * s.co);
  // Odd output sizes: the last tile row/column has a single output row/column.
  const rowOk = (i: number, e: Bytes): Bytes => (i === 1 && s.oh % 2 === 1 ? ifThen(lt(add(mul(get(ti), i32(2)), i32(1)), i32(s.oh)), e) : e);
  const colOk = (j: number, e: Bytes): Bytes => (j === 1 && s.ow % 2 === 1 ? ifThen(lt(add(mul(get(tj), i32(2)), i32(1)), i32(s.ow)), e) : e);
  for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) body.push(rowOk(i, colOk(j, store(i, j))));
  return f.emit(
    forRange(r, get(r0), get(r1), 1,
      set(ti, sub(get(r), mul(divS(get(r), i32(th)), i32(th)))),
      // Image b = r / th, output row 2 ti.
      set(rowBase, add(get(out), by4(mul(add(mul(divS(get(r), i32(th)), i32(s.oh)), mul(get(ti), i32(2))), i32(s.ow * s.co))))),
      forRange(tj, i32(0), i32(tw), 1,
        set(mp, add(get(m), by4(mul(add(mul(sub(get(r), get(r0)), i32(tw)), get(tj)), i32(s.co))))),
        set(op, add(get(rowBase), mul(get(tj), i32(8 * s.co)))),
        set(bp, get(bias)),
        forRange(c, i32(0), i32(s.co), 4, ...body,
          set(mp, add(get(mp), i32(16))), set(op, add(get(op), i32(16))), set(bp, add(get(bp), i32(16)))))),
  );
}

const cache = new WeakMap<BackendWasm, Map<string, WinogradKernels>>();

/** The transforms for one layer shape, assembled on first use. */
export function winogradKernels(backend: BackendWasm, shape: WinogradShape): WinogradKernels {
  let byShape = cache.get(backend);
  if (byShape == null) cache.set(backend, (byShape = new Map()));
  const key = JSON.stringify(shape);
  let k = byShape.get(key);
  if (k == null) {
    const module = compileOptimized(assemble([inputTransform(shape), outputTransform(shape)]));
    const instance = new Wasm.Instance(module, { env: { memory: memoryOf(backend) } });
    k = instance.exports as unknown as WinogradKernels;
    byShape.set(key, k);
  }
  return k;
}
