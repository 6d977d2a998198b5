// A direct NHWC convolution kernel generated per layer shape: channel counts,
// filter size, strides and dilations are baked in as constants, so every
// address offset in the inner loop is an immediate. Register tile: 4 output
// pixels x 8 output channels, accumulated over kh*kw*ci with FMA where
// available. The input must already be padded (a "valid" conv).
import type { BackendWasm } from '@tensorflow/tfjs-backend-wasm';
import {
  add, assemble, type Bytes, divS, eq, f32x4Add, f32x4Max, f32x4Mul, f32x4RelaxedMadd, forRange, Func, get, I32, i32, ifThen, inc, loadSplat,
  mul, set, shl, sub, V128, v128Load, v128Store, v128Zero,
} from './asm';
import { compileOptimized, fmaSupported, memoryOf } from './module';
import { Wasm } from './wasmApi';

export interface ConvShape {
  ci: number;
  co: number;
  kh: number;
  kw: number;
  sh: number;
  sw: number;
  dh: number;
  dw: number;
  bias: boolean;
  relu: boolean;
}

/** conv(x, w, bias, out, n, hp, wp, oh, ow): out[n, oh, ow, co] from padded x[n, hp, wp, ci], w[kh, kw, ci, co]. */
export type ConvKernel = (x: number, w: number, bias: number, out: number, n: number, hp: number, wp: number, oh: number, ow: number) => void;

/** Output channels per register tile; layers whose co is not a multiple use XNNPACK. */
export const CONV_CO_TILE = 8;

/** Register tile: output pixels x 4-channel vectors (env NETSMITH_CONV_TILE="p,v" overrides, for tuning). */
function tileShape(co: number): { pixels: number; vecs: number } {
  const env = process.env.NETSMITH_CONV_TILE?.split(',').map(Number);
  if (env != null && env.length === 2 && co % (4 * env[1]) === 0) return { pixels: env[0], vecs: env[1] };
  return { pixels: 4, vecs: 2 };
}

function convFunc(c: ConvShape, fma: boolean): Func {
  const { pixels: P, vecs: V } = tileShape(c.co);
  const f = new Func('conv', [I32, I32, I32, I32, I32, I32, I32, I32, I32]);
  const [x, w, bias, out, n, hp, wp, oh, ow] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const [b, oy, cb, ox, owP, xRow, xRowBase, oRowBase, xp, xq, wq, cnt, tileW] = f.locals32(13);
  const acc = Array.from({ length: P * V }, () => f.local(V128));
  const wv = Array.from({ length: V }, () => f.local(V128));
  const s = f.local(V128);
  const by4 = (e: Bytes) => shl(e, i32(2));
  const mac = (a: number, v: number): Bytes => (fma ? f32x4RelaxedMadd(get(s), get(v), get(a)) : f32x4Add(get(a), f32x4Mul(get(s), get(v))));
  const pixelStep = 4 * c.sw * c.ci; // bytes between neighbouring output pixels' inputs

  const tile = (pixels: number): Bytes[] => {
    const init = Array.from({ length: V * pixels }, (_, k) =>
      set(acc[k], c.bias ? v128Load(add(get(bias), by4(get(cb))), 16 * (k % V)) : v128Zero()));
    const taps: Bytes[] = [];
    for (let ky = 0; ky < c.kh; ky++) {
      for (let kx = 0; kx < c.kw; kx++) {
        const body: Bytes[] = wv.map((l, v) => set(l, v128Load(get(wq), 16 * v)));
        for (let r = 0; r < pixels; r++) {
          body.push(set(s, loadSplat(get(xq), r * pixelStep)));
          for (let v = 0; v < V; v++) body.push(set(acc[V * r + v], mac(acc[V * r + v], wv[v])));
        }
        taps.push(
          set(xq, add(add(get(xp), mul(get(xRow), i32(ky * c.dh))), i32(4 * kx * c.dw * c.ci))),
          set(wq, add(get(tileW), i32(4 * (ky * c.kw + kx) * c.ci * c.co))),
          forRange(cnt, i32(0), i32(c.ci), 1, ...body, inc(xq, 4), inc(wq, 4 * c.co)),
        );
      }
    }
    const store = Array.from({ length: V * pixels }, (_, k) => {
      const v = c.relu ? f32x4Max(get(acc[k]), v128Zero()) : get(acc[k]);
      const r = Math.floor(k / V);
      return v128Store(add(get(oRowBase), by4(add(mul(add(get(ox), i32(r)), i32(c.co)), get(cb)))), v, 16 * (k % V));
    });
    return [
      ...init,
      set(xp, add(get(xRowBase), mul(get(ox), i32(pixelStep)))),
      set(tileW, add(get(w), by4(get(cb)))),
      ...taps,
      ...store,
    ];
  };

  return f.emit(
    set(xRow, by4(mul(get(wp), i32(c.ci)))),
    set(owP, mul(divS(get(ow), i32(P)), i32(P))),
    forRange(b, i32(0), get(n), 1,
      forRange(oy, i32(0), get(oh), 1,
        set(xRowBase, add(get(x), mul(add(mul(get(b), get(hp)), mul(get(oy), i32(c.sh))), get(xRow)))),
        set(oRowBase, add(get(out), by4(mul(mul(add(mul(get(b), get(oh)), get(oy)), get(ow)), i32(c.co))))),
        forRange(cb, i32(0), i32(c.co), 4 * V,
          forRange(ox, i32(0), get(owP), P, ...tile(P)),
          // The last ow % P pixels of a row as one narrower tile (1-pixel tiles are FMA-latency bound).
          ...Array.from({ length: P - 1 }, (_, r) => ifThen(eq(sub(get(ow), get(owP)), i32(r + 1)), set(ox, get(owP)), ...tile(r + 1)))))),
  );
}

const cache = new WeakMap<BackendWasm, Map<string, ConvKernel>>();

/** The kernel for one layer shape, assembled on first use. */
export function convKernel(backend: BackendWasm, shape: ConvShape): ConvKernel {
  let byShape = cache.get(backend);
  if (byShape == null) cache.set(backend, (byShape = new Map()));
  const key = JSON.stringify(shape);
  let k = byShape.get(key);
  if (k == null) {
    const module = compileOptimized(assemble([convFunc(shape, fmaSupported())]));
    const instance = new Wasm.Instance(module, { env: { memory: memoryOf(backend) } });
    k = instance.exports.conv as ConvKernel;
    byShape.set(key, k);
  }
  return k;
}
