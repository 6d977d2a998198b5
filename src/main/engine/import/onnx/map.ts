import { blockByType, parseParams } from '../../../../shared/blocks';
import { GraphBuilder, type Ref } from '../../../../shared/graph/builder';
import type { GraphDoc } from '../../../../shared/graph/types';
import type { Attribute, OnnxModel, OnnxNode, TensorInfo } from './decode';
import { OnnxImportError } from './errors';
import { attentionWeights, findAttention, unrecognisedAttention, type AttentionRegion } from './attention';
import { EvalError, evalNode, tensorInfoOf, tensorOf } from './evaluate';
import { foldNode } from './fold';
import { fuseBlocks } from './fuse';
import { convKernel, denseKernel, depthwiseKernel, permute, type Weight } from './tensors';

/** The lab value an ONNX tensor became: an image (lab NHWC; ONNX layout as named), or a flat vector. */
interface Value {
  ref: Ref;
  /**
   * ONNX layout: a rank-4 value NCHW as exporters write it, or NHWC (the lab's own exports, after a Transpose); a
   * vector; a token sequence [B, N, D] ('tokens') or [N, B, D] ('seq', torch.nn.MultiheadAttention's default); or an
   * NCHW map with H and W flattened, [B, C, H·W] ('cn': the ref is still the map).
   */
  layout: 'nchw' | 'nhwc' | 'flat' | 'tokens' | 'seq' | 'cn';
  /** Lab shape without the batch: [H, W, C], [N, D] or [F]. */
  shape: number[];
  /** A vector flattened from an NCHW map with H·W > 1: its order is C, H, W (the lab flattens H, W, C). */
  chw?: [number, number, number];
  /** The ONNX node that made it (for --until messages). */
  producer?: string;
}

export interface MappedModel {
  graph: GraphDoc;
  /** Per lab node id: its weights by TF.js short name (kernel, bias, gamma, …). */
  weights: Map<string, Record<string, Weight>>;
  /** Mapping steps taken (a pattern of several ONNX nodes counts once). */
  nodesMapped: number;
}

export interface MapOptions {
  name: string;
  /** Import only what the output of this ONNX node (name, or an output tensor name) needs; it becomes the output. */
  until?: string;
}

/** One node that did not map, and where the importable part ends. */
export class UnmappedError extends OnnxImportError {
  constructor(
    readonly node: OnnxNode,
    readonly reason: string,
    readonly untilCandidate: string | undefined,
    hint?: string,
  ) {
    super(
      `unsupported ${reason.startsWith('op') ? '' : 'pattern: '}${reason} at node '${node.name || node.outputs[0]}' (op ${node.op}). Nothing was imported.` +
        (hint ? ` ${hint}` : '') +
        (untilCandidate ? ` The graph up to node '${untilCandidate}' maps: import that part with --until '${untilCandidate}'.` : ''),
    );
    this.name = 'UnmappedError';
  }
}

const attr = (n: OnnxNode, name: string): Attribute | undefined => n.attrs.get(name);
const attrInt = (n: OnnxNode, name: string, d: number): number => attr(n, name)?.i ?? d;
const attrInts = (n: OnnxNode, name: string): number[] | undefined => attr(n, name)?.ints;
/** A float attribute as the decimal it was written from (float32 0.1 reads back as 0.1, not 0.10000000149). */
const attrFloat = (n: OnnxNode, name: string, d: number): number => {
  const f = attr(n, name)?.f;
  return f === undefined ? d : Number(f.toPrecision(7));
};
const near = (a: number, b: number, tol = 1e-6): boolean => Math.abs(a - b) <= tol;

/** The batch size Shape ops see while folding: a number no real dimension has, so a Reshape target can name the batch. */
const BATCH = 1_000_003;
const isBatchDim = (d: number): boolean => d === BATCH || d === 0 || d === -1;
/** The ONNX rank of a value (for axis checks). */
const rankOf = (v: Value): number => ({ nchw: 4, nhwc: 4, flat: 2, tokens: 3, seq: 3, cn: 3 })[v.layout];
/** The ONNX dims of a value with the folding batch (see BATCH). */
function onnxDims(v: Value): number[] {
  const s = v.shape;
  switch (v.layout) {
    case 'nchw':
      return [BATCH, s[2], s[0], s[1]];
    case 'cn':
      return [BATCH, s[2], s[0] * s[1]];
    case 'seq':
      return [s[0], BATCH, s[1]];
    default:
      return [BATCH, ...s];
  }
}

class Mapper {
  private readonly b: GraphBuilder;
  private readonly values = new Map<string, Value>();
  private readonly consts = new Map<string, TensorInfo>();
  private readonly consumers = new Map<string, OnnxNode[]>();
  private readonly done = new Set<OnnxNode>();
  private readonly constAliases = new Set<OnnxNode>();
  readonly weights = new Map<string, Record<string, Weight>>();
  private readonly shapes = new Map<string, number[]>();
  private readonly graphOutputs: Set<string>;
  private readonly input: number[];
  private lastMapped: string | undefined;
  private readonly task: 'classification' | 'segmentation' | 'detection';
  /** YOLO heads by model output name (the lab's export names them in metadata_props `netsmith.detection_heads`). */
  private readonly detectionHeads = new Map<string, { classes: number; anchors: number; stride: number }>();
  private readonly attention: Map<OnnxNode, AttentionRegion>;
  /** Expand of a constant [1, 1, D] (a class token broadcast over the batch), by output tensor. */
  private readonly tokenExpands = new Map<string, TensorInfo>();
  count = 0;

  constructor(
    private readonly model: OnnxModel,
    private readonly opts: MapOptions,
  ) {
    for (const [k, t] of model.initializers) this.consts.set(k, t);
    for (const n of model.nodes) {
      for (const i of n.inputs) if (i) (this.consumers.get(i) ?? this.consumers.set(i, []).get(i)!).push(n);
      if (n.op === 'Constant' && attr(n, 'value')?.t) this.consts.set(n.outputs[0], attr(n, 'value')!.t!);
      // Exporters share equal weights through Identity nodes: an alias of the constant.
      if (n.op === 'Identity' && this.consts.has(n.inputs[0])) {
        this.consts.set(n.outputs[0], this.consts.get(n.inputs[0])!);
        this.constAliases.add(n);
      } else if (n.inputs.length > 0 && n.inputs.every((i) => !i || this.consts.has(i))) {
        const folded = foldNode(n, (i) => (n.inputs[i] ? this.consts.get(n.inputs[i]) : undefined), (a) => attr(n, a));
        if (folded) {
          this.consts.set(n.outputs[0], folded);
          this.constAliases.add(n);
        }
      }
    }
    const inputs = model.inputs.filter((i) => !this.consts.has(i.name));
    if (inputs.length !== 1) throw new OnnxImportError(`the model has ${inputs.length} inputs (${inputs.map((i) => i.name).join(', ')}); the lab imports models with one image input`);
    const x = inputs[0];
    const dims = x.dims ?? [];
    if (dims.length !== 4 || dims.slice(1).some((d) => typeof d !== 'number' || d <= 0)) {
      throw new OnnxImportError(`input '${x.name}' has shape [${dims.map((d) => d ?? '?').join(', ')}]; the lab imports one image input [batch, C, H, W] (or [batch, H, W, C]) with fixed C, H and W`);
    }
    const [, a, b2, c] = dims as number[];
    const toNchw = (this.consumers.get(x.name) ?? []).every((n) => n.op === 'Transpose' && attrInts(n, 'perm')?.join() === '0,3,1,2');
    const nhwc = toNchw && (this.consumers.get(x.name) ?? []).length > 0;
    this.input = nhwc ? [a, b2, c] : [b2, c, a];
    this.task = model.metadata.task === 'segmentation' || model.metadata.task === 'detection' ? model.metadata.task : 'classification';
    if (this.task === 'detection') for (const h of detectionHeadsOf(model.metadata)) this.detectionHeads.set(h.output, h);
    this.b = new GraphBuilder({ name: opts.name, input: this.input, task: this.task });
    this.values.set(x.name, { ref: this.b.input(), layout: nhwc ? 'nhwc' : 'nchw', shape: this.input });
    this.graphOutputs = new Set(model.outputs.map((o) => o.name));
    this.attention = findAttention(model, this.consts, this.consumers);
  }

