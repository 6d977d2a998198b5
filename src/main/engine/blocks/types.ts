import type * as tf from '@tensorflow/tfjs';
import type { KernelKind, TfInitializer } from '../train/initializers';
import type { BlockDef, ParamSpecs, ParamsOf } from '../../../shared/blocks';
import type { Shape } from '../../../shared/graph/types';

/** What a twin gets from the compiler while it builds one node of the expanded graph. */
export interface BuildCtx {
  /**
   * A unique, valid layer name for this node. A node that builds several layers names the extra ones with
   * a suffix: `name('pad')` → `conv1__pad`. Everything before `__` is the node's base name (see nodeProbes).
   */
  name(suffix?: string): string;
  /** The kernel initializer chosen for this node (global or per-node choice), with a fresh seed each call. */
  kernelInit(kind: KernelKind): TfInitializer;
  /** A fresh seed for other random weights (position tables, class tokens); undefined when unseeded. */
  seed(): number | undefined;
  /** The model input, shared by every Input block (the graph has one input spec). */
  input(): tf.SymbolicTensor;
  /** The graph's per-sample input shape `[H, W, C]`. */
  graphInput: readonly number[];
  /** Shapes the shared analysis inferred for this node (batch `null`). */
  inputShapes: readonly Shape[];
  outputShape: Shape;
}

export interface NodeRef {
  id: string;
  label?: string;
}

/** A float32 array with its shape (row-major), as the lab stores it (tfjs layouts: conv kernels `[K, K, C_in, C_out]`). */
export interface WeightArray {
  data: Float32Array;
  shape: number[];
}

export type OnnxAttr = number | string | number[] | { floats: number[] } | { float: number };

/**
 * What a twin gets from the ONNX exporter (src/main/engine/export/onnx). Tensor layout in the ONNX graph:
 * every rank-4 tensor (batch + 3 axes) is NCHW; tensors of other ranks keep the lab's layout. The exported
 * model's input and outputs are in the lab's layout (NHWC), the exporter adds the transposes.
 */
export interface OnnxCtx {
  /** Adds one node and returns the name of its (first) output. `suffix` names the node `<base>/<suffix>`. */
  op(op: string, inputs: string[], attrs?: Record<string, OnnxAttr>, suffix?: string): string;
  /** A float32 initializer. */
  constant(data: Float32Array | readonly number[], dims: readonly number[], suffix?: string): string;
  /** An int64 initializer (shapes, axes, pads). */
  ints(values: readonly number[], suffix?: string): string;
  /** The weights of the layer the twin built as `ctx.name(suffix)`, by short name (`kernel`, `bias`, `gamma`…). */
  weights(suffix?: string): Record<string, WeightArray>;
  /** The model input, already transposed to NCHW. */
  input(): string;
  /** The ONNX axis of a lab axis (negative allowed) of a tensor of rank `rank` (batch included). */
  axis(labAxis: number, rank: number): number;
  /** Shapes the analysis inferred (lab layout, batch `null`). */
  inputShapes: readonly Shape[];
  outputShape: Shape;
}

/** Emits a block's ONNX nodes for `inputs` (tensor names) and returns its output's name. */
export type OnnxExport<P = Record<string, unknown>> = (ctx: OnnxCtx, inputs: string[], params: P, node: NodeRef) => string;
/**
 * What a twin gets from the PyTorch exporter (src/main/engine/export/pytorch). The generated module works in
 * PyTorch's layout: rank-4 tensors are NCHW (input included); other ranks keep the lab's layout.
 */
export interface PytorchCtx {
  /** The weights of the layer the twin built as `ctx.name(suffix)`, by short name (tfjs layouts). */
  weights(suffix?: string): Record<string, WeightArray>;
  /** The PyTorch dim of a lab axis (negative allowed) of a tensor of rank `rank` (batch included). */
  axis(labAxis: number, rank: number): number;
  inputShapes: readonly Shape[];
  outputShape: Shape;
}

/** One block in model.py: an optional submodule (`self.<name> = <module>`) and its forward expression. */
export interface PytorchModule {
  /** Python expression constructing the submodule (nn.Conv2d(…), nn.Sequential(…)); absent for pure ops. */
  module?: string;
  /** The forward expression from the submodule reference (`self.conv1`) and the input variables. */
  forward(self: string, inputs: string[]): string;
  /** The submodule's state dict entries (keys relative to it), in PyTorch layouts. */
  state?: Record<string, WeightArray>;
}

/** Emits a block's part of model.py (see PytorchCtx). */
export type PytorchExport<P = Record<string, unknown>> = (ctx: PytorchCtx, params: P, node: NodeRef) => PytorchModule;

/** An exporter a block declares it does not have, and why (the export's error message quotes the reason). */
export interface Unsupported {
  unsupported: string;
}

/** The engine twin of a BlockDef (src/blocks/<unit>/definition.ts): everything about the block that needs tensors. */
export interface EngineBlock<P = Record<string, unknown>> {
  type: string;
  /** Builds the node with the tf.layers functional API; `params` are parsed (defaults filled). */
  build(ctx: BuildCtx, inputs: tf.SymbolicTensor[], params: P, node: NodeRef): tf.SymbolicTensor;
  /** Emits the block's ONNX nodes (see OnnxCtx), or says why the ONNX export refuses graphs with this block. */
  onnx: OnnxExport<P> | Unsupported;
  /** The block's part of model.py (see PytorchCtx), or why the PyTorch export refuses graphs with this block. */
  pytorch: PytorchExport<P> | Unsupported;
}

/** An exporter of a twin: the emitter, or the declared reason it has none ('no engine twin' for an unknown type). */
export function exporterOf<K extends 'onnx' | 'pytorch'>(twin: EngineBlock | undefined, kind: K): EngineBlock[K] {
  if (!twin) return { unsupported: 'it has no engine twin' };
  const e = twin[kind] as EngineBlock[K] | undefined;
  if (typeof e === 'function') return e;
  if (e && typeof (e as Unsupported).unsupported === 'string' && (e as Unsupported).unsupported.trim()) return e;
  throw new Error(`engine twin '${twin.type}' has no ${kind === 'onnx' ? 'ONNX' : 'PyTorch'} exporter and no { unsupported: 'because …' } declaration`);
}

/**
 * Declares a twin typed by its BlockDef's params: `twin(conv2d, (ctx, [x], p) => …, { onnx, pytorch })`. Both
 * exporters are required: an emitter, or `{ unsupported: 'because …' }`.
 */
export function twin<S extends ParamSpecs>(
  def: BlockDef<S>,
  build: EngineBlock<ParamsOf<S>>['build'],
  exporters: Pick<EngineBlock<ParamsOf<S>>, 'onnx' | 'pytorch'>,
): EngineBlock<ParamsOf<S>> {
  return { type: def.type, build, ...exporters };
}
