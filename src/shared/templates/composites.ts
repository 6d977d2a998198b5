import type { GraphBuilder, Ref } from '../graph/builder';
import { act, bn, conv, convBnAct, lbl, makeDivisible, type Act, type BnOpts } from './layers';

/**
 * Composite blocks. Each builder emits one group (a composite the editor can collapse, expand, edit and
 * repeat), with a single entry (the input `x`) and a single exit (the returned ref).
 *
 * Labels: pass `label` (a module path such as `layer1.0`) and the nodes are labelled like the reference
 * PyTorch modules (`layer1.0.conv1`, `layer1.0.bn1`, …); leave it out (palette inserts) and nodes keep their
 * generated ids. The group's name is `name ?? label ?? <kind>`.
 *
 * Repeated groups (`repeat > 1`) need equal input and output shapes (identity blocks). Their labels are those
 * of the first copy; copy k is named by `copyLabel` (the group name's last index + k).
 */
export interface GroupOpts {
  /** Module path used as label prefix, e.g. `layer2.0`. */
  label?: string;
  /** Group name; defaults to the label. */
  name?: string;
  /** Chain this many copies (identity blocks only). */
  repeat?: number;
}

const groupName = (o: GroupOpts, kind: string): string => o.name ?? o.label ?? kind;

/** The label copy `k` (0 = the first) of a node in a repeated group gets: `layer1.1.conv1`, k=2, group `layer1.1` → `layer1.3.conv1`. */
export function copyLabel(label: string, group: string, k: number): string {
  if (k === 0 || (label !== group && !label.startsWith(`${group}.`))) return label;
  const m = /(\d+)$/.exec(group);
  if (!m) return `${label}#${k + 1}`;
  const renamed = group.slice(0, m.index) + String(Number(m[1]) + k);
  return renamed + label.slice(group.length);
}

// ------------------------------------------------------------------------------------------ ResNet

export interface BasicBlockOpts extends GroupOpts {
  inChannels: number;
  filters: number;
  stride?: number;
  bn?: BnOpts;
}

/** ResNet basic block: 3×3 conv-BN-ReLU, 3×3 conv-BN, + shortcut (1×1 conv-BN when the shape changes), ReLU. */
export function basicBlock(b: GraphBuilder, x: Ref, o: BasicBlockOpts): Ref {
  const s = o.stride ?? 1;
  const p = o.label;
  return b.group(groupName(o, 'basic_block'), o.repeat ?? 1, () => {
    let y = conv(b, x, { filters: o.filters, kernel: 3, stride: s, pad: 1, bias: false, label: lbl(p, 'conv1') });
    y = act(b, bn(b, y, lbl(p, 'bn1'), o.bn), 'relu', lbl(p, 'relu1'));
    y = conv(b, y, { filters: o.filters, kernel: 3, stride: 1, pad: 1, bias: false, label: lbl(p, 'conv2') });
    y = bn(b, y, lbl(p, 'bn2'), o.bn);
    const short = shortcut(b, x, o.inChannels, o.filters, s, p, o.bn);
    return act(b, b.add('merge/add', {}, [y, short], { ...(p ? { label: lbl(p, 'add') } : {}) }), 'relu', lbl(p, 'relu2'));
  });
}

function shortcut(b: GraphBuilder, x: Ref, cin: number, cout: number, stride: number, p: string | undefined, o?: BnOpts): Ref {
  if (stride === 1 && cin === cout) return x;
  const d = conv(b, x, { filters: cout, kernel: 1, stride, pad: 0, bias: false, label: lbl(p, 'downsample.0') });
  return bn(b, d, lbl(p, 'downsample.1'), o);
}

export interface BottleneckOpts extends GroupOpts {
  inChannels: number;
  /** Width of the 3×3 conv; the block outputs `width · expansion` channels. */
  width: number;
  expansion?: number;
  stride?: number;
  groups?: number;
}

