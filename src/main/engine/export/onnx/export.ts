import type * as tf from '@tensorflow/tfjs';
import { analyze, buildErrorsOf, nodeName } from '../../../../shared/graph/analyze';
import type { GraphDoc } from '../../../../shared/graph/types';
import { ENGINE_BLOCKS } from '../../blocks';
import { exporterOf, type OnnxAttr, type OnnxCtx, type OnnxExport, type WeightArray } from '../../blocks/types';
import { layerBaseNames, sanitizeName, SUFFIX_SEPARATOR } from '../../compile/naming';
import { nodeParams, walkExpanded } from '../../compile/walk';
import { ExportError } from '../errors';
import type { ExportFiles } from '../files';
import { batchNormStats, foldedWeights, planBatchNormFolding } from '../fuseBatchNorm';
import { infoFiles, modelInfo, UNKNOWN, onnxMetadata, readmeSection, type ModelSource } from '../modelInfo';
import { DataType, encodeModel, type OnnxNode, type OnnxTensor, type OnnxValueInfo } from './proto';

export const ONNX_OPSET = 17;

export interface OnnxExportResult {
  bytes: Uint8Array;
  inputName: string;
  outputNames: string[];
  /** BatchNorms folded into the layer before them (fuseBatchNorm). */
  foldedBatchNorms: number;
}

export interface OnnxExportOptions {
  /** Fold each BatchNorm into the conv/dense layer before it when that layer feeds nothing else (see fuseBatchNorm.ts). */
  fuseBatchNorm?: boolean;
  /** What the model was trained on: class names and preprocessing go into metadata_props. */
  source?: ModelSource;
}

/** Block types whose twin has ONNX nodes (the others declare why not: onnxUnsupported). */
export const onnxSupported = (type: string): boolean => typeof exporterOf(ENGINE_BLOCKS[type], 'onnx') === 'function';

/** Why the ONNX export refuses a block type, or undefined when it has ONNX nodes. */
export function onnxUnsupported(type: string): string | undefined {
  const e = exporterOf(ENGINE_BLOCKS[type], 'onnx');
  return typeof e === 'function' ? undefined : e.unsupported;
}

/**
 * Writes the ONNX model (opset 17) of a graph with the weights of `model`, which must have been compiled from
 * the same graph (or loaded from a checkpoint of it): layers are found by the compiler's deterministic names.
 *
 * Layout: the model takes and returns the lab's layout (NHWC, input `input` [batch, H, W, C]); inside, every
 * rank-4 tensor is NCHW (one Transpose after the input, one before each rank-4 output, and around the few
 * layout-sensitive ops: Flatten, Dense on images), so convs and pools are plain ONNX ops.
 */
