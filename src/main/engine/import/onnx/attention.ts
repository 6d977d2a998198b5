import type { OnnxModel, OnnxNode, TensorInfo } from './decode';
import { EvalError, run, tensorOf, type Tensor } from './evaluate';

/**
 * Multi-head self-attention as exporters write it. Each exporter spells the head split differently
 * (torch.nn.MultiheadAttention: MatMul → Slice ×3 → Reshape to [N, B·h, d] → Transpose, with shapes computed from
 * Shape ops; the lab: MatMul → Reshape [B, N, 3, h, d] → Transpose → Gather), so the importer does not match the
 * op sequence. It finds the subgraph around a Softmax — Q·Kᵀ before it, ·V after it, the projections that start
 * and end it — and reads the weights off by running that subgraph on probe inputs (one-hot tokens give the rows of
 * W_Q, W_K, W_V, then of W_O). A run on random tokens then checks that the subgraph computes exactly the lab's
 * attention block with those weights; anything else is reported, never imported approximately.
 */
export interface AttentionRegion {
  softmax: OnnxNode;
  /** The tokens it attends over (input of the Q/K/V projection) and its result (after the output projection). */
  x: string;
  y: string;
  /** The subgraph's nodes in model order. */
  nodes: OnnxNode[];
  q: string;
  k: string;
  v: string;
  context: string;
  /** Constant factor between Q·Kᵀ and the softmax input. */
  scoreScale: number;
}

/** Token layout in the ONNX file: [B, N, D] (batch first) or [N, B, D] (torch.nn.MultiheadAttention's default). */
export type TokenLayout = 'tokens' | 'seq';

export interface AttentionWeights {
  heads: number;
  qkvBias: boolean;
  qkv_kernel: { data: Float32Array; shape: number[] };
  qkv_bias: { data: Float32Array; shape: number[] };
  out_kernel: { data: Float32Array; shape: number[] };
  out_bias: { data: Float32Array; shape: number[] };
}

interface Graph {
  model: OnnxModel;
  consts: Map<string, TensorInfo>;
  consumers: Map<string, OnnxNode[]>;
  producer: Map<string, OnnxNode>;
  outputs: Set<string>;
}

const PASS = new Set(['Transpose', 'Reshape', 'Slice', 'Gather', 'Squeeze', 'Unsqueeze', 'Split', 'Identity', 'Mul', 'Div', 'Add']);

function scalar(g: Graph, n: OnnxNode): { data: string; c: number } | undefined {
  const ci = n.inputs.findIndex((i) => g.consts.has(i));
  const t = ci >= 0 ? g.consts.get(n.inputs[ci])?.floats : undefined;
  if (!t || t.length !== 1 || n.inputs.length !== 2) return undefined;
  return { data: n.inputs[1 - ci], c: n.op === 'Div' ? (ci === 1 ? 1 / t[0] : NaN) : t[0] };
}

/** The non-constant input of a pass-through op, or undefined when it has two. */
function dataInput(g: Graph, n: OnnxNode): string | undefined {
  if (['Mul', 'Div', 'Add'].includes(n.op)) {
    const live = n.inputs.filter((i) => i && !g.consts.has(i));
    return live.length === 1 ? live[0] : undefined;
  }
  return n.inputs[0];
}

const isProjection = (g: Graph, n: OnnxNode): boolean => (n.op === 'MatMul' || n.op === 'Gemm') && g.consts.has(n.inputs[1]) && !g.consts.has(n.inputs[0]);

/** Back from Q, K or V to the input of its projection. */
function projectionInput(g: Graph, t: string): string | undefined {
  for (let steps = 0; steps < 40; steps++) {
    const p = g.producer.get(t);
    if (!p) return undefined;
    if (isProjection(g, p)) return p.inputs[0];
    if (!PASS.has(p.op)) return undefined;
    const next = dataInput(g, p);
    if (!next) return undefined;
    t = next;
  }
  return undefined;
}

