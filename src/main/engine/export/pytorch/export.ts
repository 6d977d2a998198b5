import type * as tf from '@tensorflow/tfjs';
import { analyze, buildErrorsOf, nodeName } from '../../../../shared/graph/analyze';
import type { GraphDoc } from '../../../../shared/graph/types';
import { trainConfigSchema, type TrainConfig } from '../../../../shared/training/config';
import { ENGINE_BLOCKS } from '../../blocks';
import { exporterOf, type PytorchCtx, type PytorchExport, type WeightArray } from '../../blocks/types';
import { layerBaseNames, sanitizeName, SUFFIX_SEPARATOR } from '../../compile/naming';
import { nodeParams, walkExpanded } from '../../compile/walk';
import { lossConfig, optimizerConfig } from '../../train/configMap';
import { ExportError } from '../errors';
import { batchNormStats, foldedWeights, planBatchNormFolding } from '../fuseBatchNorm';
import type { ExportFiles } from '../files';
import { infoFiles, modelInfo, UNKNOWN, readmeSection, type ModelInfoFile, type ModelSource } from '../modelInfo';
import { prelude } from './prelude';
import { encodeSafetensors } from './safetensors';
import { trainDetectionSpec } from './trainDetection';
import { trainPy } from './train';

export const pytorchSupported = (type: string): boolean => typeof exporterOf(ENGINE_BLOCKS[type], 'pytorch') === 'function';

/** Why the PyTorch export refuses a block type, or undefined when it has a PyTorch part. */
export function pytorchUnsupported(type: string): string | undefined {
  const e = exporterOf(ENGINE_BLOCKS[type], 'pytorch');
  return typeof e === 'function' ? undefined : e.unsupported;
}

const PY_KEYWORDS = new Set(
  'False None True and as assert async await break class continue def del elif else except finally for from global if import in is lambda nonlocal not or pass raise return try while with yield self x torch nn F'.split(' '),
);

/** A Python identifier from a layer name (`layer1.0.conv1` → `layer1_0_conv1`). */
export function pyIdent(raw: string): string {
  let id = raw.replace(/[^A-Za-z0-9_]/g, '_');
  if (/^[0-9]/.test(id)) id = `n_${id}`;
  if (PY_KEYWORDS.has(id)) id = `${id}_`;
  return id;
}


export interface PytorchResult {
  modelPy: string;
  weights: Uint8Array;
  className: string;
  /** BatchNorms folded into the layer before them (fuseBatchNorm). */
  foldedBatchNorms: number;
  /** Per expanded node: the Python variable forward() gives its output, and those of its inputs. */
  nodeVars: Map<string, { output: string; inputs: string[] }>;
  /** Every module attribute of the class: its name, the node's layer base name (its label path) and block type. */
  modules: { name: string; base: string; type: string; /** The graph node it comes from (a copy's original). */ node: string }[];
}

export interface PytorchExportOptions {
  fuseBatchNorm?: boolean;
  /** The values written for a weight instead of its current ones (the training engine maps weights with it). */
  readWeight?: (v: tf.LayerVariable) => Float32Array;
  /** forward() stores every node's output in `self.netsmith_taps` when that is a dict (the engine's probes). */
  taps?: boolean;
  /** The data the model was trained on (class names, preprocessing) for the README and model-info. */
  source?: ModelSource;
}

/**
 * model.py (a readable nn.Module: one attribute per block with weights or a layer, named after the node and
 * its group, and a forward in graph order) and the state dict as .safetensors, from a model compiled from
 * `graph`. Rank-4 tensors are NCHW, so the module takes NCHW images.
 */
export function exportPytorch(graph: GraphDoc, model: tf.LayersModel, options: PytorchExportOptions = {}): PytorchResult {
  const { state, ...rest } = pytorchStateDict(graph, model, options);
  return { ...rest, weights: encodeSafetensors(state, { generatedBy: 'Netsmith' }) };
}