/** ResNet v1.5 bottleneck (torchvision): 1×1 reduce, 3×3 (stride here), 1×1 expand ×4, + shortcut, ReLU. */
export function bottleneck(b: GraphBuilder, x: Ref, o: BottleneckOpts): Ref {
  const s = o.stride ?? 1;
  const out = o.width * (o.expansion ?? 4);
  const p = o.label;
  return b.group(groupName(o, 'bottleneck'), o.repeat ?? 1, () => {
    let y = conv(b, x, { filters: o.width, kernel: 1, pad: 0, bias: false, label: lbl(p, 'conv1') });
    y = act(b, bn(b, y, lbl(p, 'bn1')), 'relu', lbl(p, 'relu1'));
    y = conv(b, y, { filters: o.width, kernel: 3, stride: s, pad: 1, groups: o.groups ?? 1, bias: false, label: lbl(p, 'conv2') });
    y = act(b, bn(b, y, lbl(p, 'bn2')), 'relu', lbl(p, 'relu2'));
    y = conv(b, y, { filters: out, kernel: 1, pad: 0, bias: false, label: lbl(p, 'conv3') });
    y = bn(b, y, lbl(p, 'bn3'));
    const short = shortcut(b, x, o.inChannels, out, s, p);
    return act(b, b.add('merge/add', {}, [y, short], { ...(p ? { label: lbl(p, 'add') } : {}) }), 'relu', lbl(p, 'relu3'));
  });
}

// ------------------------------------------------------------------------------------------ MobileNet family

export interface DepthwiseSeparableOpts extends GroupOpts {
  filters: number;
  stride?: number;
  act?: Act;
}

/** MobileNet v1 block: 3×3 depthwise conv-BN-ReLU, then 1×1 pointwise conv-BN-ReLU (labels `.0`–`.5`). */
export function depthwiseSeparable(b: GraphBuilder, x: Ref, o: DepthwiseSeparableOpts): Ref {
  const p = o.label;
  const a = o.act ?? 'relu';
  return b.group(groupName(o, 'dw_separable'), o.repeat ?? 1, () => {
    let y = b.add('core/depthwise_conv2d', { kernel: 3, stride: o.stride ?? 1, padding: 'explicit', pad: 1, dilation: 1, multiplier: 1, bias: false }, x, p ? { label: lbl(p, '0') } : {});
    y = act(b, bn(b, y, lbl(p, '1')), a, lbl(p, '2'));
    y = conv(b, y, { filters: o.filters, kernel: 1, pad: 0, bias: false, label: lbl(p, '3') });
    return act(b, bn(b, y, lbl(p, '4')), a, lbl(p, '5'));
  });
}

export interface SqueezeExcite {
  /** Bottleneck width of the two 1×1 convs (absolute, as torchvision computes it). */
  squeeze: number;
  activation: 'relu' | 'silu';
  gate: 'sigmoid' | 'hardsigmoid';
}

export interface InvertedResidualOpts extends GroupOpts {
  inChannels: number;
  outChannels: number;
  /** Channels after the 1×1 expansion; equal to `inChannels` means no expansion conv. */
  expanded: number;
  kernel?: number;
  stride?: number;
  act?: Act;
  se?: SqueezeExcite;
  bn?: BnOpts;
  /** Stochastic depth on the residual branch (EfficientNet); 0 or absent: none. */
  dropPath?: number;
  /**
   * Label scheme: `'mobilenet_v2'` (torchvision InvertedResidual: `conv.0.0`, `conv.1.0`, `conv.2`, `conv.3`)
   * or `'block'` (MobileNetV3 InvertedResidual / EfficientNet MBConv: `block.0.0`, …, `block.N.1`).
   */
  labels?: 'mobilenet_v2' | 'block';
}

/**
 * Inverted residual (MobileNetV2 / V3, EfficientNet MBConv): optional 1×1 expansion conv-BN-act, K×K depthwise
 * conv-BN-act, optional squeeze-excitation, 1×1 linear projection conv-BN, plus the input when the stride is 1
 * and the channel counts match.
 */