  map(): MappedModel {
    const needed = this.opts.until ? this.ancestorsOf(this.opts.until) : undefined;
    for (const n of this.model.nodes) {
      if (this.done.has(n) || n.op === 'Constant' || this.constAliases.has(n) || (needed && !needed.has(n))) continue;
      if (n.domain && n.domain !== 'ai.onnx') throw this.unmapped(n, `op ${n.domain}.${n.op} (a custom domain)`);
      const region = this.attention.get(n);
      if (region) {
        this.mapAttention(region);
        this.count++;
        continue;
      }
      if (this.foldLate(n)) continue;
      this.mapNode(n);
      this.done.add(n);
      this.count++;
      this.lastMapped = n.name || n.outputs[0];
    }
    const outNames = needed ? [this.untilOutput(this.opts.until!)] : this.model.outputs.map((o) => o.name);
    for (const o of outNames) if (!this.values.has(o)) throw new OnnxImportError(`the model output '${o}' is not computed from the input by mapped nodes`);
    const graph = this.b.build();
    fuseBlocks(graph, this.weights);
    return { graph, weights: this.weights, nodesMapped: this.count };
  }

  private untilOutput(until: string): string {
    const node = this.model.nodes.find((n) => n.name === until || n.outputs.includes(until));
    if (!node) throw new OnnxImportError(`--until: no node or tensor named '${until}' in the model`);
    return node.outputs.includes(until) ? until : node.outputs[0];
  }

  private ancestorsOf(until: string): Set<OnnxNode> {
    const out = this.untilOutput(until);
    const producer = new Map<string, OnnxNode>();
    for (const n of this.model.nodes) for (const o of n.outputs) producer.set(o, n);
    const seen = new Set<OnnxNode>();
    const stack = [out];
    while (stack.length) {
      const p = producer.get(stack.pop()!);
      if (!p || seen.has(p)) continue;
      seen.add(p);
      stack.push(...p.inputs.filter(Boolean));
    }
    return seen;
  }

  private unmapped(n: OnnxNode, reason: string): UnmappedError {
    const producer = this.values.get(n.inputs[0])?.producer ?? this.lastMapped;
    const other = unrecognisedAttention(this.model, this.consts, this.attention)[0];
    const hint = other
      ? `The model has an attention at Softmax node '${other.name || other.outputs[0]}' that is not plain multi-head self-attention (masked or cross-attention, or another variant): the lab's Multi-Head Self-Attention block cannot hold it.`
      : undefined;
    return new UnmappedError(n, reason, this.opts.until ? undefined : producer, hint);
  }

  private value(n: OnnxNode, i = 0): Value {
    const v = this.values.get(n.inputs[i]);
    if (!v) {
      if (this.consts.has(n.inputs[i])) throw this.unmapped(n, `a constant as input ${i} (the lab takes computed tensors here)`);
      throw this.unmapped(n, `input '${n.inputs[i]}' that comes from no mapped node`);
    }
    return v;
  }

  private constOf(n: OnnxNode, i: number): TensorInfo | undefined {
    return n.inputs[i] ? this.consts.get(n.inputs[i]) : undefined;
  }

  private floatsOf(n: OnnxNode, i: number, what: string): Float32Array {
    const t = this.constOf(n, i);
    if (!t?.floats) throw this.unmapped(n, `${what} that is not a float constant`);
    return t.floats;
  }

  private soleConsumer(tensor: string): OnnxNode | undefined {
    const c = this.consumers.get(tensor) ?? [];
    return c.length === 1 && !this.graphOutputs.has(tensor) ? c[0] : undefined;
  }

  /** Adds a block; its output shape from the block's own shape rule. */
  private add(type: string, params: Record<string, unknown>, inputs: Value[], label: string | undefined, weights?: Record<string, Weight>, n?: OnnxNode): Value {
    const def = blockByType(type)!;
    const parsed = parseParams(def.params, params);
    if (!parsed.ok) throw new OnnxImportError(`internal: ${type} params ${JSON.stringify(params)}: ${parsed.problems.map((p) => `${p.param} ${p.message}`).join('; ')}`);
    const ref = this.b.add(type, parsed.params as Record<string, unknown>, inputs.map((v) => v.ref), label ? { label } : {});
    let shape: number[];
    try {
      const out = def.inferShape(
        inputs.map((v) => [null, ...v.shape]),
        parsed.params as never,
        { graphInput: this.input, task: this.task, describeInput: (i) => `input ${i}` },
      );
      shape = out.slice(1) as number[];
    } catch (err) {
      if (n) throw this.unmapped(n, `a ${def.title} whose shapes do not fit (${(err as Error).message})`);
      throw err;
    }
    this.shapes.set(ref.node, shape);
    if (weights) this.weights.set(ref.node, weights);
    const layout = shape.length === 3 ? 'nchw' : shape.length === 2 ? (inputs[0]?.layout === 'seq' ? 'seq' : 'tokens') : 'flat';
    return { ref, layout, shape, producer: n ? n.name || n.outputs[0] : undefined };
  }

  private set(n: OnnxNode, v: Value, out = n.outputs[0]): void {
    this.values.set(out, { ...v, producer: n.name || n.outputs[0] });
  }

  /** A readable label from the exporter's node path: `/layer1/layer1.0/conv1/Conv` → `layer1.0.conv1`. */
  private label(n: OnnxNode): string | undefined {
    const parts = n.name.split('/').filter(Boolean);
    if (parts.length < 2) return undefined;
    const path = parts.slice(0, -1);
    const last = path[path.length - 1];
    return last.includes('.') || path.length === 1 ? last : path.join('.').replace(/^([^.]+)\.\1\./, '$1.');
  }

  private requireImage(n: OnnxNode, v: Value): void {
    if (v.layout !== 'nchw') throw this.unmapped(n, `${n.op} on a ${v.layout === 'flat' ? 'flat vector' : 'NHWC tensor'}`);
  }

