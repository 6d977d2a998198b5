// Our SIMD kernels, written with the assembler in ./asm. All pointers are
// byte offsets into the tfjs-wasm heap; all tensors are dense float32.
import {
  add, and, bitselect, block, brIf, type Bytes, divS, eq, f32, F32, f32Add, f32Div, f32Load, f32Mul, f32Sqrt, f32Store, f32Sub,
  f32x4Add, f32x4Const, f32x4Div, f32x4Extract, f32x4Gt, f32x4Mul, f32x4RelaxedMadd, f32x4Splat as f32x4SplatF, f32x4Sqrt, f32x4Sub, forRange, Func,
  ge, get, gt, I32, i32, i32x4Add, i32x4Const, i32x4Extract, i32x4Splat, ifThen, inc, le, loadSplat, loop, lt, maxI32, minI32, mul, ne,
  selectI32, set, shl, sub, V128, v128Load, v128Store, v128Zero,
} from './asm';

const P = I32;

/** Whether kernels use relaxed-SIMD FMA (set per assembly by KERNEL_FUNCS). */
let useFma = false;
/** acc + a * b, fused when relaxed SIMD is available. */
const mac = (acc: Bytes, a: Bytes, b: Bytes): Bytes => (useFma ? f32x4RelaxedMadd(a, b, acc) : f32x4Add(acc, f32x4Mul(a, b)));
const by4 = (e: Bytes): Bytes => shl(e, i32(2));

/** dst[0..n) = 0, n a count of floats. */
function zeroFill(f: Func, dst: number, n: Bytes): Bytes {
  const i = f.local(I32);
  const end4 = f.local(I32);
  return [
    ...set(end4, and(n, i32(~3))),
    ...forRange(i, i32(0), get(end4), 4, v128Store(add(get(dst), by4(get(i))), v128Zero())),
    ...forRange(i, get(end4), n, 1, f32Store(add(get(dst), by4(get(i))), f32(0))),
  ];
}

/** colsum(src, dst, rows, cols): dst[c] = sum over r of src[r * cols + c]. */
function colsum(): Func {
  const f = new Func('colsum', [P, P, P, P]);
  const [src, dst, rows, cols] = [0, 1, 2, 3];
  const [r, c, cols4, rows4, rowBytes, p0] = f.locals32(6);
  const at = (row: number, col: Bytes) => add(add(get(p0), mul(get(rowBytes), i32(row))), by4(col));
  const dstAt = (col: Bytes) => add(get(dst), by4(col));
  f.emit(
    set(cols4, and(get(cols), i32(~3))),
    set(rows4, and(get(rows), i32(~3))),
    set(rowBytes, by4(get(cols))),
    zeroFill(f, dst, get(cols)),
    // Four rows at a time: add them in registers, then once into dst.
    forRange(r, i32(0), get(rows4), 4,
      set(p0, add(get(src), mul(get(r), get(rowBytes)))),
      forRange(c, i32(0), get(cols4), 4,
        v128Store(dstAt(get(c)), f32x4Add(v128Load(dstAt(get(c))),
          f32x4Add(f32x4Add(v128Load(at(0, get(c))), v128Load(at(1, get(c)))), f32x4Add(v128Load(at(2, get(c))), v128Load(at(3, get(c)))))))),
      forRange(c, get(cols4), get(cols), 1,
        f32Store(dstAt(get(c)), f32Add(f32Load(dstAt(get(c))),
          f32Add(f32Add(f32Load(at(0, get(c))), f32Load(at(1, get(c)))), f32Add(f32Load(at(2, get(c))), f32Load(at(3, get(c))))))))),
    forRange(r, get(rows4), get(rows), 1,
      set(p0, add(get(src), mul(get(r), get(rowBytes)))),
      forRange(c, i32(0), get(cols4), 4, v128Store(dstAt(get(c)), f32x4Add(v128Load(dstAt(get(c))), v128Load(at(0, get(c)))))),
      forRange(c, get(cols4), get(cols), 1, f32Store(dstAt(get(c)), f32Add(f32Load(dstAt(get(c))), f32Load(at(0, get(c))))))),
  );
  return f;
}

