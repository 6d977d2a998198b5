import * as tf from '@tensorflow/tfjs';
import { formatShapeWithBatch, sameShape } from '../../../shared/blocks/shapeMath';
import { analyze, buildErrorsOf, nodeName, type Analysis } from '../../../shared/graph/analyze';
import type { GraphDoc, Issue, NodeDoc, Shape } from '../../../shared/graph/types';
import { ENGINE_BLOCKS } from '../blocks';
import type { BuildCtx } from '../blocks/types';
import { kernelInitializer, seedSequence, type InitChoice } from './init';
import { layerBaseNames, sanitizeName, SUFFIX_SEPARATOR } from './naming';
import { walkExpanded } from './walk';

/** The graph cannot become a model: analysis errors, a block without an engine twin, or a shape disagreement. */
export class CompileError extends Error {
  constructor(readonly issues: Issue[]) {
    super(`The graph cannot be compiled:\n${issues.map((i) => `- ${i.message}`).join('\n')}`);
    this.name = 'CompileError';
  }
}

export interface CompileOptions {
  /** Kernel initialisation for every node (default 'auto'). */
  init?: InitChoice;
  /**
   * Per-node choice, keyed by document node id (applies to every copy in a repeated group). Without an entry
   * here, a node's own `init` (other than 'auto') overrides the global choice.
   */
  initByNode?: Readonly<Record<string, InitChoice>>;
  /** Seed for reproducible initial weights; unseeded when absent. */
  seed?: number;
}

export interface ModelOutput {
  /** Expanded node id of the head (equals the document id unless the head sits in a repeated group). */
  nodeId: string;
  /** Name of the layer producing this output (the model's output order is the order of this list). */
  name: string;
}

export interface Compiled {
  model: tf.LayersModel;
  outputs: ModelOutput[];
  /** Expanded node id (`conv1`, `conv1#2` for a second copy) → its layers in the model, in build order. */
  layerOf: Map<string, string[]>;
  analysis: Analysis;
}

/** The model's layers of each node of the drawn graph, by its id (the layers of every copy of a repeated group). */
export function layersOfDocNodes(compiled: Compiled): Map<string, tf.layers.Layer[]> {
  const out = new Map<string, tf.layers.Layer[]>();
  for (const [id, names] of compiled.layerOf) {
    const origin = compiled.analysis.expanded.origin.get(id) ?? id;
    const layers = out.get(origin) ?? [];
    for (const name of names) layers.push(compiled.model.getLayer(name));
    out.set(origin, layers);
  }
  return out;
}

/** Compiles a graph document into a tf.LayersModel, node by node in the expanded graph's topological order. */
export function compile(graph: GraphDoc, opts: CompileOptions = {}): Compiled {
  const analysis = analyze(graph);
  const errors = buildErrorsOf(analysis);
  if (errors.length > 0) throw new CompileError(errors);

  const { nodes, origin } = analysis.expanded;
  const missing = [...new Set(nodes.map((n) => n.type))].filter((t) => !ENGINE_BLOCKS[t]);
  if (missing.length > 0) {
    throw new CompileError(
      missing.map((t) => {
        const n = nodes.find((m) => m.type === t)!;
        return { severity: 'error', code: 'unknown-block', nodeId: origin.get(n.id) ?? n.id, message: `The engine cannot build '${t}' yet (block '${nodeName(n)}')` };
      }),
    );
  }

  const bases = layerBaseNames(nodes, graph.groups);
  const layerOf = new Map<string, string[]>();
  const built: tf.SymbolicTensor[] = [];
  const nextSeed = seedSequence(opts.seed);
  let modelInput: tf.SymbolicTensor | undefined;

  const abort = (err: unknown, node: NodeDoc, oid: string): never => {
    releaseLayers(built);
    if (err instanceof CompileError) throw err;
    throw new CompileError([{ severity: 'error', code: 'shape', nodeId: oid, message: `'${nodeName(node)}' (${node.type}) cannot be built: ${(err as Error).message}` }]);
  };

  const { outputs: outNodes } = walkExpanded<tf.SymbolicTensor>(analysis, ({ id, oid, node, params, twin, inputs, info, ref }) => {
    const names: string[] = [];
    layerOf.set(id, names);
    const base = bases.get(id)!;
    const choice = opts.initByNode?.[oid] ?? (node.init && node.init !== 'auto' ? node.init : undefined) ?? opts.init ?? 'auto';
    const ctx: BuildCtx = {
      name(suffix) {
        const name = suffix ? `${base}${SUFFIX_SEPARATOR}${sanitizeName(suffix)}` : base;
        if (names.includes(name)) throw new Error(`the twin of '${node.type}' asked twice for the layer name '${name}'`);
        names.push(name);
        return name;
      },
      kernelInit: (kind) => kernelInitializer(choice, kind, nextSeed()),
      seed: nextSeed,
      input() {
        modelInput ??= tf.input({ shape: [...graph.meta.input.shape], name: base });
        if (!names.includes(modelInput.sourceLayer.name)) names.push(modelInput.sourceLayer.name);
        return modelInput;
      },
      graphInput: graph.meta.input.shape,
      inputShapes: info.inputs,
      outputShape: info.output!,
    };

    let out: tf.SymbolicTensor;
    try {
      out = twin.build(ctx, inputs, params, ref);
      checkShape(node, oid, out.shape, info.output!);
    } catch (err) {
      return abort(err, node, oid);
    }
    built.push(out);
    return out;
  });

  const model = tf.model({ inputs: modelInput!, outputs: outNodes.map((o) => o.value), name: sanitizeName(graph.meta.name || 'model') });

  // In network order, so a node's last layer is the one producing its output.
  const position = new Map(model.layers.map((l, i) => [l.name, i]));
  for (const [id, names] of layerOf) layerOf.set(id, names.filter((n) => position.has(n)).sort((a, b) => position.get(a)! - position.get(b)!));
  const outputs = outNodes.map((o) => ({ nodeId: o.node.id, name: o.value.sourceLayer.name }));
  return { model, outputs, layerOf, analysis };
}

/** Disposes the weights of every layer upstream of `tensors` (a build that stopped half way). */
function releaseLayers(tensors: tf.SymbolicTensor[]): void {
  const seen = new Set<tf.layers.Layer>();
  const stack = tensors.map((t) => t.sourceLayer as tf.layers.Layer);
  while (stack.length > 0) {
    const layer = stack.pop()!;
    if (seen.has(layer)) continue;
    seen.add(layer);
    for (const n of layer.inboundNodes) stack.push(...(n.inboundLayers as tf.layers.Layer[]));
    try {
      layer.dispose();
    } catch {
      // never built or applied: it holds no weights
    }
  }
}

function checkShape(node: NodeDoc, oid: string, actual: Shape, inferred: Shape): void {
  if (sameShape(actual, inferred)) return;
  throw new CompileError([
    {
      severity: 'error',
      code: 'shape',
      nodeId: oid,
      message: `'${nodeName(node)}' (${node.type}): the engine built ${formatShapeWithBatch(actual)} but the analysis inferred ${formatShapeWithBatch(inferred)}`,
    },
  ]);
}