/** The one consumer of `t` besides Shape ops (exporters read shapes off every intermediate). */
function sole(g: Graph, t: string): OnnxNode | undefined {
  const c = (g.consumers.get(t) ?? []).filter((n) => n.op !== 'Shape');
  return c.length === 1 && !g.outputs.has(t) ? c[0] : undefined;
}

/** The attention subgraph around `softmax`, or undefined when it is not one. */
function regionAt(g: Graph, softmax: OnnxNode): AttentionRegion | undefined {
  let t = softmax.inputs[0];
  let scoreScale = 1;
  let p = g.producer.get(t);
  while (p && (p.op === 'Mul' || p.op === 'Div')) {
    const s = scalar(g, p);
    if (!s || !Number.isFinite(s.c)) return undefined;
    scoreScale *= s.c;
    t = s.data;
    p = g.producer.get(t);
  }
  if (p?.op !== 'MatMul' || p.inputs.some((i) => g.consts.has(i))) return undefined;
  const [q, k] = p.inputs;
  let att = softmax.outputs[0];
  let m2 = sole(g, att);
  while (m2 && (m2.op === 'Dropout' || m2.op === 'Identity')) {
    att = m2.outputs[0];
    m2 = sole(g, att);
  }
  if (m2?.op !== 'MatMul' || m2.inputs[0] !== att || g.consts.has(m2.inputs[1])) return undefined;
  const v = m2.inputs[1];
  const context = m2.outputs[0];
  let y = context;
  let n = sole(g, y);
  while (n && (n.op === 'Transpose' || n.op === 'Reshape')) {
    y = n.outputs[0];
    n = sole(g, y);
  }
  if (!n || !isProjection(g, n) || n.inputs[0] !== y) return undefined;
  y = n.outputs[0];
  n = sole(g, y);
  if (n?.op === 'Add' && n.inputs.some((i) => g.consts.has(i))) {
    y = n.outputs[0];
    n = sole(g, y);
  }
  while (n?.op === 'Reshape') {
    y = n.outputs[0];
    n = sole(g, y);
  }
  const x = projectionInput(g, q);
  if (!x || projectionInput(g, k) !== x || projectionInput(g, v) !== x) return undefined;
  // Everything y depends on, back to x and the constants.
  const members = new Set<OnnxNode>();
  const stack = [y];
  while (stack.length) {
    const s = stack.pop()!;
    if (s === x || !s || g.consts.has(s)) continue;
    const prod = g.producer.get(s);
    if (!prod) return undefined; // depends on another graph input
    if (members.has(prod)) continue;
    members.add(prod);
    stack.push(...prod.inputs);
  }
  for (const m of members) for (const o of m.outputs) if (o !== y && (g.outputs.has(o) || (g.consumers.get(o) ?? []).some((c) => !members.has(c)))) return undefined;
  return { softmax, x, y, nodes: g.model.nodes.filter((m) => members.has(m)), q, k, v, context, scoreScale };
}

/** Every self-attention subgraph of the model, by node. */
export function findAttention(model: OnnxModel, consts: Map<string, TensorInfo>, consumers: Map<string, OnnxNode[]>): Map<OnnxNode, AttentionRegion> {
  const producer = new Map<string, OnnxNode>();
  for (const n of model.nodes) for (const o of n.outputs) producer.set(o, n);
  const g: Graph = { model, consts, consumers, producer, outputs: new Set(model.outputs.map((o) => o.name)) };
  const byNode = new Map<OnnxNode, AttentionRegion>();
  for (const s of model.nodes) {
    if (s.op !== 'Softmax' || byNode.has(s)) continue;
    const r = regionAt(g, s);
    if (r) for (const m of r.nodes) byNode.set(m, r);
  }
  return byNode;
}