/**
 * maxPoolGrad(x, dy, dx, n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl), NHWC with
 * c % 4 == 0: each window's gradient goes to its first maximum (row-major
 * scan, strict >), as in TensorFlow and tfjs-cpu.
 */
function maxPoolGrad(): Func {
  const f = new Func('maxPoolGrad', Array<typeof P>(15).fill(P));
  const [x, dy, dx, n, h, w, c, oh, ow, kh, kw, sh, sw, pt, pl] = Array.from({ length: 15 }, (_, i) => i);
  const [b, oy, ox, cc, ky, kx, iy, ix, off, dyp, idx] = f.locals32(11);
  const best = f.local(V128);
  const bidx = f.local(V128);
  const g = f.local(V128);
  const mask = f.local(V128);
  const scatterLane = (lane: number): Bytes => [
    ...set(idx, i32x4Extract(get(bidx), lane)),
    ...ifThen(ge(get(idx), i32(0)),
      f32Store(add(get(dx), by4(get(idx))), f32Add(f32Load(add(get(dx), by4(get(idx)))), f32x4Extract(get(g), lane)))),
  ];
  f.emit(
    zeroFill(f, dx, mul(mul(get(n), get(h)), mul(get(w), get(c)))),
    forRange(b, i32(0), get(n), 1,
      forRange(oy, i32(0), get(oh), 1,
        forRange(ox, i32(0), get(ow), 1,
          set(dyp, add(get(dy), by4(mul(add(mul(add(mul(get(b), get(oh)), get(oy)), get(ow)), get(ox)), get(c))))),
          forRange(cc, i32(0), get(c), 4,
            set(best, f32x4Const(-Infinity, -Infinity, -Infinity, -Infinity)),
            set(bidx, i32x4Const(-1, -1, -1, -1)),
            forRange(ky, i32(0), get(kh), 1,
              set(iy, add(sub(mul(get(oy), get(sh)), get(pt)), get(ky))),
              ifThen(and(ge(get(iy), i32(0)), lt(get(iy), get(h))),
                forRange(kx, i32(0), get(kw), 1,
                  set(ix, add(sub(mul(get(ox), get(sw)), get(pl)), get(kx))),
                  ifThen(and(ge(get(ix), i32(0)), lt(get(ix), get(w))),
                    set(off, add(mul(add(mul(add(mul(get(b), get(h)), get(iy)), get(w)), get(ix)), get(c)), get(cc))),
                    set(g, v128Load(add(get(x), by4(get(off))))),
                    set(mask, f32x4Gt(get(g), get(best))),
                    set(bidx, bitselect(i32x4Add(i32x4Splat(get(off)), i32x4Const(0, 1, 2, 3)), get(bidx), get(mask))),
                    set(best, bitselect(get(g), get(best), get(mask))),
                  ))),
            ),
            set(g, v128Load(add(get(dyp), by4(get(cc))))),
            scatterLane(0), scatterLane(1), scatterLane(2), scatterLane(3),
          )))),
  );
  return f;
}

/**
 * convBackpropFilter(x, dy, dw, n, h, w, ci, oh, ow, co, kh, kw, sh, sw, dh, dwl, pt, pl):
 * dW[ky,kx,c,o] = sum over b,oy,ox of x[b, oy*sh + ky*dh - pt, ox*sw + kx*dwl - pl, c] * dy[b,oy,ox,o].
 * NHWC, ci % 4 == 0, co % (4 * coVecs) == 0. Register tile: 4 input channels x
 * 4*coVecs output channels, accumulated over a block of `rows` output rows of
 * one image at a time: every tile of the filter passes over the same block, so
 * the block's x and dy rows stay in L1 (callers size `rows` for that).
 */
