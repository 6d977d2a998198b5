import type * as tf from '@tensorflow/tfjs';
import type { KernelKind, TfInitializer } from '../train/initializers';
import type { BlockDef, ParamSpecs, ParamsOf } from '../../../shared/blocks';
import type { Shape } from '../../../shared/graph/types';

/** What a twin gets from the compiler while it builds one node of the expanded graph. */
export interface BuildCtx {
  /**
   * A unique, valid layer name for this node. A node that builds several layers names the extra ones with
   * a suffix: `name('pad')` → `conv1__pad`. Everything before `__` is the node's base name (see probeTargets).
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

/** Placeholders for the exporters (a later issue): the ONNX nodes and the PyTorch module of a block. */
export type OnnxExport = (...args: never[]) => unknown;
export type PytorchExport = (...args: never[]) => unknown;

/** The engine twin of a BlockDef (src/shared/blocks/<type>.ts): everything about the block that needs tensors. */
export interface EngineBlock<P = Record<string, unknown>> {
  type: string;
  /** Builds the node with the tf.layers functional API; `params` are parsed (defaults filled). */
  build(ctx: BuildCtx, inputs: tf.SymbolicTensor[], params: P, node: NodeRef): tf.SymbolicTensor;
  onnx?: OnnxExport;
  pytorch?: PytorchExport;
}

/** Declares a twin typed by its BlockDef's params: `twin(conv2d, (ctx, [x], p) => …)`. */
export function twin<S extends ParamSpecs>(def: BlockDef<S>, build: EngineBlock<ParamsOf<S>>['build']): EngineBlock<ParamsOf<S>> {
  return { type: def.type, build };
}
