import { blockByType, parseParams } from '../blocks';
import type { GraphBuilder, Ref } from '../graph/builder';
import type { GraphDoc } from '../graph/types';

/**
 * Small layer helpers shared by the composites and the templates. Every conv uses explicit padding
 * (PyTorch's `padding=P`), so shapes and costs match the reference implementations exactly.
 */

export type Act = 'relu' | 'relu6' | 'silu' | 'hardswish' | 'hardsigmoid' | 'sigmoid' | 'tanh' | 'gelu' | 'leaky_relu' | 'none';

/** Joins a label prefix and a module name: `lbl('layer1.0', 'conv1')` → `layer1.0.conv1`; no prefix → no label. */
export function lbl(prefix: string | undefined, name: string): string | undefined {
  if (prefix === undefined) return undefined;
  return prefix === '' ? name : `${prefix}.${name}`;
}

const opts = (label: string | undefined): { label?: string } => (label ? { label } : {});

export interface ConvOpts {
  filters: number;
  kernel: number;
  stride?: number;
  /** Zeros on each side; defaults to PyTorch's usual `(K−1)/2` for odd kernels. */
  pad?: number;
  groups?: number;
  bias?: boolean;
  label?: string;
}

export function conv(b: GraphBuilder, x: Ref, o: ConvOpts): Ref {
  return b.add(
    'core/conv2d',
    { filters: o.filters, kernel: o.kernel, stride: o.stride ?? 1, padding: 'explicit', pad: o.pad ?? (o.kernel - 1) >> 1, dilation: 1, groups: o.groups ?? 1, bias: o.bias ?? true },
    x,
    opts(o.label),
  );
}

export function depthwise(b: GraphBuilder, x: Ref, o: { kernel: number; stride?: number; pad?: number; bias?: boolean; label?: string }): Ref {
  return b.add(
    'core/depthwise_conv2d',
    { kernel: o.kernel, stride: o.stride ?? 1, padding: 'explicit', pad: o.pad ?? (o.kernel - 1) >> 1, dilation: 1, multiplier: 1, bias: o.bias ?? false },
    x,
    opts(o.label),
  );
}

export interface BnOpts {
  /** PyTorch convention: running = (1−m)·running + m·batch. */
  momentum?: number;
  epsilon?: number;
}

export function bn(b: GraphBuilder, x: Ref, label?: string, o: BnOpts = {}): Ref {
  return b.add('norm/batchnorm', { momentum: o.momentum ?? 0.1, epsilon: o.epsilon ?? 1e-5, affine: true }, x, opts(label));
}

export function act(b: GraphBuilder, x: Ref, a: Act, label?: string): Ref {
  if (a === 'none') return x;
  const params = a === 'leaky_relu' ? { alpha: 0.1 } : a === 'gelu' ? { approximate: 'none' } : {};
  return b.add(`act/${a}`, params, x, opts(label));
}

/** Conv → BN → activation, labelled like torchvision's `Conv2dNormActivation` (`.0`, `.1`, `.2`). */
export function convBnAct(b: GraphBuilder, x: Ref, o: ConvOpts & { act: Act; bn?: BnOpts; depthwise?: boolean }): Ref {
  const c = o.depthwise
    ? depthwise(b, x, { kernel: o.kernel, stride: o.stride, pad: o.pad, bias: o.bias ?? false, label: lbl(o.label, '0') })
    : conv(b, x, { ...o, bias: o.bias ?? false, label: lbl(o.label, '0') });
  return act(b, bn(b, c, lbl(o.label, '1'), o.bn), o.act, lbl(o.label, '2'));
}

export function maxpool(b: GraphBuilder, x: Ref, size: number, stride: number, pad: number, label?: string): Ref {
  return b.add('pool/maxpool', { size, stride, padding: 'explicit', pad }, x, opts(label));
}

export function avgpool(b: GraphBuilder, x: Ref, size: number, stride: number, pad: number, label?: string): Ref {
  return b.add('pool/avgpool', { size, stride, padding: 'explicit', pad }, x, opts(label));
}

export function gap(b: GraphBuilder, x: Ref, label = 'avgpool'): Ref {
  return b.add('pool/global_avgpool', { keepDims: false }, x, { label });
}

export function dense(b: GraphBuilder, x: Ref, units: number, label?: string): Ref {
  return b.add('core/dense', { units, bias: true }, x, opts(label));
}

export function dropout(b: GraphBuilder, x: Ref, rate: number, label?: string): Ref {
  return b.add('reg/dropout', { rate }, x, opts(label));
}

export function classify(b: GraphBuilder, x: Ref, classes: number, label: string): Ref {
  return b.add('head/classify', { classes }, x, { label });
}

/** torchvision's `_make_divisible`: round to a multiple of `divisor`, never more than 10% below `v`. */
export function makeDivisible(v: number, divisor = 8, minValue = divisor): number {
  const n = Math.max(minValue, Math.floor((v + divisor / 2) / divisor) * divisor);
  return n < 0.9 * v ? n + divisor : n;
}

/**
 * Builds the document with every block's params complete (defaults filled in, in the spec's order), so a
 * template is explicit in the inspector and passes through `restore()` unchanged.
 */
export function finish(b: GraphBuilder): GraphDoc {
  const doc = b.build();
  for (const n of doc.nodes) {
    const def = blockByType(n.type);
    const parsed = def && parseParams(def.params, n.params);
    if (parsed?.ok) n.params = parsed.params as Record<string, unknown>;
  }
  return doc;
}