function convBackpropFilter(coVecs: number): Func {
  const f = new Func(`convBackpropFilter${coVecs}`, Array<typeof P>(19).fill(P));
  const [x, dy, dW, n, h, w, ci, oh, ow, co, kh, kw, sh, sw, dh, dwl, pt, pl, rows] = Array.from({ length: 19 }, (_, i) => i);
  const [b, ky, kx, oy0, oy1, ox0, ox1, cb, ob, wp, oy, iy, xp, dyp, cnt, xStep, dyRow, num] = f.locals32(18);
  const [blk, blkEnd] = f.locals32(2);
  const acc = Array.from({ length: 4 * coVecs }, () => f.local(V128));
  const d = Array.from({ length: coVecs }, () => f.local(V128));
  const s = f.local(V128);
  const accAt = (r: number, v: number) => acc[r * coVecs + v];
  const wOff = (r: number, v: number): Bytes => add(get(wp), by4(add(mul(i32(r), get(co)), i32(4 * v))));
  // ceil(a / s) for the first output whose tap lands at or after the top pad; 0 when a <= 0.
  const firstOut = (a: Bytes, stride: number): Bytes => [
    ...set(num, a),
    ...selectI32(i32(0), divS(add(get(num), sub(get(stride), i32(1))), get(stride)), le(get(num), i32(0))),
  ];
  // One past the last output whose tap stays inside the input (limit = in - 1 + pad - k*dil).
  const lastOut = (limit: Bytes, stride: number, outSize: number): Bytes => [
    ...set(num, limit),
    ...selectI32(i32(0), minI32(get(outSize), add(divS(get(num), get(stride)), i32(1))), lt(get(num), i32(0))),
  ];
  const inner: Bytes[] = [
    ...d.map((dv, v) => set(dv, v128Load(get(dyp), 16 * v))),
  ];
  for (let r = 0; r < 4; r++) {
    inner.push(set(s, loadSplat(get(xp), 4 * r)));
    for (let v = 0; v < coVecs; v++) inner.push(set(accAt(r, v), mac(get(accAt(r, v)), get(s), get(d[v]))));
  }
  f.emit(
    zeroFill(f, dW, mul(mul(get(kh), get(kw)), mul(get(ci), get(co)))),
    set(xStep, by4(mul(get(sw), get(ci)))),
    set(dyRow, by4(get(co))),
    forRange(b, i32(0), get(n), 1,
      forRange(blk, i32(0), get(oh), get(rows),
      set(blkEnd, minI32(add(get(blk), get(rows)), get(oh))),
      forRange(ky, i32(0), get(kh), 1,
        set(oy0, firstOut(sub(get(pt), mul(get(ky), get(dh))), sh)),
        set(oy1, lastOut(sub(add(sub(get(h), i32(1)), get(pt)), mul(get(ky), get(dh))), sh, oh)),
        set(oy0, maxI32(get(oy0), get(blk))),
        set(oy1, minI32(get(oy1), get(blkEnd))),
        forRange(kx, i32(0), get(kw), 1,
          set(ox0, firstOut(sub(get(pl), mul(get(kx), get(dwl))), sw)),
          set(ox1, lastOut(sub(add(sub(get(w), i32(1)), get(pl)), mul(get(kx), get(dwl))), sw, ow)),
          ifThen(and(lt(get(oy0), get(oy1)), lt(get(ox0), get(ox1))),
            forRange(cb, i32(0), get(ci), 4,
              forRange(ob, i32(0), get(co), 4 * coVecs,
                set(wp, add(get(dW), by4(add(mul(add(mul(add(mul(get(ky), get(kw)), get(kx)), get(ci)), get(cb)), get(co)), get(ob))))),
                ...acc.map((a, k) => set(a, v128Load(wOff(Math.floor(k / coVecs), k % coVecs)))),
                forRange(oy, get(oy0), get(oy1), 1,
                  set(iy, sub(add(mul(get(oy), get(sh)), mul(get(ky), get(dh))), get(pt))),
                  set(xp, add(get(x), by4(add(mul(add(mul(add(mul(get(b), get(h)), get(iy)), get(w)),
                    sub(add(mul(get(ox0), get(sw)), mul(get(kx), get(dwl))), get(pl))), get(ci)), get(cb))))),
                  set(dyp, add(get(dy), by4(add(mul(add(mul(add(mul(get(b), get(oh)), get(oy)), get(ow)), get(ox0)), get(co)), get(ob))))),
                  set(cnt, sub(get(ox1), get(ox0))),
                  block(loop(
                    ...inner,
                    inc(xp, get(xStep)),
                    inc(dyp, get(dyRow)),
                    set(cnt, sub(get(cnt), i32(1))),
                    brIf(0, gt(get(cnt), i32(0))),
                  )),
                ),
                ...acc.map((a, k) => v128Store(wOff(Math.floor(k / coVecs), k % coVecs), get(a))),
              ))))))),
  );
  return f;
}

