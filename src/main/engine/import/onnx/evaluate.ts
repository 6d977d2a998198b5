import type { Attribute, OnnxNode, TensorInfo } from './decode';
import { TensorType } from './decode';

/**
 * A small float64 interpreter for the ONNX ops that attention subgraphs and shape arithmetic use. The importer runs
 * a recognised subgraph on probe inputs to read its weights off (see attention.ts) and folds shape computations.
 */
export interface Tensor {
  dims: number[];
  data: Float64Array;
  /** An integer tensor (INT64, INT32, BOOL): division truncates. */
  int: boolean;
}

export class EvalError extends Error {}

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function stridesOf(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

// INT64, INT32, INT16, INT8, UINT8, UINT16, BOOL (ONNX TensorProto.DataType).
const INT_TYPES = new Set<number>([TensorType.INT64, TensorType.INT32, 5, TensorType.INT8, TensorType.UINT8, 4, 9]);

export function tensorOf(t: TensorInfo): Tensor | undefined {
  if (t.floats) return { dims: [...t.dims], data: Float64Array.from(t.floats), int: INT_TYPES.has(t.dataType) };
  return t.ints ? { dims: [...t.dims], data: Float64Array.from(t.ints), int: true } : undefined;
}

export function tensorInfoOf(name: string, t: Tensor): TensorInfo {
  return t.int
    ? { name, dims: [...t.dims], dataType: TensorType.INT64, ints: Array.from(t.data) }
    : { name, dims: [...t.dims], dataType: TensorType.FLOAT, floats: Float32Array.from(t.data) };
}

const axisOf = (a: number, rank: number): number => (a < 0 ? a + rank : a);

function broadcastDims(a: readonly number[], b: readonly number[]): number[] {
  const r = Math.max(a.length, b.length);
  const out: number[] = [];
  for (let i = 0; i < r; i++) {
    const x = a[a.length - r + i] ?? 1;
    const y = b[b.length - r + i] ?? 1;
    if (x !== y && x !== 1 && y !== 1) throw new EvalError(`shapes [${a}] and [${b}] do not broadcast`);
    out.push(x === 1 ? y : x);
  }
  return out;
}

/** Index of `out` position (row-major over `dims`) in a broadcast input of shape `inDims`. */
function broadcastIndexer(dims: readonly number[], inDims: readonly number[]): (flat: number) => number {
  const r = dims.length;
  const pad = [...new Array<number>(r - inDims.length).fill(1), ...inDims];
  const inStrides = stridesOf(pad);
  const outStrides = stridesOf(dims);
  return (flat) => {
    let off = 0;
    for (let i = 0; i < r; i++) {
      const c = Math.floor(flat / outStrides[i]) % dims[i];
      if (pad[i] !== 1) off += c * inStrides[i];
    }
    return off;
  };
}

function elementwise(xs: Tensor[], f: (...v: number[]) => number, int: boolean): Tensor {
  let dims: number[] = xs[0].dims;
  for (const x of xs.slice(1)) dims = broadcastDims(dims, x.dims);
  const n = size(dims);
  const idx = xs.map((x) => {
    if (x.dims.join() === dims.join()) return (i: number) => i;
    const m = size(x.dims);
    if (m === 1) return () => 0;
    // Broadcast along leading axes only (a bias over rows): the index wraps.
    const core = x.dims.slice(x.dims.findIndex((d) => d !== 1));
    if (core.join() === dims.slice(dims.length - core.length).join()) return (i: number) => i % m;
    return broadcastIndexer(dims, x.dims);
  });
  const data = new Float64Array(n);
  const v = new Array<number>(xs.length);
  for (let i = 0; i < n; i++) {
    for (let k = 0; k < xs.length; k++) v[k] = xs[k].data[idx[k](i)];
    data[i] = f(...v);
  }
  return { dims, data, int };
}

function transpose(x: Tensor, perm: number[]): Tensor {
  const dims = perm.map((p) => x.dims[p]);
  const inS = stridesOf(x.dims);
  const step = perm.map((p) => inS[p]);
  const r = dims.length;
  const n = size(dims);
  const data = new Float64Array(n);
  // Walk the output row-major with an odometer, moving the input offset by each axis' stride.
  const at = new Array<number>(r).fill(0);
  let off = 0;
  for (let i = 0; i < n; i++) {
    data[i] = x.data[off];
    for (let k = r - 1; k >= 0; k--) {
      if (++at[k] < dims[k]) {
        off += step[k];
        break;
      }
      off -= step[k] * (dims[k] - 1);
      at[k] = 0;
    }
  }
  return { dims, data, int: x.int };
}

function reshapeDims(dims: readonly number[], target: number[], allowZero: boolean): number[] {
  const shape = target.map((d, i) => (d === 0 && !allowZero ? dims[i] : d));
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = shape.map((d) => (d === -1 ? size(dims) / known : d));
  if (out.some((d) => !Number.isInteger(d) || d < 0) || size(out) !== size(dims)) throw new EvalError(`cannot reshape [${dims}] to [${target}]`);
  return out;
}

/** Picks along each axis (cartesian product, row-major). */
function pick(x: Tensor, picks: number[][]): Tensor {
  const st = stridesOf(x.dims);
  const out: number[] = [];
  const walk = (axis: number, off: number): void => {
    if (axis === x.dims.length) {
      out.push(x.data[off]);
      return;
    }
    for (const i of picks[axis]) walk(axis + 1, off + i * st[axis]);
  };
  walk(0, 0);
  return { dims: picks.map((p) => p.length), data: Float64Array.from(out), int: x.int };
}

const all = (d: number): number[] => Array.from({ length: d }, (_, i) => i);

function matmul(a: Tensor, b: Tensor): Tensor {
  if (a.dims.length < 2 || b.dims.length < 2) throw new EvalError('MatMul of a vector');
  const [m, k] = a.dims.slice(-2);
  const [k2, n] = b.dims.slice(-2);
  if (k !== k2) throw new EvalError(`MatMul [${a.dims}] × [${b.dims}]`);
  const batch = broadcastDims(a.dims.slice(0, -2), b.dims.slice(0, -2));
  const nb = size(batch);
  const ia = broadcastIndexer(batch, a.dims.slice(0, -2));
  const ib = broadcastIndexer(batch, b.dims.slice(0, -2));
  const data = new Float64Array(nb * m * n);
  for (let t = 0; t < nb; t++) {
    const oa = ia(t) * m * k;
    const ob = ib(t) * k * n;
    const oo = t * m * n;
    for (let i = 0; i < m; i++)
      for (let p = 0; p < k; p++) {
        const av = a.data[oa + i * k + p];
        if (av === 0) continue;
        for (let j = 0; j < n; j++) data[oo + i * n + j] += av * b.data[ob + p * n + j];
      }
  }
  return { dims: [...batch, m, n], data, int: false };
}

/** Evaluates one node. `attr` reads its attributes; the opset decides Softmax's default axis and attribute-vs-input forms. */
export function evalNode(n: OnnxNode, ins: (Tensor | undefined)[], opset: number): Tensor[] {
  const attr = (name: string): Attribute | undefined => n.attrs.get(name);
  const x = ins[0];
  const need = (t: Tensor | undefined, what: string): Tensor => {
    if (!t) throw new EvalError(`${n.op} needs its ${what}`);
    return t;
  };
  const ints = (t: Tensor | undefined): number[] | undefined => (t ? Array.from(t.data) : undefined);
  switch (n.op) {
    case 'Identity':
    case 'Dropout':
      return [need(x, 'input')];
    case 'Shape': {
      const t = need(x, 'input');
      return [{ dims: [t.dims.length], data: Float64Array.from(t.dims), int: true }];
    }
    case 'Cast': {
      const t = need(x, 'input');
      const to = attr('to')?.i ?? TensorType.FLOAT;
      const int = INT_TYPES.has(to);
      return [{ dims: t.dims, data: int ? t.data.map(Math.trunc) : t.data, int }];
    }
    case 'Add':
    case 'Sub':
    case 'Mul':
    case 'Div':
    case 'Pow':
    case 'Equal': {
      const a = need(ins[0], 'A');
      const b = need(ins[1], 'B');
      const int = a.int && b.int;
      const f: Record<string, (p: number, q: number) => number> = {
        Add: (p, q) => p + q,
        Sub: (p, q) => p - q,
        Mul: (p, q) => p * q,
        Div: (p, q) => (int ? Math.trunc(p / q) : p / q),
        Pow: (p, q) => p ** q,
        Equal: (p, q) => (p === q ? 1 : 0),
      };
      return [elementwise([a, b], f[n.op], n.op === 'Equal' || int)];
    }
    case 'Sqrt':
      return [elementwise([need(x, 'input')], Math.sqrt, false)];
    case 'Where': {
      const [c, a, b] = [need(ins[0], 'condition'), need(ins[1], 'X'), need(ins[2], 'Y')];
      return [elementwise([c, a, b], (p, q, r) => (p ? q : r), a.int && b.int)];
    }
    case 'ConstantOfShape': {
      const dims = need(x, 'shape');
      const v = attr('value')?.t;
      const fill = v ? (v.ints?.[0] ?? v.floats?.[0] ?? 0) : 0;
      const d = Array.from(dims.data);
      return [{ dims: d, data: new Float64Array(size(d)).fill(fill), int: v ? !v.floats : false }];
    }
    case 'Expand': {
      const t = need(x, 'input');
      const shape = Array.from(need(ins[1], 'shape').data);
      const dims = broadcastDims(t.dims, shape);
      if (size(dims) > 1 << 22) throw new EvalError('Expand too large to evaluate');
      return [elementwise([t, { dims, data: new Float64Array(size(dims)), int: t.int }], (p) => p, t.int)];
    }
    case 'Reshape': {
      const t = need(x, 'data');
      const target = need(ins[1], 'shape');
      return [{ dims: reshapeDims(t.dims, Array.from(target.data), attr('allowzero')?.i === 1), data: t.data, int: t.int }];
    }
    case 'Flatten': {
      const t = need(x, 'input');
      const a = axisOf(attr('axis')?.i ?? 1, t.dims.length);
      return [{ dims: [size(t.dims.slice(0, a)), size(t.dims.slice(a))], data: t.data, int: t.int }];
    }
    case 'Unsqueeze':
    case 'Squeeze': {
      const t = need(x, 'data');
      const axes = attr('axes')?.ints ?? ints(ins[1]);
      const dims = [...t.dims];
      if (n.op === 'Squeeze') {
        const drop = axes ? axes.map((a) => axisOf(a, dims.length)) : dims.flatMap((d, i) => (d === 1 ? [i] : []));
        return [{ dims: dims.filter((_, i) => !drop.includes(i)), data: t.data, int: t.int }];
      }
      if (!axes) throw new EvalError('Unsqueeze without axes');
      const rank = dims.length + axes.length;
      for (const a of axes.map((v) => axisOf(v, rank)).sort((p, q) => p - q)) dims.splice(a, 0, 1);
      return [{ dims, data: t.data, int: t.int }];
    }
    case 'Transpose': {
      const t = need(x, 'data');
      const perm = attr('perm')?.ints ?? t.dims.map((_, i) => t.dims.length - 1 - i);
      return [transpose(t, perm)];
    }
    case 'Gather': {
      const t = need(x, 'data');
      const idx = need(ins[1], 'indices');
      const a = axisOf(attr('axis')?.i ?? 0, t.dims.length);
      const picks = t.dims.map(all);
      const indices = Array.from(idx.data).map((i) => (i < 0 ? i + t.dims[a] : i));
      picks[a] = indices;
      const g = pick(t, picks);
      const dims = [...t.dims.slice(0, a), ...idx.dims, ...t.dims.slice(a + 1)];
      return [{ dims, data: g.data, int: t.int }];
    }
    case 'Slice': {
      const t = need(x, 'data');
      const starts = attr('starts')?.ints ?? ints(ins[1]);
      const ends = attr('ends')?.ints ?? ints(ins[2]);
      const axes = attr('axes')?.ints ?? ints(ins[3]) ?? starts?.map((_, i) => i);
      const steps = ints(ins[4]);
      if (!starts || !ends || !axes) throw new EvalError('Slice without starts/ends');
      const picks = t.dims.map(all);
      axes.forEach((ax, k) => {
        const a = axisOf(ax, t.dims.length);
        const d = t.dims[a];
        const step = steps?.[k] ?? 1;
        const norm = (v: number): number => (v < 0 ? v + d : v);
        const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
        const s = step > 0 ? clamp(norm(starts[k]), 0, d) : clamp(norm(starts[k]), 0, d - 1);
        const e = step > 0 ? clamp(norm(ends[k]), 0, d) : clamp(norm(ends[k]), -1, d - 1);
        const idx: number[] = [];
        for (let i = s; step > 0 ? i < e : i > e; i += step) idx.push(i);
        picks[a] = idx;
      });
      return [pick(t, picks)];
    }
    case 'Split': {
      const t = need(x, 'input');
      const a = axisOf(attr('axis')?.i ?? 0, t.dims.length);
      const parts = attr('split')?.ints ?? ints(ins[1]) ?? new Array<number>(n.outputs.length).fill(t.dims[a] / n.outputs.length);
      let at = 0;
      return parts.map((len) => {
        const picks = t.dims.map(all);
        picks[a] = all(len).map((i) => i + at);
        at += len;
        return pick(t, picks);
      });
    }
    case 'Concat': {
      const ts = ins.map((t, i) => need(t, `input ${i}`));
      const a = axisOf(attr('axis')?.i ?? 0, ts[0].dims.length);
      const outer = size(ts[0].dims.slice(0, a));
      const chunks = ts.map((t) => size(t.dims.slice(a)));
      const data = new Float64Array(outer * chunks.reduce((p, q) => p + q, 0));
      let off = 0;
      for (let o = 0; o < outer; o++)
        ts.forEach((t, k) => {
          data.set(t.data.subarray(o * chunks[k], (o + 1) * chunks[k]), off);
          off += chunks[k];
        });
      const dims = [...ts[0].dims];
      dims[a] = ts.reduce((s, t) => s + t.dims[a], 0);
      return [{ dims, data, int: ts.every((t) => t.int) }];
    }
    case 'MatMul':
      return [matmul(need(ins[0], 'A'), need(ins[1], 'B'))];
    case 'Gemm': {
      let a = need(ins[0], 'A');
      let b = need(ins[1], 'B');
      if (attr('transA')?.i === 1) a = transpose(a, [1, 0]);
      if (attr('transB')?.i === 1) b = transpose(b, [1, 0]);
      const alpha = attr('alpha')?.f ?? 1;
      const beta = attr('beta')?.f ?? 1;
      let y = matmul(a, b);
      if (alpha !== 1) y = elementwise([y], (p) => alpha * p, false);
      if (ins[2]) y = elementwise([y, ins[2]], (p, q) => p + beta * q, false);
      return [y];
    }
    case 'Softmax': {
      const t = need(x, 'input');
      const a = axisOf(attr('axis')?.i ?? (opset >= 13 ? -1 : 1), t.dims.length);
      if (a !== t.dims.length - 1) throw new EvalError('Softmax over an axis that is not the last');
      const d = t.dims[a];
      const data = new Float64Array(t.data.length);
      for (let r = 0; r < t.data.length; r += d) {
        let m = -Infinity;
        for (let j = 0; j < d; j++) m = Math.max(m, t.data[r + j]);
        let s = 0;
        for (let j = 0; j < d; j++) s += data[r + j] = Math.exp(t.data[r + j] - m);
        for (let j = 0; j < d; j++) data[r + j] /= s;
      }
      return [{ dims: t.dims, data, int: false }];
    }
    default:
      throw new EvalError(`op ${n.op} is not evaluated`);
  }
}

/**
 * Runs `nodes` (in topological order) from the given tensors; `override` replaces a node output after it is
 * computed (a probe injected mid-graph). Returns every tensor computed.
 */
export function run(nodes: readonly OnnxNode[], given: Map<string, Tensor>, opset: number, override?: Map<string, Tensor>): Map<string, Tensor> {
  const env = new Map(given);
  for (const n of nodes) {
    const outs = evalNode(n, n.inputs.map((i) => (i ? env.get(i) : undefined)), opset);
    n.outputs.forEach((o, k) => env.set(o, override?.get(o) ?? outs[k]));
  }
  return env;
}