  private mapNode(n: OnnxNode): void {
    switch (n.op) {
      case 'Identity':
      case 'Dropout':
        return this.set(n, this.value(n));
      case 'Transpose':
        return this.transpose(n);
      case 'Conv':
        return this.conv(n);
      case 'BatchNormalization':
        return this.batchNorm(n);
      case 'Relu':
        return this.act(n, 'relu');
      case 'Tanh':
        return this.act(n, 'tanh');
      case 'Clip':
        return this.clip(n);
      case 'LeakyRelu':
        return this.act(n, 'leaky_relu', { alpha: attrFloat(n, 'alpha', 0.01) });
      case 'Elu':
        return this.act(n, 'elu', { alpha: attrFloat(n, 'alpha', 1) });
      case 'HardSwish':
        return this.act(n, 'hardswish');
      case 'Sigmoid':
      case 'HardSigmoid':
        return this.gate(n);
      case 'Softmax':
        return this.softmax(n);
      case 'MaxPool':
      case 'AveragePool':
        return this.pool(n);
      case 'GlobalAveragePool':
      case 'GlobalMaxPool':
        return this.globalPool(n);
      case 'Flatten':
      case 'Reshape':
        return this.flatten(n);
      case 'Expand':
        return this.expand(n);
      case 'Gather':
        return this.gather(n);
      case 'Gemm':
        return this.gemm(n);
      case 'MatMul':
        return this.matmul(n);
      case 'Add':
        return this.addOp(n);
      case 'Mul':
        return this.mul(n);
      case 'Div':
        if (this.gelu(n)) return;
        throw this.unmapped(n, 'op Div');
      case 'Concat':
        return this.concat(n);
      case 'Resize':
      case 'Upsample':
        return this.resize(n);
      case 'ConvTranspose':
        return this.convTranspose(n);
      case 'Pad':
        return this.pad(n);
      case 'LayerNormalization':
        return this.layerNorm(n);
      case 'ReduceMean':
        return this.reduceMean(n);
      default:
        throw this.unmapped(n, `op ${n.op}`);
    }
  }

  private transpose(n: OnnxNode): void {
    const v = this.value(n);
    const perm = attrInts(n, 'perm')?.join();
    if (perm === '0,3,1,2' && v.layout === 'nhwc') return this.set(n, { ...v, layout: 'nchw' });
    if (perm === '0,2,3,1' && v.layout === 'nchw') return this.set(n, { ...v, layout: 'nhwc' });
    if (perm === '1,0,2' && (v.layout === 'tokens' || v.layout === 'seq')) return this.set(n, { ...v, layout: v.layout === 'tokens' ? 'seq' : 'tokens' });
    if ((perm === '0,2,1' || perm === '2,0,1') && v.layout === 'cn') {
      // PyTorch's flatten(2).transpose(1, 2): the map's pixels as tokens, row-major (the lab's Reshape of [H, W, C]);
      // [2, 0, 1] also moves the sequence first (torch.nn.MultiheadAttention's [N, B, D]).
      const [h, w, c] = v.shape;
      const tokens = this.add('reshape/reshape', { shape: [h * w, c] }, [v], this.label(n), undefined, n);
      return this.set(n, { ...tokens, layout: perm === '0,2,1' ? 'tokens' : 'seq' });
    }
    throw this.unmapped(n, `a Transpose with perm [${perm}] of a ${v.layout} tensor`);
  }

  private conv(n: OnnxNode): void {
    const x0 = this.value(n);
    this.requireImage(n, x0);
    const wt = this.constOf(n, 1);
    if (!wt?.floats || wt.dims.length !== 4) throw this.unmapped(n, 'a Conv whose weight is not a 4-D float constant');
    const [o, , kh, kw] = wt.dims;
    const strides = attrInts(n, 'strides') ?? [1, 1];
    const dil = attrInts(n, 'dilations') ?? [1, 1];
    const pads = [...(attrInts(n, 'pads') ?? [0, 0, 0, 0])];
    const autoPad = attr(n, 'auto_pad')?.s ?? 'NOTSET';
    if (kh !== kw || strides[0] !== strides[1] || dil[0] !== dil[1]) throw this.unmapped(n, `a non-square Conv (kernel ${kh}×${kw}, strides ${strides}, dilations ${dil})`);
    if (autoPad !== 'NOTSET' && autoPad !== 'VALID') throw this.unmapped(n, `a Conv with auto_pad ${autoPad}`);
    const group = attrInt(n, 'group', 1);
    let x = x0;
    if (new Set(pads).size !== 1) {
      // Asymmetric padding (TensorFlow's 'SAME' with stride 2, as tf2onnx writes it): Zero Padding, then an unpadded conv.
      const [top, left, bottom, right] = pads;
      if (pads.some((p) => p < 0)) throw this.unmapped(n, `a Conv with negative pads [${pads}]`);
      x = this.add('reshape/zeropad', { top, bottom, left, right }, [x0], this.label(n) ? `${this.label(n)}.pad` : undefined, undefined, n);
      pads.fill(0);
    }
    const cin = x.shape[2];
    const bias = this.constOf(n, 2)?.floats;
    if (n.inputs[2] && !bias) throw this.unmapped(n, 'a Conv whose bias is not a float constant');
    const geometry = { stride: strides[0], padding: 'explicit', pad: pads[0], dilation: dil[0] };
    const label = this.label(n);
    let out: Value;
    if (group === cin && group > 1 && o % cin === 0) {
      out = this.add('core/depthwise_conv2d', { kernel: kh, ...geometry, multiplier: o / cin, bias: !!bias }, [x], label, { depthwise_kernel: depthwiseKernel(wt.floats, wt.dims, cin), ...(bias ? { bias: { data: bias, shape: [o] } } : {}) }, n);
    } else if (this.detectionHead(n, kh, group, bias, strides[0], pads[0])) {
      const h = this.detectionHead(n, kh, group, bias, strides[0], pads[0])!;
      out = this.add('det/yolo_head', { classes: h.classes, anchors: h.anchors, stride: h.stride }, [x], label, { kernel: convKernel(wt.floats, wt.dims), bias: { data: bias!, shape: [o] } }, n);
    } else if (this.task === 'segmentation' && kh === 1 && group === 1 && bias && strides[0] === 1 && pads[0] === 0 && this.isOutput(n.outputs[0]) && !this.opts.until) {
      // A segmentation model's per-pixel classifier (the lab's export says the task in metadata_props).
      out = this.add('head/segment', { classes: o }, [x], label, { kernel: convKernel(wt.floats, wt.dims), bias: { data: bias, shape: [o] } }, n);
    } else {
      out = this.add('core/conv2d', { filters: o, kernel: kh, ...geometry, groups: group, bias: !!bias }, [x], label, { kernel: convKernel(wt.floats, wt.dims), ...(bias ? { bias: { data: bias, shape: [o] } } : {}) }, n);
    }
    this.set(n, out);
  }

  private batchNorm(n: OnnxNode): void {
    const x = this.value(n);
    if (x.layout === 'nhwc') throw this.unmapped(n, 'a BatchNormalization of an NHWC tensor');
    const c = x.shape[x.shape.length - 1];
    const [gamma, beta, mean, variance] = [1, 2, 3, 4].map((i) => this.floatsOf(n, i, 'a BatchNormalization statistic'));
    if (n.outputs.length > 1 && n.outputs.slice(1).some((o) => (this.consumers.get(o) ?? []).length > 0)) throw this.unmapped(n, 'a BatchNormalization in training mode');
    const momentum = 1 - attrFloat(n, 'momentum', 0.9);
    const w = (d: Float32Array): Weight => ({ data: d, shape: [c] });
    this.set(n, this.add('norm/batchnorm', { momentum: Math.round(momentum * 1e6) / 1e6, epsilon: attrFloat(n, 'epsilon', 1e-5), affine: true }, [x], this.label(n), { gamma: w(gamma), beta: w(beta), moving_mean: w(mean), moving_variance: w(variance) }, n));
  }