/**
 * matmul(a, b, c, batch, m, k, n, aBatch, aRow, aCol, bBatch):
 * C[t] = A[t] x B[t] with C [batch, m, n] and B [batch, k, n] dense, A read
 * through element strides (so a transposed A costs nothing); bBatch = 0
 * broadcasts one B over the batch. SIMD tiles of 4 rows x 8 columns (1-row
 * tiles for the last m % 4 rows); the last n % 8 columns are scalar.
 */
function matmul(): Func {
  const f = new Func('matmul', Array<typeof P>(11).fill(P));
  const [a, bm, cm, batch, m, k, n, aBatch, aRow, aCol, bBatch] = Array.from({ length: 11 }, (_, i) => i);
  const [t, i, j, kk, m4, n8, ap, bp, cp, aRowB, aColB, bRowB, aBase, bBase, cBase] = f.locals32(15);
  const acc = Array.from({ length: 8 }, () => f.local(V128));
  const [s, b0, b1] = [f.local(V128), f.local(V128), f.local(V128)];
  const sacc = f.local(F32);
  const tile = (rows: number): Bytes[] => {
    const body: Bytes[] = [set(b0, v128Load(get(bp))), set(b1, v128Load(get(bp), 16))];
    for (let r = 0; r < rows; r++) {
      body.push(set(s, loadSplat(r === 0 ? get(ap) : add(get(ap), mul(get(aRowB), i32(r))))));
      body.push(set(acc[2 * r], mac(get(acc[2 * r]), get(s), get(b0))));
      body.push(set(acc[2 * r + 1], mac(get(acc[2 * r + 1]), get(s), get(b1))));
    }
    const cRow = (r: number) => add(get(cp), by4(mul(get(n), i32(r))));
    return [
      ...acc.slice(0, 2 * rows).map((x) => set(x, v128Zero())),
      set(ap, add(get(aBase), mul(get(i), get(aRowB)))),
      set(bp, add(get(bBase), by4(get(j)))),
      forRange(kk, i32(0), get(k), 1, ...body, inc(ap, get(aColB)), inc(bp, get(bRowB))),
      set(cp, add(get(cBase), by4(add(mul(get(i), get(n)), get(j))))),
      ...Array.from({ length: rows }, (_, r) => [
        ...v128Store(cRow(r), get(acc[2 * r])),
        ...v128Store(cRow(r), get(acc[2 * r + 1]), 16),
      ]),
    ];
  };
  const edge: Bytes[] = [
    set(sacc, f32(0)),
    set(ap, add(get(aBase), mul(get(i), get(aRowB)))),
    set(bp, add(get(bBase), by4(get(j)))),
    forRange(kk, i32(0), get(k), 1,
      set(sacc, f32Add(get(sacc), f32Mul(f32Load(get(ap)), f32Load(get(bp))))), inc(ap, get(aColB)), inc(bp, get(bRowB))),
    f32Store(add(get(cBase), by4(add(mul(get(i), get(n)), get(j)))), get(sacc)),
  ];
  f.emit(
    set(m4, and(get(m), i32(~3))),
    set(n8, and(get(n), i32(~7))),
    set(aRowB, by4(get(aRow))),
    set(aColB, by4(get(aCol))),
    set(bRowB, by4(get(n))),
    forRange(t, i32(0), get(batch), 1,
      set(aBase, add(get(a), by4(mul(get(t), get(aBatch))))),
      set(bBase, add(get(bm), by4(mul(get(t), get(bBatch))))),
      set(cBase, add(get(cm), by4(mul(mul(get(t), get(m)), get(n))))),
      forRange(i, i32(0), get(m4), 4, forRange(j, i32(0), get(n8), 8, ...tile(4))),
      forRange(i, get(m4), get(m), 1, forRange(j, i32(0), get(n8), 8, ...tile(1))),
      forRange(i, i32(0), get(m), 1, forRange(j, get(n8), get(n), 1, ...edge)),
    ),
  );
  return f;
}