export function invertedResidual(b: GraphBuilder, x: Ref, o: InvertedResidualOpts): Ref {
  const p = o.label;
  const k = o.kernel ?? 3;
  const s = o.stride ?? 1;
  const a = o.act ?? 'relu6';
  const expand = o.expanded !== o.inChannels;
  const v2 = (o.labels ?? 'block') === 'mobilenet_v2';
  const root = v2 ? 'conv' : 'block';
  return b.group(groupName(o, 'inverted_residual'), o.repeat ?? 1, () => {
    let i = 0;
    const next = (): string | undefined => lbl(p, `${root}.${i++}`);
    let y = x;
    if (expand) y = convBnAct(b, y, { filters: o.expanded, kernel: 1, pad: 0, act: a, bn: o.bn, label: next() });
    y = convBnAct(b, y, { filters: o.expanded, kernel: k, stride: s, depthwise: true, act: a, bn: o.bn, label: next() });
    if (o.se) {
      y = b.add('attn/se', { reduction: 4, squeeze: o.se.squeeze, activation: o.se.activation, gate: o.se.gate }, y, p ? { label: next() } : {});
    }
    if (v2) {
      y = conv(b, y, { filters: o.outChannels, kernel: 1, pad: 0, bias: false, label: next() });
      y = bn(b, y, next(), o.bn);
    } else {
      const q = next();
      y = bn(b, conv(b, y, { filters: o.outChannels, kernel: 1, pad: 0, bias: false, label: lbl(q, '0') }), lbl(q, '1'), o.bn);
    }
    if (s !== 1 || o.inChannels !== o.outChannels) return y;
    if (o.dropPath) y = b.add('reg/droppath', { rate: o.dropPath }, y, p ? { label: lbl(p, 'stochastic_depth') } : {});
    return b.add('merge/add', {}, [y, x], p ? { label: lbl(p, 'add') } : {});
  });
}

/** EfficientNet MBConv: expansion ratio `expandRatio`, SiLU, SE squeezing to `inChannels/4` with a sigmoid gate. */
export function mbconv(
  b: GraphBuilder,
  x: Ref,
  o: GroupOpts & { inChannels: number; outChannels: number; expandRatio: number; kernel: number; stride?: number; dropPath?: number; bn?: BnOpts },
): Ref {
  return invertedResidual(b, x, {
    ...o,
    expanded: makeDivisible(o.inChannels * o.expandRatio),
    act: 'silu',
    se: { squeeze: Math.max(1, Math.floor(o.inChannels / 4)), activation: 'silu', gate: 'sigmoid' },
    name: o.name ?? o.label ?? 'mbconv',
  });
}

/** MobileNetV3 block: h-swish or ReLU, SE squeezing to `makeDivisible(expanded/4)` with a hard-sigmoid gate. */
export function mobileNetV3Block(
  b: GraphBuilder,
  x: Ref,
  o: GroupOpts & { inChannels: number; outChannels: number; expanded: number; kernel: number; stride?: number; se: boolean; act: 'relu' | 'hardswish' },
): Ref {
  return invertedResidual(b, x, {
    ...o,
    se: o.se ? { squeeze: makeDivisible(Math.floor(o.expanded / 4)), activation: 'relu', gate: 'hardsigmoid' } : undefined,
    bn: { epsilon: 0.001, momentum: 0.01 },
    name: o.name ?? o.label ?? 'mobilenet_v3_block',
  });
}

// ------------------------------------------------------------------------------------------ CSP, UNet, transformer

export interface CspOpts extends GroupOpts {
  outChannels: number;
  /** Bottlenecks on the main path (unrolled: groups do not nest). */
  n?: number;
  shortcut?: boolean;
  act?: Act;
}

/**
 * CSP block in YOLOv5's C3 form (Cross Stage Partial): the input splits into two 1×1 conv branches of half
 * width; one runs `n` residual bottlenecks (1×1 then 3×3), the two are concatenated and fused by a 1×1 conv.
 * Labels follow ultralytics (`cv1.conv`, `cv1.bn`, `m.0.cv1.conv`, …).
 */