  private act(n: OnnxNode, key: string, params: Record<string, unknown> = {}, x = this.value(n), out = n.outputs[0]): void {
    if (x.layout === 'nhwc') throw this.unmapped(n, `${n.op} of an NHWC tensor`);
    this.set(n, this.add(`act/${key}`, params, [x], this.label(n), undefined, n), out);
  }

  private clip(n: OnnxNode): void {
    const bound = (i: number, a: string): number | undefined => this.constOf(n, i)?.floats?.[0] ?? attr(n, a)?.f;
    const lo = bound(1, 'min');
    const hi = bound(2, 'max');
    if (lo === 0 && hi === 6) return this.act(n, 'relu6');
    if (lo === 0 && hi === undefined) return this.act(n, 'relu');
    throw this.unmapped(n, `a Clip to [${lo ?? '−∞'}, ${hi ?? '∞'}] (the lab has ReLU and ReLU6)`);
  }

  private isHardSigmoid(n: OnnxNode): boolean {
    return n.op === 'HardSigmoid' && near(attrFloat(n, 'alpha', 0.2), 1 / 6) && near(attrFloat(n, 'beta', 0.5), 0.5);
  }

  /** Sigmoid/HardSigmoid: x·gate(x) is SiLU/Hard Swish; otherwise a plain activation. */
  private gate(n: OnnxNode): void {
    if (n.op === 'HardSigmoid' && !this.isHardSigmoid(n)) throw this.unmapped(n, `a HardSigmoid with alpha ${attrFloat(n, 'alpha', 0.2)}, beta ${attrFloat(n, 'beta', 0.5)} (the lab's is ReLU6(x + 3)/6)`);
    const x = n.inputs[0];
    const mul = this.soleConsumer(n.outputs[0]);
    if (mul?.op === 'Mul' && mul.inputs.includes(x) && mul.inputs.includes(n.outputs[0])) {
      this.done.add(mul);
      return this.act(n, n.op === 'Sigmoid' ? 'silu' : 'hardswish', {}, this.value(n), mul.outputs[0]);
    }
    this.act(n, n.op === 'Sigmoid' ? 'sigmoid' : 'hardsigmoid');
  }

  private softmax(n: OnnxNode): void {
    const x = this.value(n);
    const axis = attrInt(n, 'axis', this.model.opset >= 13 ? -1 : 1);
    if (x.layout !== 'flat' || (axis !== -1 && axis !== 1)) throw this.unmapped(n, `a Softmax over axis ${axis} of a ${x.layout} tensor`);
    this.act(n, 'softmax', { axis: -1 }, x);
  }

  private pool(n: OnnxNode): void {
    const x = this.value(n);
    this.requireImage(n, x);
    const k = attrInts(n, 'kernel_shape') ?? [];
    const s = attrInts(n, 'strides') ?? [1, 1];
    const pads = attrInts(n, 'pads') ?? [0, 0, 0, 0];
    if (k[0] !== k[1] || s[0] !== s[1] || new Set(pads).size !== 1) throw this.unmapped(n, `a non-square or asymmetric ${n.op} (kernel ${k}, strides ${s}, pads ${pads})`);
    if (attrInt(n, 'ceil_mode', 0) !== 0) throw this.unmapped(n, `a ${n.op} with ceil_mode`);
    if ((attrInts(n, 'dilations') ?? [1, 1]).some((d) => d !== 1)) throw this.unmapped(n, `a dilated ${n.op}`);
    if (n.op === 'AveragePool' && pads[0] > 0 && attrInt(n, 'count_include_pad', 0) !== 1) throw this.unmapped(n, 'an AveragePool that leaves the padding out of the count');
    const type = n.op === 'MaxPool' ? 'pool/maxpool' : 'pool/avgpool';
    this.set(n, this.add(type, { size: k[0], stride: s[0], padding: 'explicit', pad: pads[0] }, [x], this.label(n), undefined, n));
  }

  private globalPool(n: OnnxNode): void {
    const x = this.value(n);
    this.requireImage(n, x);
    if (n.op === 'GlobalAveragePool' && this.squeezeExcite(n, x)) return;
    const type = n.op === 'GlobalAveragePool' ? 'pool/global_avgpool' : 'pool/global_maxpool';
    // GAP → Flatten is one block (keepDims false); alone it keeps 1×1.
    const next = this.soleConsumer(n.outputs[0]);
    if (next && (next.op === 'Flatten' || next.op === 'Reshape') && (next.op === 'Reshape' || attrInt(next, 'axis', 1) === 1)) {
      this.done.add(next);
      return this.set(n, this.add(type, { keepDims: false }, [x], this.label(n), undefined, n), next.outputs[0]);
    }
    this.set(n, this.add(type, { keepDims: true }, [x], this.label(n), undefined, n));
  }

  private reduceMean(n: OnnxNode): void {
    const x = this.value(n);
    const axes = attrInts(n, 'axes') ?? this.constOf(n, 1)?.ints;
    if (x.layout !== 'nchw' && x.layout !== 'cn' && axes?.length === 1 && (axes[0] === -1 || axes[0] === rankOf(x) - 1) && this.decomposedLayerNorm(n, x)) return;
    if (x.layout !== 'nchw' || axes?.map((a) => (a < 0 ? a + 4 : a)).sort().join() !== '2,3') throw this.unmapped(n, `a ReduceMean over axes [${axes}] of a ${x.layout} tensor`);
    const keep = attrInt(n, 'keepdims', 1) === 1;
    this.set(n, this.add('pool/global_avgpool', { keepDims: keep }, [x], this.label(n), undefined, n));
  }

  private flatten(n: OnnxNode): void {
    const x = this.value(n);
    if (n.op === 'Flatten' && attrInt(n, 'axis', 1) !== 1) throw this.unmapped(n, `a Flatten at axis ${attrInt(n, 'axis', 1)}`);
    if (n.op === 'Reshape') {
      const target = this.constOf(n, 1)?.ints;
      if (target?.length === 3 && isBatchDim(target[0]) && this.tokenReshape(n, x, target)) return;
      const total = x.shape.reduce((a, b) => a * b, 1);
      const flatTarget = target && target.length === 2 && (target[1] === -1 || target[1] === total) && isBatchDim(target[0]);
      if (!flatTarget) throw this.unmapped(n, `a Reshape to [${target ?? '?'}] (the lab maps Reshape to [batch, -1])`);
    }
    if (x.layout === 'flat') return this.set(n, x);
    const [h, w, c] = x.shape;
    const out = this.add('reshape/flatten', {}, [x], this.label(n), undefined, n);
    this.set(n, (x.layout === 'nchw' || x.layout === 'cn') && h * w > 1 ? { ...out, chw: [c, h, w] } : out);
  }

  /** The YOLO head a 1×1 conv at a model output is, by the file's metadata. */
  private detectionHead(n: OnnxNode, k: number, group: number, bias: Float32Array | undefined, stride: number, pad: number): { classes: number; anchors: number; stride: number } | undefined {
    if (this.task !== 'detection' || k !== 1 || group !== 1 || !bias || stride !== 1 || pad !== 0 || this.opts.until) return undefined;
    let t = n.outputs[0];
    for (let next = this.soleConsumer(t); next && (next.op === 'Identity' || (next.op === 'Transpose' && attrInts(next, 'perm')?.join() === '0,2,3,1')); next = this.soleConsumer(t)) t = next.outputs[0];
    const h = this.graphOutputs.has(t) ? this.detectionHeads.get(t) : undefined;
    return h && yoloChannelsOf(h) === bias.length ? h : undefined;
  }

