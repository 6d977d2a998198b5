import type { Shape, Task } from '../graph/types';
import type { ParamSpecs, ParamsOf } from './params';

export const FAMILIES = [
  'io',
  'conv',
  'dense',
  'pool',
  'norm',
  'activation',
  'regularization',
  'merge',
  'reshape',
  'attention',
  'transformer',
  'detection',
  'head',
] as const;
export type BlockFamily = (typeof FAMILIES)[number];

export interface PortDef {
  name: string;
  /** A variadic port takes any number of edges (≥ `min`), e.g. Add and Concat. */
  variadic?: boolean;
  min?: number;
}

export interface InferContext {
  /** The graph's per-sample input shape `[H, W, C]` (for the Input block). */
  graphInput: readonly number[];
  task: Task;
  /** Describes input `i` for messages, e.g. `'conv3' (32×32×64)`. */
  describeInput(i: number): string;
}

/**
 * Costs per sample. FLOPs follow the standard counters' convention (fvcore, torchvision's tables):
 * FLOPs = 2 × MACs, where MACs are the multiply-accumulates of convolutions, dense layers and attention
 * matmuls. Element-wise work (normalisation, activations, pooling, gating) is counted in `ops`, shown apart.
 */
export interface Cost {
  params: number;
  macs: number;
  ops: number;
  /** Non-trainable state (BN running statistics), counted in tfjs' countParams but not as trainable. */
  buffers?: number;
}

export interface DocCard {
  summary: string;
  formula?: string;
  paramsFormula?: string;
  flopsFormula?: string;
  /** One line per parameter: what it does. Taken from the param specs' `help` when absent. */
  use: string;
  /** Which study notes discuss it, e.g. `001, 004`. */
  notes?: string;
}

export interface BlockMigration {
  /** The block version this migration produces (starts at 2, goes up by 1). */
  to: number;
  up(params: Record<string, unknown>): Record<string, unknown>;
}

export interface BlockDef<S extends ParamSpecs = ParamSpecs> {
  /** Stable serialized key, e.g. `core/conv2d`. Never changes once shipped. */
  type: string;
  title: string;
  family: BlockFamily;
  version: number;
  params: S;
  inputs: readonly PortDef[];
  /** Output port names; almost every block has one, `out`. */
  outputs: readonly string[];
  trainable: boolean;
  inferShape(inputs: readonly Shape[], p: ParamsOf<S>, ctx: InferContext): Shape;
  cost(inputs: readonly Shape[], output: Shape, p: ParamsOf<S>): Cost;
  doc: DocCard;
  migrations?: readonly BlockMigration[];
  /** Receptive-field rule: the spatial window one output unit sees of its input (convs, pools); absent: the block keeps the geometry. */
  window?(p: ParamsOf<S>): SpatialWindow;
  /**
   * Conv-BN fusion at export: 'linear' = a BatchNorm right after this block folds into the kernel and bias of its
   * unsuffixed layer (convs, dense); 'batchnorm' = this block is a BatchNorm that can fold into such a block.
   */
  fold?: 'linear' | 'batchnorm';
  /** What the training probes watch on this block; absent: its first layer with weights, if any. */
  probe?: ProbeKind;
  /** The attention view can show this block's attention weights (multi-head self-attention inside). */
  attention?: boolean;
  /** Role in a task: an output head whose `classes` param is the dataset's class count (adaptToDataset sets it). */
  datasetClasses?: boolean;
  /** An element-wise sum of branches: a graph holding one has a skip connection (the diagnostics' hint). */
  residual?: boolean;
}

/** The window of a conv-like block or pool along H and W (square). */
export interface SpatialWindow {
  kernel: number;
  stride: number;
  dilation: number;
}

/** A probe on the block's running statistics (BatchNorm) or on its output activations (and which function). */
export type ProbeKind = { kind: 'batchnorm' } | { kind: 'activation'; activation: 'relu' | 'sigmoid' | 'tanh' | 'other' };

/** Thrown by `inferShape` for an impossible configuration; `param` points the inspector at the culprit. */
export class ShapeError extends Error {
  constructor(
    message: string,
    readonly param?: string,
  ) {
    super(message);
    this.name = 'ShapeError';
  }
}

type BlockInit<S extends ParamSpecs> = Omit<BlockDef<S>, 'version' | 'inputs' | 'outputs' | 'trainable'> &
  Partial<Pick<BlockDef<S>, 'version' | 'inputs' | 'outputs' | 'trainable'>>;

export function defineBlock<S extends ParamSpecs>(init: BlockInit<S>): BlockDef<S> {
  return { version: 1, inputs: [{ name: 'in' }], outputs: ['out'], trainable: false, ...init };
}

/** The type-erased view used by code that iterates the catalog. */
export type AnyBlockDef = BlockDef<ParamSpecs>;