/** What exportPytorch writes, with the state dict as tensors instead of .safetensors bytes (the weight map reads it so: no copy, no decode). */
export function pytorchStateDict(graph: GraphDoc, model: tf.LayersModel, options: PytorchExportOptions = {}): Omit<PytorchResult, 'weights'> & { state: Record<string, WeightArray> } {
  const analysis = analyze(graph);
  const errors = buildErrorsOf(analysis);
  if (errors.length) throw new ExportError(`the graph has errors: ${errors.map((e) => e.message).join('; ')}`);
  const { nodes, edges } = analysis.expanded;
  for (const n of nodes) {
    const why = pytorchUnsupported(n.type);
    if (why) throw new ExportError(`PyTorch export does not support block '${nodeName(n)}' (${n.type}): ${why}`);
  }
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const bases = layerBaseNames(nodes, graph.groups);
  const used = new Set<string>();
  const unique = (raw: string): string => {
    let id = pyIdent(raw);
    for (let k = 2; used.has(id); k++) id = pyIdent(`${raw}_${k}`);
    used.add(id);
    return id;
  };
  const init: string[] = [];
  const forward: string[] = [];
  const state: Record<string, WeightArray> = {};
  const layerWeights = (layerName: string): Record<string, WeightArray> => {
    const out: Record<string, WeightArray> = {};
    for (const v of model.getLayer(layerName).weights) out[(v.originalName ?? v.name).split('/').pop()!] = { data: options.readWeight ? options.readWeight(v) : (v.read().dataSync() as Float32Array), shape: [...v.shape] as number[] };
    return out;
  };
  // Conv-BN fusion (fuseBatchNorm.ts): the producer's weights absorb the BatchNorm, which passes its input through.
  const foldInto = options.fuseBatchNorm ? planBatchNormFolding(nodes, edges) : new Map<string, string>();
  const folded = new Set(foldInto.values());
  const bnStats = (bnId: string) => {
    const bn = byId.get(bnId)!;
    return batchNormStats(layerWeights(bases.get(bnId)!), (nodeParams(bn) as { epsilon: number }).epsilon);
  };

  const nodeVars = new Map<string, { output: string; inputs: string[] }>();
  const modules: PytorchResult['modules'] = [];
  const tap = (v: string): string[] => (options.taps ? [`        if self.netsmith_taps is not None: self.netsmith_taps['${v}'] = ${v}`] : []);
  if (options.taps) forward.push(...tap('x'));
  const { outputs: outNodes } = walkExpanded<string>(analysis, ({ id, node, params, twin, inputs, info, ref }) => {
    if (folded.has(id)) return inputs[0];
    const base = bases.get(id)!;
    const ctx: PytorchCtx = {
      weights(suffix) {
        const w = layerWeights(suffix ? `${base}${SUFFIX_SEPARATOR}${sanitizeName(suffix)}` : base);
        const bn = suffix ? undefined : foldInto.get(id);
        return bn ? foldedWeights(w, bnStats(bn)) : w;
      },
      axis(labAxis, rank) {
        const a = labAxis < 0 ? rank + labAxis : labAxis;
        return rank === 4 ? [0, 2, 3, 1][a] : a;
      },
      inputShapes: info.inputs,
      outputShape: info.output!,
    };
    let part;
    try {
      part = (exporterOf(twin, 'pytorch') as PytorchExport)(ctx, params, ref);
    } catch (err) {
      throw new ExportError(`PyTorch export of block '${nodeName(node)}' (${node.type}) failed: ${(err as Error).message}`);
    }
    const name = unique(base);
    const title = `${nodeName(node)} (${node.type})`;
    if (part.module) {
      init.push(`        self.${name} = ${part.module}  # ${title}`);
      modules.push({ name, base, type: node.type, node: analysis.expanded.origin.get(id) ?? id });
      for (const [k, w] of Object.entries(part.state ?? {})) state[`${name}.${k}`] = w;
    }
    // The model input is forward's argument `x`.
    if (node.type === 'io/input') {
      nodeVars.set(id, { output: 'x', inputs: [] });
      return 'x';
    }
    forward.push(`        ${name} = ${part.forward(`self.${name}`, inputs)}${part.module ? '' : `  # ${title}`}`, ...tap(name));
    nodeVars.set(id, { output: name, inputs: [...inputs] });
    return name;
  });
  const outs = outNodes.map((o) => o.value);

  const className = pyIdent(sanitizeName(graph.meta.name || 'Net').replace(/(^|[-_.\s])(\w)/g, (_, __, c: string) => c.toUpperCase())) || 'Net';
  const [h, w, c] = graph.meta.input.shape;
  const modelPy = [
    prelude(),
    '',
    `class ${className}(nn.Module):`,
    `    """${graph.meta.name || 'model'}: input [batch, ${c}, ${h}, ${w}] (NCHW). Outputs logits for classification heads."""`,
    '',
    '    def __init__(self):',
    '        super().__init__()',
    ...(options.taps ? ['        self.netsmith_taps = None'] : []),
    ...(init.length || options.taps ? init : ['        pass']),
    '',
    '    def forward(self, x):',
    ...forward,
    `        return ${outs.length === 1 ? outs[0] : `(${outs.join(', ')})`}`,
    '',
    '',
    `INPUT_SHAPE = (${c}, ${h}, ${w})`,
    ...pythonDataConstants(modelInfo(graph, options.source ?? { dataset: UNKNOWN }, 'NCHW')),
    '',
    '',
    'def load_model(path=None):',
    '    """The model with the exported weights (weights.safetensors next to this file by default)."""',
    '    import os',
    `    model = ${className}()`,
    "    path = path or os.path.join(os.path.dirname(os.path.abspath(__file__)), 'weights.safetensors')",
    '    model.load_state_dict(load_safetensors(path))',
    '    return model.eval()',
    '',
  ].join('\n');
  return { modelPy, state, className, foldedBatchNorms: folded.size, nodeVars, modules };
}

/** The learning-rate multiplier of every module whose block has one other than 1 (train.py's param groups). */
function moduleLrMultipliers(graph: GraphDoc, modules: PytorchResult['modules']): Record<string, number> {
  const byNode = new Map(graph.nodes.filter((n) => n.lrMultiplier !== undefined && n.lrMultiplier !== 1 && !n.frozen).map((n) => [n.id, n.lrMultiplier!]));
  return Object.fromEntries(modules.filter((m) => byNode.has(m.node)).map((m) => [m.name, byNode.get(m.node)!]));
}

const pyTuple = (v: number[]): string => `(${v.join(', ')}${v.length === 1 ? ',' : ''})`;

/** CLASSES (output order) and the preprocessing's MEAN/STD, when known. */
function pythonDataConstants(info: ModelInfoFile): string[] {
  const lines: string[] = [];
  if (info.classes.length) lines.push(`CLASSES = [${info.classes.map((n) => JSON.stringify(n)).join(', ')}]  # output k is CLASSES[k]`);
  const p = info.preprocessing;
  if (p) lines.push(`# Preprocessing: resize (${p.resize}), pixels / 255, then (x - MEAN[c]) / STD[c]`, `MEAN = ${pyTuple(p.mean)}`, `STD = ${pyTuple(p.std)}`);
  return lines;
}

/**
 * model.py, weights.safetensors, train.py (the run's optimizer, schedule and loss), model-info.json, labels.txt
 * and a README for a trained model.
 */
export function pytorchFiles(graph: GraphDoc, model: tf.LayersModel, config: unknown = {}, options: { fuseBatchNorm?: boolean; source?: ModelSource } = {}): ExportFiles {
  const info = modelInfo(graph, options.source ?? { dataset: UNKNOWN }, 'NCHW');
  const { modelPy, weights, className, foldedBatchNorms, modules } = exportPytorch(graph, model, options);
  const parsed = trainConfigSchema.safeParse(config ?? {});
  const c: TrainConfig = parsed.success ? parsed.data : trainConfigSchema.parse({});
  const detection = graph.meta.task === 'detection' ? trainDetectionSpec(graph, model, c) : undefined;
  const train = trainPy({ className, task: graph.meta.task, config: c, optimizer: optimizerConfig(c), loss: lossConfig(c, graph.meta.task), lrMultipliers: moduleLrMultipliers(graph, modules), detection });
  const [h, w, ch] = graph.meta.input.shape;
  const readme = [
    `# PyTorch model exported by Netsmith`,
    '',
    `- model.py: \`${className}\`, an nn.Module mirroring the graph (one attribute per block, named after the node and its group).`,
    '- weights.safetensors: its state dict (float32; model.py reads it without the safetensors package).',
    "- train.py: trains it with the run's optimizer, learning-rate schedule and loss (`python train.py --data data.npz`).",
    '- labels.txt: the class names, line k = output k; model-info.json: input, preprocessing and classes.',
    '',
    `Input: [batch, ${ch}, ${h}, ${w}] float32, NCHW (the lab is NHWC: \`x.permute(0, 3, 1, 2)\`).`,
    '',
    '    from model import load_model',
    '    model = load_model()  # eval mode, exported weights',
    '',
    ...readmeSection(info),
    ...(graph.meta.task === 'detection'
      ? ['Detection: the model returns the raw YOLO head map of each scale, [batch, A·(5+K), H, W] laid out (tx, ty, tw, th, objectness, K classes) per anchor. Decoding (sigmoid, anchors, stride) and NMS are not part of the model.', '']
      : []),
    ...(foldedBatchNorms > 0
      ? [`Conv-BN fusion: ${foldedBatchNorms} BatchNorm layer(s) are folded into the conv/linear layer before them (same outputs at inference). train.py trains this fused model, without those BatchNorms.`, '']
      : []),
  ].join('\n');
  return { 'model.py': modelPy, 'weights.safetensors': weights, 'train.py': train, ...infoFiles(info), 'README.md': readme };
}