  /** A model output, directly or through Identity nodes. */
  private isOutput(tensor: string): boolean {
    const next = this.consumers.get(tensor) ?? [];
    if (next.length === 0) return this.graphOutputs.has(tensor);
    const pass = next.length === 1 && (next[0].op === 'Identity' || (next[0].op === 'Transpose' && attrInts(next[0], 'perm')?.join() === '0,2,3,1'));
    return !this.graphOutputs.has(tensor) && pass && this.isOutput(next[0].outputs[0]);
  }

  private dense(n: OnnxNode, x: Value, kernel: Weight, bias: Float32Array | undefined, out: string): void {
    if (x.layout !== 'flat' && x.layout !== 'tokens' && x.layout !== 'seq') throw this.unmapped(n, `a ${n.op} on a rank-${rankOf(x)} tensor`);
    const units = kernel.shape[1];
    const features = x.shape[x.shape.length - 1];
    if (kernel.shape[0] !== features) throw this.unmapped(n, `a ${n.op} of ${kernel.shape[0]} inputs on a vector of ${features}`);
    const weights = { kernel, ...(bias ? { bias: { data: bias, shape: [units] } } : {}) };
    // The last Dense with a bias is the classification head when it is the model's output.
    const head = x.layout === 'flat' && this.isOutput(out) && !!bias && !this.opts.until;
    const v = head ? this.add('head/classify', { classes: units }, [x], this.label(n), weights, n) : this.add('core/dense', { units, bias: !!bias }, [x], this.label(n), weights, n);
    this.set(n, v, out);
  }

  private gemm(n: OnnxNode): void {
    const x = this.value(n);
    const w = this.constOf(n, 1);
    if (!w?.floats || w.dims.length !== 2) throw this.unmapped(n, 'a Gemm whose B is not a 2-D float constant');
    if (attrInt(n, 'transA', 0) !== 0 || !near(attrFloat(n, 'alpha', 1), 1) || !near(attrFloat(n, 'beta', 1), 1)) throw this.unmapped(n, 'a Gemm with transA, alpha or beta');
    const c = this.constOf(n, 2)?.floats;
    if (n.inputs[2] && !c) throw this.unmapped(n, 'a Gemm whose C is not a float constant');
    const kernel = denseKernel(w.floats, w.dims, attrInt(n, 'transB', 0) === 1, x.chw);
    if (c && c.length !== kernel.shape[1]) throw this.unmapped(n, 'a Gemm whose C is not one bias per unit');
    this.dense(n, x, kernel, c, n.outputs[0]);
  }

  private matmul(n: OnnxNode): void {
    const x = this.value(n);
    const w = this.constOf(n, 1);
    if (!w?.floats || w.dims.length !== 2) throw this.unmapped(n, 'a MatMul whose second input is not a 2-D float constant');
    const kernel = denseKernel(w.floats, w.dims, false, x.chw);
    const add = this.soleConsumer(n.outputs[0]);
    const other = add?.op === 'Add' ? add.inputs.find((i) => i !== n.outputs[0]) : undefined;
    const bias = other ? this.consts.get(other)?.floats : undefined;
    if (add && bias && bias.length === kernel.shape[1]) {
      this.done.add(add);
      return this.dense(n, x, kernel, bias, add.outputs[0]);
    }
    this.dense(n, x, kernel, undefined, n.outputs[0]);
  }

  private addOp(n: OnnxNode): void {
    const consts = n.inputs.map((i) => this.consts.get(i));
    if (consts.some(Boolean) && this.posEmbed(n)) return;
    if (consts.some(Boolean)) throw this.unmapped(n, 'an Add of a constant that follows no Conv, MatMul or channel scale');
    const xs = n.inputs.map((_, i) => this.value(n, i));
    if (xs.some((v) => v.layout !== xs[0].layout || v.shape.join() !== xs[0].shape.join())) throw this.unmapped(n, 'an Add of differently shaped tensors (broadcasting)');
    this.set(n, { ...this.add('merge/add', {}, xs, this.label(n), undefined, n), layout: xs[0].layout, chw: xs[0].chw });
  }

  /** Mul by a per-channel constant then Add of one (the lab's own BatchNorm export) → BatchNorm. */
  private mul(n: OnnxNode): void {
    if (this.gelu(n)) return;
    const ci = n.inputs.findIndex((i) => this.consts.has(i));
    if (ci < 0) throw this.unmapped(n, 'a Mul of two computed tensors (not x·σ(x), x·hardσ(x) or Squeeze-Excitation)');
    const x = this.value(n, 1 - ci);
    const c = x.shape[x.shape.length - 1];
    const scale = this.consts.get(n.inputs[ci])!;
    const add = this.soleConsumer(n.outputs[0]);
    const shiftName = add?.op === 'Add' ? add.inputs.find((i) => i !== n.outputs[0]) : undefined;
    const shift = shiftName ? this.consts.get(shiftName) : undefined;
    const perChannel = (t: TensorInfo | undefined): boolean => !!t?.floats && t.floats.length === c && (x.layout === 'flat' ? t.dims.length === 1 : t.dims.join() === `${c},1,1`);
    if (!add || !perChannel(scale) || !perChannel(shift) || x.layout === 'nhwc') throw this.unmapped(n, 'a Mul by a constant that is not a per-channel scale and shift');
    this.done.add(add);
    const eps = 1e-5;
    const w = (d: Float32Array): Weight => ({ data: d, shape: [c] });
    this.set(n, this.add('norm/batchnorm', { momentum: 0.1, epsilon: eps, affine: true }, [x], this.label(n), { gamma: w(scale.floats!), beta: w(shift!.floats!), moving_mean: w(new Float32Array(c)), moving_variance: w(new Float32Array(c).fill(1 - eps)) }, n), add.outputs[0]);
  }

  /** One FC of an SE block after `tensor`: a 1×1 Conv (PyTorch) or [Flatten →] MatMul [+ Add] (the lab's export). */
  private seFc(tensor: string): { kernel: Weight; bias?: Float32Array; out: string; nodes: OnnxNode[] } | undefined {
    const n = this.soleConsumer(tensor);
    if (!n) return undefined;
    if (n.op === 'Flatten' || (n.op === 'Reshape' && this.constOf(n, 1)?.ints?.length === 2)) {
      const rest = this.seFc(n.outputs[0]);
      return rest && { ...rest, nodes: [n, ...rest.nodes] };
    }
    const w = this.constOf(n, 1);
    if (!w?.floats) return undefined;
    if (n.op === 'Conv' && w.dims.length === 4 && w.dims[2] === 1 && w.dims[3] === 1 && attrInt(n, 'group', 1) === 1) {
      const bias = this.constOf(n, 2)?.floats;
      return { kernel: permute(w.floats, [w.dims[0], w.dims[1]], [1, 0]), ...(bias ? { bias } : {}), out: n.outputs[0], nodes: [n] };
    }
    if (n.op === 'MatMul' && w.dims.length === 2) {
      const kernel = { data: w.floats, shape: [...w.dims] };
      const add = this.soleConsumer(n.outputs[0]);
      const b = add?.op === 'Add' ? this.consts.get(add.inputs.find((i) => i !== n.outputs[0]) ?? '')?.floats : undefined;
      if (add && b && b.length === w.dims[1]) return { kernel, bias: b, out: add.outputs[0], nodes: [n, add] };
      return { kernel, out: n.outputs[0], nodes: [n] };
    }
    return undefined;
  }