export function cspBlock(b: GraphBuilder, x: Ref, o: CspOpts): Ref {
  const p = o.label;
  const hidden = Math.max(1, Math.floor(o.outChannels / 2));
  const a = o.act ?? 'silu';
  const cba = (input: Ref, filters: number, kernel: number, q: string | undefined): Ref => {
    const c = conv(b, input, { filters, kernel, bias: false, label: lbl(q, 'conv') });
    return act(b, bn(b, c, lbl(q, 'bn'), { epsilon: 0.001, momentum: 0.03 }), a, lbl(q, 'act'));
  };
  return b.group(groupName(o, 'csp_block'), o.repeat ?? 1, () => {
    let m = cba(x, hidden, 1, lbl(p, 'cv1'));
    for (let i = 0; i < (o.n ?? 1); i++) {
      const q = lbl(p, `m.${i}`);
      const y = cba(cba(m, hidden, 1, lbl(q, 'cv1')), hidden, 3, lbl(q, 'cv2'));
      m = o.shortcut === false ? y : b.add('merge/add', {}, [m, y], q ? { label: lbl(q, 'add') } : {});
    }
    const side = cba(x, hidden, 1, lbl(p, 'cv2'));
    const cat = b.add('merge/concat', { axis: -1 }, [m, side], p ? { label: lbl(p, 'cat') } : {});
    return cba(cat, o.outChannels, 1, lbl(p, 'cv3'));
  });
}

/** UNet double conv: (3×3 conv-BN-ReLU) ×2, labels `.0`–`.5`. */
export function doubleConv(b: GraphBuilder, x: Ref, o: GroupOpts & { filters: number }): Ref {
  const p = o.label;
  return b.group(groupName(o, 'double_conv'), o.repeat ?? 1, () => {
    let y = conv(b, x, { filters: o.filters, kernel: 3, pad: 1, bias: false, label: lbl(p, '0') });
    y = act(b, bn(b, y, lbl(p, '1')), 'relu', lbl(p, '2'));
    y = conv(b, y, { filters: o.filters, kernel: 3, pad: 1, bias: false, label: lbl(p, '3') });
    return act(b, bn(b, y, lbl(p, '4')), 'relu', lbl(p, '5'));
  });
}

export interface TransformerStageOpts extends GroupOpts {
  depth: number;
  heads: number;
  mlpDim: number;
  dropout?: number;
  attnDropout?: number;
}

/** A stage of pre-norm transformer encoder blocks: one `tfm/encoder` in a group repeated ×depth. */
export function transformerStage(b: GraphBuilder, x: Ref, o: TransformerStageOpts): Ref {
  return b.group(groupName(o, 'transformer_stage'), o.depth, () =>
    b.add('tfm/encoder', { heads: o.heads, mlpDim: o.mlpDim, dropout: o.dropout ?? 0, attnDropout: o.attnDropout ?? 0 }, x, o.label ? { label: o.label } : {}),
  );
}

// ------------------------------------------------------------------------------------------ palette

/** What the editor knows about the insertion point: the channels (or token dim) of `x`. */
export interface CompositeContext {
  channels?: number;
}

export interface CompositeDef {
  id: string;
  name: string;
  description: string;
  /** Adds the composite after `x` and returns its output. Defaults assume 64 channels. */
  insert(b: GraphBuilder, x: Ref, ctx?: CompositeContext): Ref;
}

const ch = (ctx?: CompositeContext): number => ctx?.channels ?? 64;
const headsFor = (dim: number): number => [8, 6, 4, 3, 2, 1].find((h) => dim % h === 0 && dim / h >= 16) ?? 1;