/**
 * Softmax nodes over Q·Kᵀ-like scores (a MatMul of two computed tensors, through scalings and constant additions
 * such as a mask) that findAttention did not take as self-attention: masked or cross-attention and other variants,
 * which the lab's block cannot hold. Import errors name them, since the op that fails is often a Slice inside them.
 */
export function unrecognisedAttention(model: OnnxModel, consts: Map<string, TensorInfo>, recognised: Map<OnnxNode, AttentionRegion>): OnnxNode[] {
  const producer = new Map<string, OnnxNode>();
  for (const n of model.nodes) for (const o of n.outputs) producer.set(o, n);
  const g: Graph = { model, consts, consumers: new Map(), producer, outputs: new Set() };
  return model.nodes.filter((s) => {
    if (s.op !== 'Softmax' || recognised.has(s)) return false;
    let p = producer.get(s.inputs[0]);
    for (let steps = 0; p && ['Mul', 'Div', 'Add', 'Where'].includes(p.op) && steps < 8; steps++) {
      const next = p.op === 'Where' ? p.inputs[2] : dataInput(g, p);
      p = next ? producer.get(next) : undefined;
    }
    return p?.op === 'MatMul' && !p.inputs.some((i) => consts.has(i));
  });
}

const layoutDims = (layout: TokenLayout, b: number, n: number, d: number): number[] => (layout === 'tokens' ? [b, n, d] : [n, b, d]);
/** Flat offset of feature 0 of token t of batch b. */
const tokenOffset = (layout: TokenLayout, b: number, t: number, batches: number, n: number, d: number): number => (layout === 'tokens' ? (b * n + t) * d : (t * batches + b) * d);

/** Per-token vectors [B·N][D] of a per-head tensor laid out [B, h, N, dh] or [B·h, N, dh] (kT: [.., dh, N]). */
function perToken(t: Tensor, batches: number, n: number, d: number, transposed: boolean): Float64Array[] | string {
  const dh = transposed ? t.dims[t.dims.length - 2] : t.dims[t.dims.length - 1];
  const h = d / dh;
  if (!Number.isInteger(h) || t.data.length !== batches * n * d) return `per-head tensors of shape [${t.dims}] for ${n} tokens of dim ${d}`;
  const out = Array.from({ length: batches * n }, () => new Float64Array(d));
  for (let b = 0; b < batches; b++)
    for (let head = 0; head < h; head++)
      for (let tok = 0; tok < n; tok++)
        for (let c = 0; c < dh; c++) {
          const base = (b * h + head) * n * dh;
          out[b * n + tok][head * dh + c] = t.data[base + (transposed ? c * n + tok : tok * dh + c)];
        }
  return out;
}

/** The nodes of `nodes` that computing `targets` needs, given the tensors in `known`. */
function needed(nodes: readonly OnnxNode[], targets: string[], known: ReadonlyMap<string, unknown>): OnnxNode[] {
  const producer = new Map<string, OnnxNode>();
  for (const m of nodes) for (const o of m.outputs) producer.set(o, m);
  const keep = new Set<OnnxNode>();
  const stack = [...targets];
  while (stack.length) {
    const t = stack.pop()!;
    const m = producer.get(t);
    if (!m || known.has(t) || keep.has(m)) continue;
    keep.add(m);
    stack.push(...m.inputs.filter(Boolean));
  }
  return nodes.filter((m) => keep.has(m));
}

function constsOf(r: AttentionRegion, consts: Map<string, TensorInfo>): Map<string, Tensor> {
  const given = new Map<string, Tensor>();
  for (const m of r.nodes)
    for (const i of m.inputs) {
      const c = i ? consts.get(i) : undefined;
      const t = c && tensorOf(c);
      if (t) given.set(i, t);
    }
  return given;
}