  /** GAP → FC → ReLU/SiLU → FC → Sigmoid/HardSigmoid [→ Unsqueeze] → Mul(x, gate): one Squeeze-Excitation block. */
  private squeezeExcite(gap: OnnxNode, x: Value): boolean {
    const c = x.shape[2];
    const fc1 = this.seFc(gap.outputs[0]);
    if (!fc1 || fc1.kernel.shape[0] !== c) return false;
    const s = fc1.kernel.shape[1];
    const after = this.consumers.get(fc1.out) ?? [];
    let act: { kind: 'relu' | 'silu'; out: string; nodes: OnnxNode[] };
    if (after.length === 1 && after[0].op === 'Relu') act = { kind: 'relu', out: after[0].outputs[0], nodes: [after[0]] };
    else if (after.length === 2 && after.some((n) => n.op === 'Sigmoid')) {
      const sig = after.find((n) => n.op === 'Sigmoid')!;
      const m = after.find((n) => n.op === 'Mul' && n.inputs.includes(sig.outputs[0]));
      if (!m || this.soleConsumer(sig.outputs[0]) !== m) return false;
      act = { kind: 'silu', out: m.outputs[0], nodes: [sig, m] };
    } else return false;
    const fc2 = this.seFc(act.out);
    if (!fc2 || fc2.kernel.shape.join() !== `${s},${c}` || !!fc1.bias !== !!fc2.bias) return false;
    const gate = this.soleConsumer(fc2.out);
    if (!gate || !(gate.op === 'Sigmoid' || this.isHardSigmoid(gate))) return false;
    const nodes = [...fc1.nodes, ...act.nodes, ...fc2.nodes, gate];
    let mul = this.soleConsumer(gate.outputs[0]);
    if (mul?.op === 'Unsqueeze') {
      nodes.push(mul);
      mul = this.soleConsumer(mul.outputs[0]);
    }
    if (mul?.op !== 'Mul' || !mul.inputs.includes(gap.inputs[0])) return false;
    nodes.push(mul);
    const weights: Record<string, Weight> = {
      fc1_kernel: fc1.kernel,
      fc2_kernel: fc2.kernel,
      ...(fc1.bias && fc2.bias ? { fc1_bias: { data: fc1.bias, shape: [s] }, fc2_bias: { data: fc2.bias, shape: [c] } } : {}),
    };
    const label = this.label(fc1.nodes[fc1.nodes.length - 1])?.replace(/\.fc1$/, '');
    const v = this.add('attn/se', { reduction: Math.max(1, Math.min(256, Math.round(c / s))), squeeze: s, activation: act.kind, gate: gate.op === 'Sigmoid' ? 'sigmoid' : 'hardsigmoid', bias: !!fc1.bias }, [x], label, weights, gap);
    for (const m of nodes) this.done.add(m);
    this.set(gap, v, mul.outputs[0]);
    return true;
  }

  /** x·½(1 + erf(x/√2)), as exporters write GELU: Mul(x, 1/√2) or Div(x, √2) → Erf → Add 1 → Mul x → Mul ½ (either order). */
  private gelu(first: OnnxNode): boolean {
    const x = first.inputs.find((i) => !this.consts.has(i));
    const k = this.consts.get(first.inputs.find((i) => this.consts.has(i)) ?? '')?.floats;
    if (!x || !k || k.length !== 1) return false;
    if (!(first.op === 'Mul' ? near(k[0], Math.SQRT1_2, 1e-4) : first.op === 'Div' && near(k[0], Math.SQRT2, 1e-4))) return false;
    const erf = this.soleConsumer(first.outputs[0]);
    if (erf?.op !== 'Erf') return false;
    const add = this.soleConsumer(erf.outputs[0]);
    const one = add?.op === 'Add' ? this.consts.get(add.inputs.find((i) => i !== erf.outputs[0]) ?? '')?.floats : undefined;
    if (!add || !one || one.length !== 1 || one[0] !== 1) return false;
    let m = this.soleConsumer(add.outputs[0]);
    const nodes: OnnxNode[] = [first, erf, add];
    let sawX = false;
    let sawHalf = false;
    for (let i = 0; i < 2 && m?.op === 'Mul'; i++) {
      const other = m.inputs.find((t) => t !== nodes[nodes.length - 1].outputs[0]);
      const half = this.consts.get(other ?? '')?.floats;
      if (other === x && !sawX) sawX = true;
      else if (half?.length === 1 && near(half[0], 0.5) && !sawHalf) sawHalf = true;
      else return false;
      nodes.push(m);
      if (i === 0) m = this.soleConsumer(m.outputs[0]);
    }
    if (!sawX || !sawHalf) return false;
    const last = nodes[nodes.length - 1];
    const v = this.values.get(x);
    if (!v || v.layout === 'nhwc') return false;
    for (const n of nodes) this.done.add(n);
    this.act(first, 'gelu', { approximate: 'none' }, v, last.outputs[0]);
    return true;
  }

  /**
   * Folds a node whose inputs are all constants (shape arithmetic), and Shape of a mapped value (its dims, with the
   * batch as BATCH). Large results (a broadcast over the batch) are left to their op.
   */
  private foldLate(n: OnnxNode): boolean {
    if (n.op === 'Shape' && this.values.has(n.inputs[0])) {
      const dims = onnxDims(this.values.get(n.inputs[0])!);
      this.consts.set(n.outputs[0], { name: n.outputs[0], dims: [dims.length], dataType: 7, ints: dims });
      return true;
    }
    if (n.op === 'Expand' || n.inputs.length === 0 || !n.inputs.every((i) => !i || this.consts.has(i))) return false;
    const ins = n.inputs.map((i) => (i ? this.consts.get(i) : undefined));
    if (ins.some((t) => t && t.dims.reduce((a, b) => a * b, 1) > 1 << 16)) return false;
    const folded = foldNode(n, (i) => ins[i], (a) => attr(n, a));
    if (folded) {
      this.consts.set(n.outputs[0], folded);
      return true;
    }
    try {
      const outs = evalNode(n, ins.map((t) => (t ? tensorOf(t) : undefined)), this.model.opset);
      if (outs.some((t) => t.data.length > 1 << 16)) return false;
      n.outputs.forEach((o, k) => this.consts.set(o, tensorInfoOf(o, outs[k])));
      return true;
    } catch (err) {
      if (err instanceof EvalError) return false;
      throw err;
    }
  }

  /** A self-attention subgraph (attention.ts) as one Multi-Head Self-Attention block. */
  private mapAttention(r: AttentionRegion): void {
    const x = this.values.get(r.x);
    if (!x || (x.layout !== 'tokens' && x.layout !== 'seq')) throw this.unmapped(r.softmax, `an attention over ${x ? `a ${x.layout} tensor` : `'${r.x}'`} (the lab attends over a token sequence)`);
    const [n, d] = x.shape;
    const w = attentionWeights(r, x.layout, n, d, this.consts, this.model.opset);
    if (typeof w === 'string') throw this.unmapped(r.softmax, w);
    const weights = { qkv_kernel: w.qkv_kernel, ...(w.qkvBias ? { qkv_bias: w.qkv_bias } : {}), out_kernel: w.out_kernel, out_bias: w.out_bias };
    const v = this.add('attn/mhsa', { heads: w.heads, dropout: 0, qkvBias: w.qkvBias }, [x], this.label(r.softmax), weights, r.softmax);
    for (const m of r.nodes) this.done.add(m);
    this.set(r.softmax, { ...v, layout: x.layout }, r.y);
  }