export const COMPOSITES: readonly CompositeDef[] = [
  {
    id: 'residual_basic',
    name: 'Residual block',
    description: 'ResNet-18/34 basic block: two 3×3 conv-BN (ReLU between), the input added back, ReLU. Keeps the shape.',
    insert: (b, x, ctx) => basicBlock(b, x, { inChannels: ch(ctx), filters: ch(ctx), name: 'Residual block' }),
  },
  {
    id: 'residual_basic_down',
    name: 'Residual block (downsample)',
    description: 'Basic block with stride 2 and twice the channels; the shortcut becomes a 1×1 stride-2 conv-BN projection.',
    insert: (b, x, ctx) => basicBlock(b, x, { inChannels: ch(ctx), filters: 2 * ch(ctx), stride: 2, name: 'Residual block ↓2' }),
  },
  {
    id: 'bottleneck',
    name: 'Bottleneck',
    description: 'ResNet-50 bottleneck: 1×1 reduce to C/4, 3×3, 1×1 expand back to C, plus the input. Keeps the shape.',
    insert: (b, x, ctx) => bottleneck(b, x, { inChannels: ch(ctx), width: Math.max(1, Math.floor(ch(ctx) / 4)), name: 'Bottleneck' }),
  },
  {
    id: 'depthwise_separable',
    name: 'Depthwise-separable conv',
    description: 'MobileNet v1 block: 3×3 depthwise conv-BN-ReLU then 1×1 pointwise conv-BN-ReLU; about 1/C_out + 1/9 of a 3×3 conv\'s cost.',
    insert: (b, x, ctx) => depthwiseSeparable(b, x, { filters: ch(ctx), name: 'Depthwise separable' }),
  },
  {
    id: 'inverted_residual',
    name: 'Inverted residual (MobileNetV2)',
    description: 'Linear bottleneck: 1×1 expand ×6 with ReLU6, 3×3 depthwise, 1×1 linear projection, plus the input.',
    insert: (b, x, ctx) => invertedResidual(b, x, { inChannels: ch(ctx), outChannels: ch(ctx), expanded: 6 * ch(ctx), labels: 'mobilenet_v2', name: 'Inverted residual' }),
  },
  {
    id: 'mbconv',
    name: 'MBConv (EfficientNet)',
    description: 'Inverted residual with SiLU and squeeze-excitation: 1×1 expand ×6, 3×3 depthwise, SE, 1×1 project, plus the input.',
    insert: (b, x, ctx) => mbconv(b, x, { inChannels: ch(ctx), outChannels: ch(ctx), expandRatio: 6, kernel: 3, name: 'MBConv' }),
  },
  {
    id: 'mobilenet_v3_block',
    name: 'MobileNetV3 block',
    description: 'Inverted residual with h-swish, a 5×5 depthwise conv and an SE gate with hard-sigmoid.',
    insert: (b, x, ctx) => mobileNetV3Block(b, x, { inChannels: ch(ctx), outChannels: ch(ctx), expanded: makeDivisible(4 * ch(ctx)), kernel: 5, se: true, act: 'hardswish', name: 'MobileNetV3 block' }),
  },
  {
    id: 'csp',
    name: 'CSP block',
    description: 'Cross Stage Partial block (YOLOv5 C3): half the channels go through residual bottlenecks, half skip them; concat, 1×1 fuse.',
    insert: (b, x, ctx) => cspBlock(b, x, { outChannels: ch(ctx), n: 1, name: 'CSP block' }),
  },
  {
    id: 'double_conv',
    name: 'Double conv (UNet)',
    description: 'Two 3×3 conv-BN-ReLU layers, the unit of each UNet level.',
    insert: (b, x, ctx) => doubleConv(b, x, { filters: ch(ctx), name: 'Double conv' }),
  },
  {
    id: 'transformer_stage',
    name: 'Transformer stage',
    description: 'Pre-norm encoder blocks (LN → multi-head self-attention → +, LN → MLP → +) repeated ×4 on a token sequence.',
    insert: (b, x, ctx) => transformerStage(b, x, { depth: 4, heads: headsFor(ch(ctx)), mlpDim: 4 * ch(ctx), name: 'Transformer stage' }),
  },
];

export const compositeById = (id: string): CompositeDef | undefined => COMPOSITES.find((c) => c.id === id);