/** zero(dst, n): dst[0..n) = 0. */
function zero(): Func {
  const f = new Func('zero', [P, P]);
  return f.emit(zeroFill(f, 0, get(1)));
}

/** Copies count floats from src to dst (byte pointers), 4 at a time then the rest. */
function copyFloats(f: Func, src: Bytes, dst: Bytes, count: number, count4: number): Bytes {
  const k = f.local(I32);
  return [
    ...forRange(k, i32(0), get(count4), 4, v128Store(add(dst, by4(get(k))), v128Load(add(src, by4(get(k)))))),
    ...forRange(k, get(count4), get(count), 1, f32Store(add(dst, by4(get(k))), f32Load(add(src, by4(get(k)))))),
  ];
}

/**
 * phaseScatter(src, dst, n, u, v, c, h, w, sh, sw, ry, rx):
 * dst[b, ry + sh*i, rx + sw*j, :] = src[b, i, j, :] (NHWC), the inverse of
 * taking one stride phase of an image.
 */
function phaseScatter(): Func {
  const f = new Func('phaseScatter', Array<typeof P>(12).fill(P));
  const [src, dst, n, u, v, c, h, w, sh, sw, ry, rx] = Array.from({ length: 12 }, (_, i) => i);
  const [b, i, j, sp, dp, c4] = f.locals32(6);
  f.emit(
    set(c4, and(get(c), i32(~3))),
    forRange(b, i32(0), get(n), 1,
      forRange(i, i32(0), get(u), 1,
        forRange(j, i32(0), get(v), 1,
          set(sp, add(get(src), by4(mul(add(mul(add(mul(get(b), get(u)), get(i)), get(v)), get(j)), get(c))))),
          set(dp, add(get(dst), by4(mul(add(mul(add(mul(get(b), get(h)), add(get(ry), mul(get(sh), get(i)))), get(w)),
            add(get(rx), mul(get(sw), get(j)))), get(c))))),
          copyFloats(f, get(sp), get(dp), c, c4)))),
  );
  return f;
}

export const TRANSPOSE_RANK = 6;

/**
 * transpose(src, dst, d0..d5, s0..s5): dst, written in order, has dims d and
 * reads src at element strides s (any 4-byte dtype). A unit innermost stride
 * becomes block copies.
 */
function transpose(): Func {
  const R = TRANSPOSE_RANK;
  const f = new Func('transpose', Array<typeof P>(2 + 2 * R).fill(P));
  const dims = Array.from({ length: R }, (_, i) => 2 + i);
  const strides = Array.from({ length: R }, (_, i) => 2 + R + i);
  const idx = f.locals32(R);
  const base = f.locals32(R);
  const [dp, inner4, k] = f.locals32(3);
  const last = R - 1;
  const innerCopy: Bytes = [
    ...ifThen(eq(get(strides[last]), i32(1)),
      copyFloats(f, get(base[last - 1]), get(dp), dims[last], inner4)),
    ...ifThen(ne(get(strides[last]), i32(1)),
      forRange(k, i32(0), get(dims[last]), 1,
        f32Store(add(get(dp), by4(get(k))), f32Load(add(get(base[last - 1]), by4(mul(get(k), get(strides[last])))))))),
    ...inc(dp, by4(get(dims[last]))),
  ];
  let body = innerCopy;
  for (let level = last - 1; level >= 0; level--) {
    const parent = level === 0 ? get(0) : get(base[level - 1]);
    body = forRange(idx[level], i32(0), get(dims[level]), 1,
      set(base[level], add(parent, by4(mul(get(idx[level]), get(strides[level]))))),
      body);
  }
  return f.emit(set(dp, get(1)), set(inner4, and(get(dims[last]), i32(~3))), body);
}

/**
 * batchNorm(x, mean, variance, offset, scale, out, n, period, eps):
 * out = (x - mean) * scale / sqrt(variance + eps) + offset, where the four
 * parameter tensors have `period` elements repeating along x (per-channel
 * BatchNorm: period = C; LayerNorm after tfjs-layers' tiling: period = n).
 */
