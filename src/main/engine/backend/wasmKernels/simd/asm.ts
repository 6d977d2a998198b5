// A tiny WebAssembly (SIMD) assembler. Our hot kernels are written with these
// expression builders, assembled into one module at startup (no toolchain, no
// binary in the repo) and run directly on the tfjs-wasm heap, whose memory
// the module imports. Expressions are byte arrays in stack-machine order.

export type Bytes = number[];
export const I32 = 0x7f;
export const F32 = 0x7d;
export const V128 = 0x7b;
export type ValType = typeof I32 | typeof F32 | typeof V128;

export function uleb(n: number): Bytes {
  const out: Bytes = [];
  do {
    let b = n & 0x7f;
    n >>>= 7;
    if (n !== 0) b |= 0x80;
    out.push(b);
  } while (n !== 0);
  return out;
}

export function sleb(n: number): Bytes {
  const out: Bytes = [];
  for (;;) {
    const b = n & 0x7f;
    n >>= 7;
    if ((n === 0 && (b & 0x40) === 0) || (n === -1 && (b & 0x40) !== 0)) {
      out.push(b);
      return out;
    }
    out.push(b | 0x80);
  }
}

const cat = (...parts: Bytes[]): Bytes => parts.flat();
const simd = (op: number): Bytes => [0xfd, ...uleb(op)];
const memarg = (align: number, offset: number): Bytes => [align, ...uleb(offset)];

// Locals and constants.
export const get = (l: number): Bytes => [0x20, ...uleb(l)];
export const set = (l: number, e: Bytes): Bytes => [...e, 0x21, ...uleb(l)];
export const i32 = (n: number): Bytes => [0x41, ...sleb(n | 0)];
export const f32 = (x: number): Bytes => [0x43, ...new Uint8Array(new Float32Array([x]).buffer)];

// i32 arithmetic and comparisons (signed).
const bin = (op: number) => (a: Bytes, b: Bytes): Bytes => [...a, ...b, op];
export const add = bin(0x6a);
export const sub = bin(0x6b);
export const mul = bin(0x6c);
export const divS = bin(0x6d);
export const shl = bin(0x74);
export const lt = bin(0x48);
export const gt = bin(0x4a);
export const le = bin(0x4c);
export const ge = bin(0x4e);
export const eq = bin(0x46);
export const ne = bin(0x47);
export const and = bin(0x71);
export const or = bin(0x72);
export const eqz = (a: Bytes): Bytes => [...a, 0x45];
export const selectI32 = (a: Bytes, b: Bytes, cond: Bytes): Bytes => [...a, ...b, ...cond, 0x1b];
export const maxI32 = (a: Bytes, b: Bytes): Bytes => selectI32(a, b, gt(a, b));
export const minI32 = (a: Bytes, b: Bytes): Bytes => selectI32(a, b, lt(a, b));
export const inc = (l: number, by: Bytes | number): Bytes => set(l, add(get(l), typeof by === 'number' ? i32(by) : by));

// f32 scalar.
export const f32Load = (addr: Bytes, offset = 0): Bytes => [...addr, 0x2a, ...memarg(2, offset)];
export const f32Store = (addr: Bytes, v: Bytes, offset = 0): Bytes => [...addr, ...v, 0x38, ...memarg(2, offset)];
export const f32Add = bin(0x92);
export const f32Sub = bin(0x93);
export const f32Mul = bin(0x94);
export const f32Div = bin(0x95);
export const f32Sqrt = (a: Bytes): Bytes => [...a, 0x91];
export const f32Gt = bin(0x5e);
export const i32Load = (addr: Bytes, offset = 0): Bytes => [...addr, 0x28, ...memarg(2, offset)];