  /** Expand of a constant [1, 1, D]: a class token broadcast over the batch (the Concat that follows prepends it). */
  private expand(n: OnnxNode): void {
    const t = this.constOf(n, 0);
    if (!t?.floats || t.dims.length !== 3 || t.dims[0] !== 1 || t.dims[1] !== 1) throw this.unmapped(n, 'an Expand that is not a class token broadcast over the batch');
    this.tokenExpands.set(n.outputs[0], t);
  }

  /** Gather of token 0 ([cls]): `x[:, 0]` (PyTorch), or Gather [0] → Squeeze (the lab's export). */
  private gather(n: OnnxNode): void {
    const x = this.value(n);
    const idx = this.constOf(n, 1);
    const axis = attrInt(n, 'axis', 0);
    const tokenAxis = x.layout === 'tokens' ? [1, -2] : x.layout === 'seq' ? [0, -3] : [];
    if (!tokenAxis.includes(axis) || idx?.ints?.length !== 1 || idx.ints[0] !== 0) throw this.unmapped(n, `a Gather along axis ${axis} of a ${x.layout} tensor (the lab takes token 0 of a sequence)`);
    let out = n.outputs[0];
    if (idx.dims.length === 1) {
      const sq = this.soleConsumer(out);
      const axes = sq?.op === 'Squeeze' ? (attrInts(sq, 'axes') ?? this.constOf(sq, 1)?.ints) : undefined;
      if (!sq || axes?.length !== 1 || (axes[0] !== axis && axes[0] !== axis + 3)) throw this.unmapped(n, 'a Gather of token [0] that is not squeezed');
      this.done.add(sq);
      out = sq.outputs[0];
    }
    this.set(n, this.add('tfm/cls_pool', { mode: 'token' }, [x], this.label(n) ?? 'cls_token', undefined, n), out);
  }

  /** Add of a constant [1, N, D] to tokens [B, N, D]: a learned position table. */
  private posEmbed(n: OnnxNode): boolean {
    const ci = n.inputs.findIndex((i) => this.consts.has(i));
    const x = this.values.get(n.inputs[1 - ci]);
    const t = this.consts.get(n.inputs[ci]);
    if (n.inputs.length !== 2 || !x || x.layout !== 'tokens' || !t?.floats) return false;
    const [tokens, d] = x.shape;
    if (t.dims.slice(-2).join() !== `${tokens},${d}` || t.dims.length > 3 || (t.dims.length === 3 && t.dims[0] !== 1)) return false;
    this.set(n, this.add('tfm/pos_embed', { mode: 'learned' }, [x], this.label(n) ?? 'pos_embedding', { table: { data: t.floats, shape: [1, tokens, d] } }, n));
    return true;
  }

  /**
   * Reshape of a map into tokens: NHWC [B, H, W, C] → [B, H·W, C] (the lab's patch embedding), or NCHW
   * [B, C, H, W] → [B, C, H·W] (PyTorch's flatten(2), before its transpose(1, 2)).
   */
  private tokenReshape(n: OnnxNode, x: Value, target: number[]): boolean {
    if (x.layout !== 'nhwc' && x.layout !== 'nchw') return false;
    const [h, w, c] = x.shape;
    const fits = (d: number, want: number): boolean => d === want || d === -1;
    if (x.layout === 'nhwc' && fits(target[1], h * w) && fits(target[2], c) && !(target[1] === -1 && target[2] === -1)) {
      this.set(n, this.add('reshape/reshape', { shape: [h * w, c] }, [x], this.label(n), undefined, n));
      return true;
    }
    if (x.layout === 'nchw' && target[1] === c && fits(target[2], h * w)) {
      this.set(n, { ...x, layout: 'cn' });
      return true;
    }
    return false;
  }

  private convTranspose(n: OnnxNode): void {
    const x = this.value(n);
    this.requireImage(n, x);
    const wt = this.constOf(n, 1);
    if (!wt?.floats || wt.dims.length !== 4) throw this.unmapped(n, 'a ConvTranspose whose weight is not a 4-D float constant');
    const [, o, kh, kw] = wt.dims;
    const strides = attrInts(n, 'strides') ?? [1, 1];
    const pads = attrInts(n, 'pads') ?? [0, 0, 0, 0];
    const outPad = attrInts(n, 'output_padding') ?? [0, 0];
    if (kh !== kw || strides[0] !== strides[1] || outPad[0] !== outPad[1]) throw this.unmapped(n, `a non-square ConvTranspose (kernel ${kh}×${kw}, strides ${strides})`);
    if (attrInt(n, 'group', 1) !== 1 || (attrInts(n, 'dilations') ?? [1, 1]).some((d) => d !== 1)) throw this.unmapped(n, 'a grouped or dilated ConvTranspose');
    if (new Set(pads).size !== 1 || attr(n, 'output_shape') || (attr(n, 'auto_pad')?.s ?? 'NOTSET') !== 'NOTSET') throw this.unmapped(n, `a ConvTranspose with asymmetric pads [${pads}] or an output_shape`);
    const bias = this.constOf(n, 2)?.floats;
    const geometry = pads[0] === 0 ? { padding: 'valid', pad: 0 } : { padding: 'explicit', pad: pads[0] };
    const weights = { kernel: permute(wt.floats, wt.dims, [2, 3, 1, 0]), ...(bias ? { bias: { data: bias, shape: [o] } } : {}) };
    this.set(n, this.add('core/conv2d_transpose', { filters: o, kernel: kh, stride: strides[0], ...geometry, outputPadding: outPad[0], bias: !!bias }, [x], this.label(n), weights, n));
  }

  private pad(n: OnnxNode): void {
    const x = this.value(n);
    this.requireImage(n, x);
    const pads = this.constOf(n, 1)?.ints ?? attrInts(n, 'pads');
    const mode = attr(n, 'mode')?.s ?? 'constant';
    const value = n.inputs[2] ? this.constOf(n, 2)?.floats?.[0] : attrFloat(n, 'value', 0);
    if (!pads || pads.length !== 8 || mode !== 'constant' || value !== 0 || pads.some((p) => p < 0) || pads[0] || pads[1] || pads[4] || pads[5]) {
      throw this.unmapped(n, `a Pad (${mode}, value ${value ?? '?'}) of [${pads ?? '?'}]: the lab pads H and W with zeros`);
    }
    this.set(n, this.add('reshape/zeropad', { top: pads[2], left: pads[3], bottom: pads[6], right: pads[7] }, [x], this.label(n), undefined, n));
  }

  private constScalar(n: OnnxNode | undefined, skip: string): number | undefined {
    const other = n?.inputs.find((i) => i !== skip);
    const t = other !== undefined ? this.consts.get(other)?.floats : undefined;
    return t && t.length === 1 ? t[0] : undefined;
  }

