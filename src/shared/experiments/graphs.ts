import { GraphBuilder, type Ref } from '../graph/builder';
import type { GraphDoc, NodeInit } from '../graph/types';

/** Small graph families the experiments vary. Every builder returns a fresh, valid document. */

export interface MlpOptions {
  name: string;
  input: [number, number, number];
  /** Hidden Dense layers (the head comes on top). */
  depth: number;
  width: number;
  activation: 'sigmoid' | 'relu' | 'tanh';
  batchnorm?: boolean;
  /** Skip connections around every hidden layer after the first: x + act(Wx + b). */
  residual?: boolean;
  dropout?: number;
  /** Per-node initialiser of the Dense layers (the head keeps the run's choice). */
  init?: NodeInit;
  classes?: number;
  description?: string;
}

export function mlp(o: MlpOptions): GraphDoc {
  const b = new GraphBuilder({ name: o.name, input: o.input, description: o.description });
  const dense = (x: Ref, label: string): Ref => b.add('core/dense', { units: o.width, bias: !o.batchnorm }, x, { label });
  const hidden = (x: Ref, i: number): Ref => {
    let y = dense(x, `dense${i}`);
    if (o.batchnorm) y = b.add('norm/batchnorm', {}, y, { label: `bn${i}` });
    y = b.add(`act/${o.activation}`, {}, y, { label: `${o.activation}${i}` });
    if (o.dropout) y = b.add('reg/dropout', { rate: o.dropout }, y, { label: `dropout${i}` });
    return y;
  };
  let x = b.add('reshape/flatten', {}, b.input());
  x = hidden(x, 1);
  for (let i = 2; i <= o.depth; i++) {
    const y = hidden(x, i);
    x = o.residual ? b.add('merge/add', {}, [x, y], { label: `skip${i}` }) : y;
  }
  b.add('head/classify', { classes: o.classes ?? 10 }, x, { label: 'head' });
  const g = b.build();
  return o.init ? { ...g, nodes: g.nodes.map((n) => (n.type === 'core/dense' ? { ...n, init: o.init } : n)) } : g;
}

export interface CnnOptions {
  name: string;
  input: [number, number, number];
  /** Filters of each 3×3 conv stage; every stage after the first downsamples by 2 (stride-2 conv). */
  filters: number[];
  batchnorm?: boolean;
  /** 'separable': depthwise-separable convs after the first (the first conv sees the raw channels). */
  conv?: 'standard' | 'separable';
  /** Head: global average pooling (default) or flatten. */
  pool?: 'gap' | 'flatten';
  dropout?: number;
  classes?: number;
  description?: string;
}

/** conv-(BN)-ReLU stages, stride 2 from the second on, then GAP (or flatten) and the classifier head. */
export function cnn(o: CnnOptions): GraphDoc {
  const b = new GraphBuilder({ name: o.name, input: o.input, description: o.description });
  let x = b.input();
  o.filters.forEach((f, i) => {
    const stride = i === 0 ? 1 : 2;
    const type = o.conv === 'separable' && i > 0 ? 'core/separable_conv2d' : 'core/conv2d';
    x = b.add(type, { filters: f, kernel: 3, stride, padding: 'same', bias: !o.batchnorm }, x, { label: `conv${i + 1}` });
    if (o.batchnorm) x = b.add('norm/batchnorm', {}, x, { label: `bn${i + 1}` });
    x = b.add('act/relu', {}, x, { label: `relu${i + 1}` });
  });
  x = o.pool === 'flatten' ? b.add('reshape/flatten', {}, x) : b.add('pool/global_avgpool', {}, x, { label: 'gap' });
  if (o.dropout) x = b.add('reg/dropout', { rate: o.dropout }, x, { label: 'dropout' });
  b.add('head/classify', { classes: o.classes ?? 10 }, x, { label: 'head' });
  return b.build();
}

export interface ConvStackLayer {
  kind: 'conv' | 'maxpool';
  kernel: number;
  stride?: number;
  dilation?: number;
  filters?: number;
}

/** A plain chain of convs / pools (receptive-field variants), then GAP and the head. */
export function convStack(name: string, input: [number, number, number], layers: ConvStackLayer[], description?: string): GraphDoc {
  const b = new GraphBuilder({ name, input, description });
  let x = b.input();
  let c = 0;
  let p = 0;
  for (const l of layers) {
    if (l.kind === 'conv') {
      x = b.add('core/conv2d', { filters: l.filters ?? 16, kernel: l.kernel, stride: l.stride ?? 1, dilation: l.dilation ?? 1, padding: 'same' }, x, { label: `conv${++c} ${l.kernel}×${l.kernel}` });
      x = b.add('act/relu', {}, x, { label: `relu${c}` });
    } else x = b.add('pool/maxpool', { size: l.kernel, stride: l.stride ?? l.kernel }, x, { label: `pool${++p} ${l.kernel}×${l.kernel}` });
  }
  x = b.add('pool/global_avgpool', {}, x, { label: 'gap' });
  b.add('head/classify', { classes: 10 }, x, { label: 'head' });
  return b.build();
}
