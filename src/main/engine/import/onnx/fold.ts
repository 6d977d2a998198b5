import type { Attribute, OnnxNode, TensorInfo } from './decode';
import { TensorType } from './decode';

// Constant folding of the small integer subgraphs exporters leave in a model (torch.onnx writes F.pad's pads as
// ConstantOfShape → Concat → Reshape → Slice → Transpose → Reshape → Cast): evaluated so the op they feed sees a constant.

const size = (dims: readonly number[]): number => dims.reduce((a, b) => a * b, 1);

function values(t: TensorInfo): number[] | undefined {
  return t.ints ?? (t.floats ? Array.from(t.floats) : undefined);
}

function strides(dims: readonly number[]): number[] {
  const s = new Array<number>(dims.length).fill(1);
  for (let i = dims.length - 2; i >= 0; i--) s[i] = s[i + 1] * dims[i + 1];
  return s;
}

/** Gathers `data` at the per-axis index lists (the cartesian product, row-major). */
function gather(data: number[], dims: readonly number[], picks: number[][]): number[] {
  const st = strides(dims);
  const out: number[] = [];
  const walk = (axis: number, offset: number): void => {
    if (axis === dims.length) {
      out.push(data[offset]);
      return;
    }
    for (const i of picks[axis]) walk(axis + 1, offset + i * st[axis]);
  };
  walk(0, 0);
  return out;
}

function reshape(dims: readonly number[], target: number[]): number[] | undefined {
  const shape = target.map((d, i) => (d === 0 ? dims[i] : d));
  const known = shape.filter((d) => d !== -1).reduce((a, b) => a * b, 1);
  const out = shape.map((d) => (d === -1 ? size(dims) / known : d));
  return out.every((d) => Number.isInteger(d) && d >= 0) && size(out) === size(dims) ? out : undefined;
}

function slice(data: number[], dims: readonly number[], starts: number[], ends: number[], axes: number[] | undefined, steps: number[] | undefined): { data: number[]; dims: number[] } | undefined {
  const picks = dims.map((d) => Array.from({ length: d }, (_, i) => i));
  const ax = axes ?? starts.map((_, i) => i);
  for (let k = 0; k < ax.length; k++) {
    const a = ax[k] < 0 ? ax[k] + dims.length : ax[k];
    const d = dims[a];
    const step = steps?.[k] ?? 1;
    if (step === 0 || a < 0 || a >= dims.length) return undefined;
    const norm = (v: number): number => (v < 0 ? v + d : v);
    const clamp = (v: number, lo: number, hi: number): number => Math.min(Math.max(v, lo), hi);
    const start = step > 0 ? clamp(norm(starts[k]), 0, d) : clamp(norm(starts[k]), 0, d - 1);
    const end = step > 0 ? clamp(norm(ends[k]), 0, d) : clamp(norm(ends[k]), -1, d - 1);
    const idx: number[] = [];
    for (let i = start; step > 0 ? i < end : i > end; i += step) idx.push(i);
    picks[a] = idx;
  }
  return { data: gather(data, dims, picks), dims: picks.map((p) => p.length) };
}

/** The constant a node computes from constant inputs, or undefined when it is not one of the folded ops. */
export function foldNode(n: OnnxNode, input: (i: number) => TensorInfo | undefined, attr: (name: string) => Attribute | undefined): TensorInfo | undefined {
  const ins = n.inputs.map((_, i) => input(i));
  const out = (dims: number[], data: number[], dataType = ins[0]?.dataType ?? TensorType.INT64): TensorInfo => {
    const isFloat = dataType === TensorType.FLOAT || dataType === TensorType.DOUBLE;
    return { name: n.outputs[0], dims, dataType, ...(isFloat ? { floats: Float32Array.from(data) } : { ints: data }) };
  };
  const v = (i: number): number[] | undefined => (ins[i] ? values(ins[i]!) : undefined);
  switch (n.op) {
    case 'ConstantOfShape': {
      const shape = v(0);
      const fill = attr('value')?.t;
      if (!shape) return undefined;
      const x = fill ? (values(fill)?.[0] ?? 0) : 0;
      return out(shape, new Array<number>(size(shape)).fill(x), fill?.dataType ?? TensorType.FLOAT);
    }
    case 'Concat': {
      if (ins.some((t) => !t || t.dims.length !== 1)) return undefined;
      const all = ins.flatMap((t) => values(t!) ?? []);
      return out([all.length], all);
    }
    case 'Reshape': {
      const data = v(0);
      const target = v(1);
      const dims = data && target ? reshape(ins[0]!.dims, target) : undefined;
      return dims ? out(dims, data!) : undefined;
    }
    case 'Unsqueeze':
    case 'Squeeze': {
      const data = v(0);
      const axes = attr('axes')?.ints ?? v(1);
      if (!data || !axes) return undefined;
      const dims = [...ins[0]!.dims];
      if (n.op === 'Squeeze') return out(dims.filter((_, i) => !axes.map((a) => (a < 0 ? a + dims.length : a)).includes(i)), data);
      const rank = dims.length + axes.length;
      for (const a of axes.map((x) => (x < 0 ? x + rank : x)).sort((p, q) => p - q)) dims.splice(a, 0, 1);
      return out(dims, data);
    }
    case 'Slice': {
      const data = v(0);
      const starts = v(1);
      const ends = v(2);
      if (!data || !starts || !ends) return undefined;
      const r = slice(data, ins[0]!.dims, starts, ends, v(3), v(4));
      return r && out(r.dims, r.data);
    }
    case 'Transpose': {
      const data = v(0);
      if (!data) return undefined;
      const dims = ins[0]!.dims;
      const perm = attr('perm')?.ints ?? dims.map((_, i) => dims.length - 1 - i);
      const picks = perm.map((p) => Array.from({ length: dims[p] }, (_, i) => i));
      // Walk the output in row-major order and read the input through the inverse permutation.
      const st = strides(dims);
      const outData: number[] = [];
      const walk = (axis: number, offset: number): void => {
        if (axis === perm.length) {
          outData.push(data[offset]);
          return;
        }
        for (const i of picks[axis]) walk(axis + 1, offset + i * st[perm[axis]]);
      };
      walk(0, 0);
      return out(perm.map((p) => dims[p]), outData);
    }
    case 'Cast': {
      const data = v(0);
      const to = attr('to')?.i;
      return data && to !== undefined ? out([...ins[0]!.dims], data, to) : undefined;
    }
    default:
      return undefined;
  }
}