/** The lab's attention (mhsa/layer.ts selfAttention) in float64: tokens [n][d] of one batch. */
function reference(xs: Float64Array[], w: { qkv: Float64Array[]; bqkv: Float64Array; wo: Float64Array[]; bo: Float64Array }, heads: number, d: number): Float64Array[] {
  const n = xs.length;
  const dh = d / heads;
  const qkv = xs.map((x) => {
    const o = Float64Array.from(w.bqkv);
    for (let i = 0; i < d; i++) if (x[i] !== 0) for (let j = 0; j < 3 * d; j++) o[j] += x[i] * w.qkv[i][j];
    return o;
  });
  const ctx = Array.from({ length: n }, () => new Float64Array(d));
  for (let h = 0; h < heads; h++)
    for (let i = 0; i < n; i++) {
      const s = new Float64Array(n);
      for (let j = 0; j < n; j++) {
        let dot = 0;
        for (let c = 0; c < dh; c++) dot += qkv[i][h * dh + c] * qkv[j][d + h * dh + c];
        s[j] = dot / Math.sqrt(dh);
      }
      const m = Math.max(...s);
      let sum = 0;
      for (let j = 0; j < n; j++) sum += s[j] = Math.exp(s[j] - m);
      for (let j = 0; j < n; j++) for (let c = 0; c < dh; c++) ctx[i][h * dh + c] += (s[j] / sum) * qkv[j][2 * d + h * dh + c];
    }
  return ctx.map((c) => {
    const o = Float64Array.from(w.bo);
    for (let i = 0; i < d; i++) if (c[i] !== 0) for (let j = 0; j < d; j++) o[j] += c[i] * w.wo[i][j];
    return o;
  });
}

/**
 * The lab block's weights of an attention subgraph whose input has `n` tokens of dim `d` in `layout`, or why it is
 * not the lab's multi-head self-attention.
 */