export function exportOnnx(graph: GraphDoc, model: tf.LayersModel, options: OnnxExportOptions = {}): OnnxExportResult {
  const analysis = analyze(graph);
  const errors = buildErrorsOf(analysis);
  if (errors.length) throw new ExportError(`the graph has errors: ${errors.map((e) => e.message).join('; ')}`);
  const { nodes, edges, origin } = analysis.expanded;
  for (const n of nodes) {
    const why = onnxUnsupported(n.type);
    if (why) throw new ExportError(`ONNX export does not support block '${nodeName(n)}' (${n.type}): ${why}`);
  }

  const byId = new Map(nodes.map((n) => [n.id, n]));
  const bases = layerBaseNames(nodes, graph.groups);
  const onnxNodes: OnnxNode[] = [];
  const inits: OnnxTensor[] = [];
  const used = new Set<string>(['input']);
  const unique = (raw: string): string => {
    let name = raw;
    for (let k = 2; used.has(name); k++) name = `${raw}_${k}`;
    used.add(name);
    return name;
  };
  const layerWeights = (layerName: string, node: (typeof nodes)[number]): Record<string, WeightArray> => {
    let layer: tf.layers.Layer;
    try {
      layer = model.getLayer(layerName);
    } catch {
      throw new ExportError(`the model has no layer '${layerName}' for block '${nodeName(node)}': was it compiled from this graph?`);
    }
    const out: Record<string, WeightArray> = {};
    for (const v of layer.weights) {
      const short = (v.originalName ?? v.name).split('/').pop()!;
      out[short] = { data: v.read().dataSync() as Float32Array, shape: [...v.shape] as number[] };
    }
    return out;
  };
  // Conv-BN fusion: producer id → BatchNorm id; a folded BatchNorm passes its input through.
  const foldInto = options.fuseBatchNorm ? planBatchNormFolding(nodes, edges) : new Map<string, string>();
  const folded = new Set(foldInto.values());
  const bnStats = (bnId: string) => {
    const bn = byId.get(bnId)!;
    return batchNormStats(layerWeights(bases.get(bnId)!, bn), (nodeParams(bn) as { epsilon: number }).epsilon);
  };
  let nchwInput: string | undefined;
  const [h, w, c] = graph.meta.input.shape;

  const { outputs: outNodes } = walkExpanded<string>(analysis, ({ id, node, params, twin, inputs, info, ref }) => {
    if (folded.has(id)) return inputs[0];
    const base = bases.get(id)!;
    const nodeNameOf = (suffix?: string): string => (suffix ? `${base}/${suffix}` : base);
    const ctx: OnnxCtx = {
      op(op: string, ins: string[], attrs: Record<string, OnnxAttr> = {}, suffix?: string) {
        const name = unique(nodeNameOf(suffix));
        onnxNodes.push({ op, inputs: ins, outputs: [name], name, attrs });
        return name;
      },
      constant(data, dims, suffix) {
        const name = unique(nodeNameOf(suffix ?? 'const'));
        inits.push({ name, dims: [...dims], type: DataType.FLOAT, data: data instanceof Float32Array ? data : Float32Array.from(data) });
        return name;
      },
      ints(values, suffix) {
        const name = unique(nodeNameOf(suffix ?? 'ints'));
        inits.push({ name, dims: [values.length], type: DataType.INT64, data: BigInt64Array.from(values.map((v) => BigInt(v))) });
        return name;
      },
      weights(suffix) {
        const w = layerWeights(suffix ? `${base}${SUFFIX_SEPARATOR}${sanitizeName(suffix)}` : base, node);
        const bn = suffix ? undefined : foldInto.get(id);
        return bn ? foldedWeights(w, bnStats(bn)) : w;
      },
      input() {
        if (!nchwInput) {
          nchwInput = unique('input_nchw');
          onnxNodes.push({ op: 'Transpose', inputs: ['input'], outputs: [nchwInput], name: nchwInput, attrs: { perm: [0, 3, 1, 2] } });
        }
        return nchwInput;
      },
      axis(labAxis, rank) {
        const a = labAxis < 0 ? rank + labAxis : labAxis;
        return rank === 4 ? [0, 2, 3, 1][a] : a;
      },
      inputShapes: info.inputs,
      outputShape: info.output!,
    };
    try {
      return (exporterOf(twin, 'onnx') as OnnxExport)(ctx, inputs, params, ref);
    } catch (err) {
      if (err instanceof ExportError) throw err;
      throw new ExportError(`ONNX export of block '${nodeName(node)}' (${node.type}) failed: ${(err as Error).message}`);
    }
  });

  // The model's outputs, chosen as the compiler does (walkExpanded): the heads, else every sink.
  const outputs: OnnxValueInfo[] = outNodes.map(({ node: n, value: t }) => {
    const shape = analysis.nodes[origin.get(n.id) ?? n.id].output!;
    const name = unique(`output_${bases.get(n.id)}`);
    onnxNodes.push(shape.length === 4 ? { op: 'Transpose', inputs: [t], outputs: [name], name, attrs: { perm: [0, 2, 3, 1] } } : { op: 'Identity', inputs: [t], outputs: [name], name });
    return { name, dims: ['batch', ...shape.slice(1).map((d) => d ?? '?')] as (number | string)[] };
  });

  const bytes = encodeModel({
    opset: ONNX_OPSET,
    producer: 'Netsmith',
    graphName: sanitizeName(graph.meta.name || 'model'),
    docString: 'Exported by Netsmith. Input and outputs use the NHWC layout of the lab; inside, rank-4 tensors are NCHW.',
    nodes: onnxNodes,
    initializers: inits,
    inputs: [{ name: 'input', dims: ['batch', h, w, c] }],
    outputs,
    metadata: { ...onnxMetadata(modelInfo(graph, options.source ?? { dataset: UNKNOWN }, 'NHWC')), ...detectionHeadsMetadata(outNodes.map((o) => o.node), outputs) },
  });
  return { bytes, inputName: 'input', outputNames: outputs.map((o) => o.name), foldedBatchNorms: folded.size };
}

/**
 * metadata_props `netsmith.detection_heads`: per YOLO head output, its classes, anchors per cell and stride (the
 * 1×1 conv alone does not say how its channels split into A·(5+K)), so an import gives the head block back.
 */
function detectionHeadsMetadata(nodes: readonly { type: string; params: Record<string, unknown> }[], outputs: readonly OnnxValueInfo[]): Record<string, string> {
  const heads = nodes.flatMap((n, i) => (n.type === 'det/yolo_head' ? [{ output: outputs[i].name, classes: n.params.classes, anchors: n.params.anchors, stride: n.params.stride }] : []));
  return heads.length ? { 'netsmith.detection_heads': JSON.stringify(heads) } : {};
}

/** model.onnx, model-info.json, labels.txt and a README (layout, preprocessing, classes, outputs, what is not in the model). */
export function onnxFiles(graph: GraphDoc, model: tf.LayersModel, options: OnnxExportOptions = {}): ExportFiles {
  const { bytes, inputName, outputNames, foldedBatchNorms } = exportOnnx(graph, model, options);
  const info = modelInfo(graph, options.source ?? { dataset: UNKNOWN }, 'NHWC');
  const readme = [
    `# ONNX model exported by Netsmith (opset ${ONNX_OPSET})`,
    '',
    `Input \`${inputName}\`: [batch, ${graph.meta.input.shape.join(', ')}] float32, NHWC as in the lab (the model transposes to NCHW inside).`,
    `Outputs: ${outputNames.map((n) => `\`${n}\``).join(', ')} (rank-4 outputs are NHWC; classification heads give logits).`,
    '',
    'The class names and the preprocessing are also in the model\'s metadata (`metadata_props`: `classes`, `input_size`, `mean`, `std`, `scale`, `channel_order`, `input_layout`, …).',
    '',
    ...readmeSection(info),
    ...(graph.meta.task === 'detection'
      ? ['Detection: each output is the raw YOLO head map of one scale, [batch, H, W, A·(5+K)] laid out (tx, ty, tw, th, objectness, K classes) per anchor. Decoding (sigmoid, anchors, stride) and NMS are not part of the model.', '']
      : []),
    ...(foldedBatchNorms > 0 ? [`Conv-BN fusion: ${foldedBatchNorms} BatchNorm layer(s) are folded into the conv/dense layer before them (same outputs at inference).`, ''] : []),
  ].join('\n');
  return { 'model.onnx': bytes, ...infoFiles(info), 'README.md': readme };
}