  /**
   * LayerNorm as opsets < 17 export it: m = ReduceMean(x) → d = Sub(x, m) → Pow(d, 2) → ReduceMean → Add ε → Sqrt →
   * Div(d, ·) [→ Mul γ → Add β].
   */
  private decomposedLayerNorm(mean: OnnxNode, x: Value): boolean {
    const sub = this.soleConsumer(mean.outputs[0]);
    if (sub?.op !== 'Sub' || sub.inputs[0] !== mean.inputs[0] || sub.inputs[1] !== mean.outputs[0]) return false;
    const uses = this.consumers.get(sub.outputs[0]) ?? [];
    const pow = uses.find((u) => u.op === 'Pow' && this.constScalar(u, sub.outputs[0]) === 2);
    const div = uses.find((u) => u.op === 'Div' && u.inputs[0] === sub.outputs[0]);
    if (!pow || !div || uses.length !== 2) return false;
    const variance = this.soleConsumer(pow.outputs[0]);
    if (variance?.op !== 'ReduceMean') return false;
    const addEps = this.soleConsumer(variance.outputs[0]);
    const eps = this.constScalar(addEps, variance.outputs[0]);
    if (addEps?.op !== 'Add' || eps === undefined) return false;
    const sqrt = this.soleConsumer(addEps.outputs[0]);
    if (sqrt?.op !== 'Sqrt' || div.inputs[1] !== sqrt.outputs[0]) return false;
    const d = x.shape[x.shape.length - 1];
    const nodes = [mean, sub, pow, variance, addEps, sqrt, div];
    let out = div.outputs[0];
    let gamma: Float32Array = new Float32Array(d).fill(1);
    let beta: Float32Array = new Float32Array(d);
    const mul = this.soleConsumer(out);
    const g = mul?.op === 'Mul' ? this.consts.get(mul.inputs.find((i) => i !== out) ?? '')?.floats : undefined;
    if (mul && g?.length === d) {
      gamma = g;
      nodes.push(mul);
      out = mul.outputs[0];
      const add = this.soleConsumer(out);
      const b = add?.op === 'Add' ? this.consts.get(add.inputs.find((i) => i !== out) ?? '')?.floats : undefined;
      if (add && b?.length === d) {
        beta = b;
        nodes.push(add);
        out = add.outputs[0];
      }
    }
    const v = this.add('norm/layernorm', { epsilon: Number(eps.toPrecision(7)) }, [x], this.label(mean), { gamma: { data: gamma, shape: [d] }, beta: { data: beta, shape: [d] } }, mean);
    for (const m of nodes) this.done.add(m);
    this.set(mean, { ...v, layout: x.layout }, out);
    return true;
  }

  /** LayerNormalization over the last axis: of vectors, or of an NHWC map (channels; the lab's own export). */
  private layerNorm(n: OnnxNode): void {
    const x = this.value(n);
    const axis = attrInt(n, 'axis', -1);
    if (x.layout === 'nchw' || x.layout === 'cn' || (axis !== -1 && axis !== rankOf(x) - 1)) throw this.unmapped(n, `a LayerNormalization over axis ${axis} of a ${x.layout} tensor (the lab normalises the last axis)`);
    const d = x.shape[x.shape.length - 1];
    const gamma = this.floatsOf(n, 1, 'a LayerNormalization scale');
    const beta = n.inputs[2] ? this.floatsOf(n, 2, 'a LayerNormalization bias') : new Float32Array(d);
    if (gamma.length !== d || beta.length !== d) throw this.unmapped(n, 'a LayerNormalization whose scale or bias is not one per feature');
    const v = this.add('norm/layernorm', { epsilon: attrFloat(n, 'epsilon', 1e-5) }, [x], this.label(n), { gamma: { data: gamma, shape: [d] }, beta: { data: beta, shape: [d] } }, n);
    this.set(n, { ...v, layout: x.layout });
  }

  private concat(n: OnnxNode): void {
    const token = this.tokenExpands.get(n.inputs[0]);
    if (token && n.inputs.length === 2) {
      const x = this.value(n, 1);
      const axis = attrInt(n, 'axis', 1);
      const d = x.shape[1];
      if (x.layout !== 'tokens' || (axis !== 1 && axis !== -2) || token.dims.join() !== `1,1,${d}`) throw this.unmapped(n, `a Concat of a constant [${token.dims}] and a ${x.layout} tensor along axis ${axis} (the lab prepends a class token to [B, N, D] tokens)`);
      return this.set(n, this.add('tfm/class_token', {}, [x], this.label(n) ?? 'class_token', { token: { data: token.floats!, shape: [1, 1, d] } }, n));
    }
    const xs = n.inputs.map((_, i) => this.value(n, i));
    const axis = attrInt(n, 'axis', 1);
    const rank = xs[0].layout === 'flat' ? 2 : 4;
    const a = axis < 0 ? axis + rank : axis;
    const channelAxis = xs[0].layout === 'nhwc' ? 3 : 1;
    if (xs.some((v) => v.layout !== xs[0].layout || v.chw) || a !== channelAxis) throw this.unmapped(n, `a Concat along axis ${axis} (the lab concatenates channels)`);
    this.set(n, { ...this.add('merge/concat', { axis: -1 }, xs, this.label(n), undefined, n), layout: xs[0].layout });
  }

  private resize(n: OnnxNode): void {
    const x = this.value(n);
    this.requireImage(n, x);
    const scales = (n.op === 'Upsample' ? this.constOf(n, 1) : this.constOf(n, 2))?.floats;
    const sizes = n.op === 'Resize' ? this.constOf(n, 3)?.ints : undefined;
    const s = scales && scales.length === 4 ? scales[2] : sizes ? sizes[2] / x.shape[0] : NaN;
    const sw = scales && scales.length === 4 ? scales[3] : sizes ? sizes[3] / x.shape[1] : NaN;
    if (!Number.isInteger(s) || s !== sw || s < 1) throw this.unmapped(n, `a ${n.op} by a factor that is not one integer for H and W`);
    const mode = attr(n, 'mode')?.s ?? 'nearest';
    const ct = attr(n, 'coordinate_transformation_mode')?.s ?? 'half_pixel';
    const lab = mode === 'nearest' ? 'nearest' : mode === 'linear' && (ct === 'half_pixel' || ct === 'pytorch_half_pixel') ? 'bilinear' : undefined;
    if (!lab) throw this.unmapped(n, `a ${n.op} in mode '${mode}' (${ct})`);
    this.set(n, this.add('reshape/upsample', { scale: s, mode: lab }, [x], this.label(n), undefined, n));
  }
}

const yoloChannelsOf = (h: { classes: number; anchors: number }): number => Math.max(1, h.anchors) * (5 + h.classes);

/** metadata_props `netsmith.detection_heads` (see export/onnx/export.ts), the well-formed entries. */
function detectionHeadsOf(meta: Record<string, string>): { output: string; classes: number; anchors: number; stride: number }[] {
  let raw: unknown;
  try {
    raw = JSON.parse(meta['netsmith.detection_heads'] ?? '[]');
  } catch {
    return [];
  }
  const int = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
  return Array.isArray(raw)
    ? raw.filter((h): h is { output: string; classes: number; anchors: number; stride: number } => typeof h === 'object' && h !== null && typeof h.output === 'string' && int(h.classes, 1) && int(h.anchors, 0) && int(h.stride, 1))
    : [];
}

/** The lab graph and weights of a decoded ONNX model, or an UnmappedError naming the first node that does not map. */
export function mapModel(model: OnnxModel, opts: MapOptions): MappedModel {
  return new Mapper(model, opts).map();
}