export function attentionWeights(r: AttentionRegion, layout: TokenLayout, n: number, d: number, consts: Map<string, TensorInfo>, opset: number): AttentionWeights | string {
  const given = constsOf(r, consts);
  const batches = Math.ceil((d + 1) / n);
  const slots = batches * n;
  // Probe: token slot 0 all zeros (gives the biases), slot i + 1 the unit vector e_i (gives row i).
  const probe = new Float64Array(slots * d);
  for (let s = 1; s <= d; s++) probe[tokenOffset(layout, Math.floor(s / n), s % n, batches, n, d) + s - 1] = 1;
  let env: Map<string, Tensor>;
  try {
    // Only what Q, K and V need (not the N² scores).
    const start = new Map([...given, [r.x, { dims: layoutDims(layout, batches, n, d), data: probe, int: false }]]);
    env = run(needed(r.nodes, [r.q, r.k, r.v], start), start, opset);
  } catch (err) {
    if (err instanceof EvalError) return err.message;
    throw err;
  }
  const q = perToken(env.get(r.q)!, batches, n, d, false);
  const k = perToken(env.get(r.k)!, batches, n, d, true);
  const v = perToken(env.get(r.v)!, batches, n, d, false);
  for (const p of [q, k, v]) if (typeof p === 'string') return p;
  const [qs, ks, vs] = [q, k, v] as Float64Array[][];
  const vT = env.get(r.v)!;
  const dh = vT.dims[vT.dims.length - 1];
  const ctxT = { dims: vT.dims, data: vT.data };
  const heads = d / dh;
  if (!Number.isInteger(heads) || ctxT.data.length !== slots * d) return `an attention context of shape [${ctxT.dims}]`;
  // Q is scaled by 1/√dh in the lab's block; the exporter may scale Q, K or the scores instead.
  const qScale = r.scoreScale * Math.sqrt(dh);
  const qkv = Array.from({ length: d }, () => new Float64Array(3 * d));
  const bqkv = new Float64Array(3 * d);
  [qs, ks, vs].forEach((part, pi) => {
    const f = pi === 0 ? qScale : 1;
    for (let j = 0; j < d; j++) {
      bqkv[pi * d + j] = part[0][j] * f;
      for (let i = 0; i < d; i++) qkv[i][pi * d + j] = (part[i + 1][j] - part[0][j]) * f;
    }
  });
  // Output projection: a one-hot context in place of softmax·V.
  const ctxProbe = new Float64Array(slots * d);
  for (let s = 1; s <= d; s++) {
    const head = Math.floor((s - 1) / dh);
    const c = (s - 1) % dh;
    const b = Math.floor(s / n);
    ctxProbe[((b * heads + head) * n + (s % n)) * dh + c] = 1;
  }
  let y: Tensor;
  try {
    // From the context on (the tensors the probe run computed stand: none of them depends on the context).
    const known = new Map([...env, [r.context, { dims: ctxT.dims, data: ctxProbe, int: false }]]);
    y = run(needed(r.nodes, [r.y], known), known, opset).get(r.y)!;
  } catch (err) {
    if (err instanceof EvalError) return err.message;
    throw err;
  }
  if (y.data.length !== slots * d) return `an attention output of shape [${y.dims}]`;
  const yAt = (s: number): Float64Array => {
    const off = tokenOffset(layout, Math.floor(s / n), s % n, batches, n, d);
    return y.data.subarray(off, off + d);
  };
  const bo = Float64Array.from(yAt(0));
  const wo = Array.from({ length: d }, (_, i) => yAt(i + 1).map((val, j) => val - bo[j]));
  const weights = { qkv, bqkv, wo, bo };

  // Check: random sparse tokens (2 batches) through the file's subgraph and through the lab's attention.
  let seed = 12345;
  const rand = (): number => ((seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648) * 2 - 1;
  const xs = new Float64Array(2 * n * d);
  const perTok: Float64Array[][] = [[], []];
  for (let b = 0; b < 2; b++)
    for (let t = 0; t < n; t++) {
      const vec = new Float64Array(d);
      for (let z = 0; z < Math.min(d, 6); z++) vec[Math.floor(((rand() + 1) / 2) * d) % d] = rand() * 2;
      perTok[b].push(vec);
      xs.set(vec, tokenOffset(layout, b, t, 2, n, d));
    }
  try {
    const got = run(r.nodes, new Map([...given, [r.x, { dims: layoutDims(layout, 2, n, d), data: xs, int: false }]]), opset).get(r.y)!;
    let worst = 0;
    for (let b = 0; b < 2; b++) {
      const want = reference(perTok[b], weights, heads, d);
      for (let t = 0; t < n; t++) {
        const off = tokenOffset(layout, b, t, 2, n, d);
        for (let j = 0; j < d; j++) worst = Math.max(worst, Math.abs(got.data[off + j] - want[t][j]) / (1 + Math.abs(want[t][j])));
      }
    }
    if (!(worst <= 1e-6)) return `an attention subgraph that is not multi-head self-attention with ${heads} heads (off by ${worst.toPrecision(3)})`;
  } catch (err) {
    if (err instanceof EvalError) return err.message;
    throw err;
  }
  const f32 = (rows: Float64Array[]): Float32Array => {
    const out = new Float32Array(rows.length * rows[0].length);
    rows.forEach((row, i) => out.set(row, i * row.length));
    return out;
  };
  // Bias on Q, K, V: a 3D-wide (or second D-wide) constant added in the subgraph, or a non-zero bias.
  const biasSizes = r.nodes.flatMap((m) => (m.op === 'Add' || m.op === 'Gemm' ? m.inputs.map((i) => consts.get(i)?.floats?.length ?? 0) : []));
  const qkvBias = bqkv.some((b) => b !== 0) || biasSizes.includes(3 * d) || biasSizes.filter((s) => s === d).length >= 2;
  return {
    heads,
    qkvBias,
    qkv_kernel: { data: f32(qkv), shape: [d, 3 * d] },
    qkv_bias: { data: Float32Array.from(bqkv), shape: [3 * d] },
    out_kernel: { data: f32(wo), shape: [d, d] },
    out_bias: { data: Float32Array.from(bo), shape: [d] },
  };
}