// v128 / f32x4.
export const v128Load = (addr: Bytes, offset = 0): Bytes => [...addr, ...simd(0x00), ...memarg(2, offset)];
export const v128Store = (addr: Bytes, v: Bytes, offset = 0): Bytes => [...addr, ...v, ...simd(0x0b), ...memarg(2, offset)];
export const loadSplat = (addr: Bytes, offset = 0): Bytes => [...addr, ...simd(0x09), ...memarg(2, offset)];
export const v128Zero = (): Bytes => [...simd(0x0c), ...new Array<number>(16).fill(0)];
export const f32x4Splat = (e: Bytes): Bytes => [...e, ...simd(0x13)];
export const i32x4Splat = (e: Bytes): Bytes => [...e, ...simd(0x11)];
export const f32x4Extract = (v: Bytes, lane: number): Bytes => [...v, ...simd(0x1f), lane];
export const i32x4Extract = (v: Bytes, lane: number): Bytes => [...v, ...simd(0x1b), lane];
const vbin = (op: number) => (a: Bytes, b: Bytes): Bytes => [...a, ...b, ...simd(op)];
export const f32x4Add = vbin(0xe4);
export const f32x4Sub = vbin(0xe5);
export const f32x4Mul = vbin(0xe6);
export const f32x4Div = vbin(0xe7);
export const f32x4Sqrt = (a: Bytes): Bytes => [...a, ...simd(0xe3)];
export const f32x4Max = vbin(0xe9);
export const f32x4Gt = vbin(0x44);
/** Relaxed SIMD fused multiply-add a * b + c (an FMA instruction where the CPU has one). */
export const f32x4RelaxedMadd = (a: Bytes, b: Bytes, c: Bytes): Bytes => [...a, ...b, ...c, ...simd(0x105)];
export const i32x4Add = vbin(0xae);
export const bitselect = (a: Bytes, b: Bytes, mask: Bytes): Bytes => [...a, ...b, ...mask, ...simd(0x52)];
export const i32x4Const = (a: number, b: number, c: number, d: number): Bytes =>
  [...simd(0x0c), ...new Uint8Array(new Int32Array([a, b, c, d]).buffer)];
export const f32x4Const = (a: number, b: number, c: number, d: number): Bytes =>
  [...simd(0x0c), ...new Uint8Array(new Float32Array([a, b, c, d]).buffer)];

// Structured control flow. `br` depths are relative, so the helpers below
// nest safely: a body never branches out of its own construct.
export const block = (...body: Bytes[]): Bytes => [0x02, 0x40, ...cat(...body), 0x0b];
export const loop = (...body: Bytes[]): Bytes => [0x03, 0x40, ...cat(...body), 0x0b];
export const ifThen = (cond: Bytes, ...body: Bytes[]): Bytes => [...cond, 0x04, 0x40, ...cat(...body), 0x0b];
export const br = (depth: number): Bytes => [0x0c, ...uleb(depth)];
export const brIf = (depth: number, cond: Bytes): Bytes => [...cond, 0x0d, ...uleb(depth)];

/** for (l = from; l < to; l += step) body — `to` is re-evaluated each iteration. */
export function forRange(l: number, from: Bytes, to: Bytes, step: number | Bytes, ...body: Bytes[]): Bytes {
  return cat(set(l, from), block(loop(brIf(1, ge(get(l), to)), ...body, inc(l, step), br(0))));
}

export class Func {
  readonly locals: ValType[] = [];

  constructor(readonly name: string, readonly params: ValType[], private body: Bytes[] = []) {}

  /** Index of parameter i. */
  p(i: number): number {
    return i;
  }

  local(type: ValType): number {
    this.locals.push(type);
    return this.params.length + this.locals.length - 1;
  }

  locals32(n: number): number[] {
    return Array.from({ length: n }, () => this.local(I32));
  }

  emit(...code: Bytes[]): this {
    this.body.push(...code);
    return this;
  }

  encode(): Bytes {
    const runs: Bytes[] = [];
    let count = 0;
    for (let i = 0; i < this.locals.length; i++) {
      count++;
      if (i === this.locals.length - 1 || this.locals[i + 1] !== this.locals[i]) {
        runs.push(cat(uleb(count), [this.locals[i]]));
        count = 0;
      }
    }
    const code = cat(vec(runs), cat(...this.body), [0x0b]);
    return cat(uleb(code.length), code);
  }
}

const section = (id: number, content: Bytes): Bytes => cat([id], uleb(content.length), content);
const name = (s: string): Bytes => cat(uleb(s.length), [...new TextEncoder().encode(s)]);
const vec = (items: Bytes[]): Bytes => cat(uleb(items.length), ...items);

/** A module importing `env.memory` and exporting each function (all return nothing). */
export function assemble(funcs: Func[]): Uint8Array {
  const types = funcs.map((f) => cat([0x60], vec(f.params.map((t) => [t])), [0x00]));
  const bytes = cat(
    [0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00],
    section(1, vec(types)),
    section(2, vec([cat(name('env'), name('memory'), [0x02, 0x00], uleb(1))])),
    section(3, vec(funcs.map((_, i) => uleb(i)))),
    section(7, vec(funcs.map((f, i) => cat(name(f.name), [0x00], uleb(i))))),
    section(10, vec(funcs.map((f) => f.encode()))),
  );
  return new Uint8Array(bytes);
}