function batchNorm(): Func {
  const f = new Func('batchNorm', [P, P, P, P, P, P, P, P, F32]);
  const [x, mean, variance, offset, scale, out, n, period, eps] = Array.from({ length: 9 }, (_, i) => i);
  const [j, p4, xo] = f.locals32(3);
  const epsV = f.local(V128);
  const at = (t: number, e: Bytes) => add(get(t), by4(e));
  const vec = (j: Bytes): Bytes => f32x4Add(
    f32x4Div(f32x4Mul(f32x4Sub(v128Load(at(x, add(get(xo), j))), v128Load(at(mean, j))), v128Load(at(scale, j))),
      f32x4Sqrt(f32x4Add(v128Load(at(variance, j)), get(epsV)))),
    v128Load(at(offset, j)));
  const one = (j: Bytes): Bytes => f32Add(
    f32Div(f32Mul(f32Sub(f32Load(at(x, add(get(xo), j))), f32Load(at(mean, j))), f32Load(at(scale, j))),
      f32Sqrt(f32Add(f32Load(at(variance, j)), get(eps)))),
    f32Load(at(offset, j)));
  return f.emit(
    set(epsV, f32x4SplatF(get(eps))),
    set(p4, and(get(period), i32(~3))),
    forRange(xo, i32(0), get(n), get(period),
      forRange(j, i32(0), get(p4), 4, v128Store(at(out, add(get(xo), get(j))), vec(get(j)))),
      forRange(j, get(p4), get(period), 1, f32Store(at(out, add(get(xo), get(j))), one(get(j))))),
  );
}

export type BinaryOp = 'add' | 'sub' | 'mul' | 'div';
const VEC_OPS: Record<BinaryOp, (a: Bytes, b: Bytes) => Bytes> = { add: f32x4Add, sub: f32x4Sub, mul: f32x4Mul, div: f32x4Div };
const SCALAR_OPS: Record<BinaryOp, (a: Bytes, b: Bytes) => Bytes> = { add: f32Add, sub: f32Sub, mul: f32Mul, div: f32Div };

/**
 * `${op}Periodic${order}`(big, small, out, n, period): out[i] = big[i] op
 * small[i % period] (order 'BS') or small[i % period] op big[i] ('SB'): a
 * broadcast of a per-channel (or any trailing-dims) tensor along x.
 */
function binaryPeriodic(op: BinaryOp, smallFirst: boolean): Func {
  const f = new Func(`${op}Periodic${smallFirst ? 'SB' : 'BS'}`, [P, P, P, P, P]);
  const [big, small, out, n, period] = [0, 1, 2, 3, 4];
  const [blk, j, p4] = f.locals32(3);
  const at = (t: number, e: Bytes) => add(get(t), by4(e));
  const pair = <T>(b: T, s: T): [T, T] => (smallFirst ? [s, b] : [b, s]);
  const vec = () => VEC_OPS[op](...pair(v128Load(at(big, add(get(blk), get(j)))), v128Load(at(small, get(j)))));
  const one = () => SCALAR_OPS[op](...pair(f32Load(at(big, add(get(blk), get(j)))), f32Load(at(small, get(j)))));
  return f.emit(
    set(p4, and(get(period), i32(~3))),
    forRange(blk, i32(0), get(n), get(period),
      forRange(j, i32(0), get(p4), 4, v128Store(at(out, add(get(blk), get(j))), vec())),
      forRange(j, get(p4), get(period), 1, f32Store(at(out, add(get(blk), get(j))), one()))),
  );
}

export const BINARY_OPS: BinaryOp[] = ['add', 'sub', 'mul', 'div'];

export function KERNEL_FUNCS(opts: { fma: boolean }): Func[] {
  useFma = opts.fma;
  return [
    colsum(), maxPoolGrad(), convBackpropFilter(1), convBackpropFilter(2), matmul(), zero(), phaseScatter(), transpose(), batchNorm(),
    ...BINARY_OPS.flatMap((op) => [binaryPeriodic(op, false), binaryPeriodic(op, true)]),
  ];
}
