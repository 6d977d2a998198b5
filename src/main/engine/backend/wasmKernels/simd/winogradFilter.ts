// Winograd F(2x2, 3x3) for the filter gradient of a 3x3 stride-1 conv: the
// gradient of the Winograd forward pass, which is exact in exact arithmetic.
// With V_t = B^T d_t B (the forward input transform) and Z_t = A dY_t A^T
// (dY_t the 2x2 output tile t of dy, zero past the edge),
//   dU = sum over t of V_t (.) Z_t   (16 GEMMs [ci x tiles] . [tiles x co])
//   dW = G^T dU G.
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add, and, assemble, type Bytes, divS, f32x4Add, f32x4Sub, forRange, Func, get, I32, i32, ifThen, lt, mul, set, shl, sub, V128, v128Load,
  v128Store, v128Zero,
} from './asm';
import { compileOptimized, memoryOf } from './module';
import { Wasm } from './wasmApi';
import { inputTransform, type WinogradShape } from './winograd';

export interface WinogradFilterKernels {
  /** inputTransform(x, v, r0, r1): V[16, tiles, ci] of the padded input (as for the forward conv). */
  inputTransform: (x: number, v: number, r0: number, r1: number) => void;
  /** dyTransform(dy, z, r0, r1): Z[16, tiles, co] (plane stride mStride) of the same tile rows. */
  dyTransform: (dy: number, z: number, r0: number, r1: number) => void;
}

const by4 = (e: Bytes): Bytes => shl(e, i32(2));

function dyTransform(s: WinogradShape): Func {
  const th = Math.ceil(s.oh / 2);
  const tw = Math.ceil(s.ow / 2);
  const f = new Func('dyTransform', [I32, I32, I32, I32]);
  const [dy, z, r0, r1] = [0, 1, 2, 3];
  const [r, ti, tj, c, rowBase, dp, zp] = f.locals32(7);
  const d = Array.from({ length: 4 }, () => f.local(V128));
  const p = Array.from({ length: 8 }, () => f.local(V128));
  const body: Bytes[] = [];
  // d[2i + j] = dy[2 ti + i, 2 tj + j], zero past an odd edge.
  const rowEdge = s.oh % 2 === 1;
  const colEdge = s.ow % 2 === 1;
  const rowIn = lt(add(mul(get(ti), i32(2)), i32(1)), i32(s.oh));
  const colIn = lt(add(mul(get(tj), i32(2)), i32(1)), i32(s.ow));
  for (let i = 0; i < 2; i++) {
    for (let j = 0; j < 2; j++) {
      const load = set(d[2 * i + j], v128Load(get(dp), 4 * (i * s.ow + j) * s.co));
      const guards: Bytes[] = [];
      if (i === 1 && rowEdge) guards.push(rowIn);
      if (j === 1 && colEdge) guards.push(colIn);
      if (guards.length === 0) body.push(load);
      else body.push(set(d[2 * i + j], v128Zero()), ifThen(guards.length === 1 ? guards[0] : and(guards[0], guards[1]), load));
    }
  }
  // P = A dY (4 x 2), A = [1 0; 1 1; 1 -1; 0 -1]; then Z = P A^T (4 x 4).
  for (let j = 0; j < 2; j++) {
    body.push(
      set(p[j], get(d[j])),
      set(p[2 + j], f32x4Add(get(d[j]), get(d[2 + j]))),
      set(p[4 + j], f32x4Sub(get(d[j]), get(d[2 + j]))),
      set(p[6 + j], f32x4Sub(v128Zero(), get(d[2 + j]))),
    );
  }
  for (let i = 0; i < 4; i++) {
    const [a, b] = [p[2 * i], p[2 * i + 1]];
    const zs = [get(a), f32x4Add(get(a), get(b)), f32x4Sub(get(a), get(b)), f32x4Sub(v128Zero(), get(b))];
    zs.forEach((e, k) => body.push(v128Store(get(zp), e, 4 * (4 * i + k) * s.mStride)));
  }
  return f.emit(
    forRange(r, get(r0), get(r1), 1,
      set(ti, sub(get(r), mul(divS(get(r), i32(th)), i32(th)))),
      set(rowBase, add(get(dy), by4(mul(add(mul(divS(get(r), i32(th)), i32(s.oh)), mul(get(ti), i32(2))), i32(s.ow * s.co))))),
      forRange(tj, i32(0), i32(tw), 1,
        set(dp, add(get(rowBase), mul(get(tj), i32(8 * s.co)))),
        set(zp, add(get(z), by4(mul(add(mul(sub(get(r), get(r0)), i32(tw)), get(tj)), i32(s.co))))),
        forRange(c, i32(0), i32(s.co), 4, ...body, set(dp, add(get(dp), i32(16))), set(zp, add(get(zp), i32(16)))))),
  );
}

const cache = new WeakMap<BackendWasm, Map<string, WinogradFilterKernels>>();

/** The transforms for one layer shape (bias/relu unused), assembled on first use. */
export function winogradFilterKernels(backend: BackendWasm, shape: WinogradShape): WinogradFilterKernels {
  let byShape = cache.get(backend);
  if (byShape == null) cache.set(backend, (byShape = new Map()));
  const key = JSON.stringify(shape);
  let k = byShape.get(key);
  if (k == null) {
    const module = compileOptimized(assemble([inputTransform(shape), dyTransform(shape)]));
    const instance = new Wasm.Instance(module, { env: { memory: memoryOf(backend) } });
    k = instance.exports as unknown as WinogradFilterKernels;
    byShape.set(key, k);
  }
  return k;
}
