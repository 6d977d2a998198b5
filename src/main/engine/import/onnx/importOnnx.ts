import * as tf from '@tensorflow/tfjs';
import { basename, extname } from 'node:path';
import { analyze } from '../../../../shared/graph/analyze';
import type { GraphDoc } from '../../../../shared/graph/types';
import { compile } from '../../compile/compile';
import { layerBaseNames } from '../../compile/naming';
import type { OnnxModel } from './decode';
import { OnnxImportError } from './errors';
import { mapModel } from './map';
import { readOnnxFile } from './read';
import type { Weight } from './tensors';

/** What the file's metadata_props say about the data the model expects (Netsmith's own exports write all of it). */
export interface ImportedPreprocessing {
  classes: string[];
  preprocessing: { resize?: string; scale: number; mean: number[]; std: number[]; formula?: string } | null;
  channelOrder?: string;
  dataset?: string;
}

export interface ImportedModel {
  graph: GraphDoc;
  model: tf.LayersModel;
  /** Null when the metadata says nothing about classes or preprocessing. */
  preprocessing: ImportedPreprocessing | null;
  report: { source: string; opset: number; producer: string; onnxNodes: number; blocks: number; params: number; until?: string };
}

const SUPPORTED_OPSETS = [7, 18] as const;

function parseJson<T>(text: string | undefined): T | undefined {
  if (text === undefined) return undefined;
  try {
    return JSON.parse(text) as T;
  } catch {
    return undefined;
  }
}

/** Classes and preprocessing from metadata_props: Netsmith's `netsmith.model_info`, else the plain keys. */
export function preprocessingOf(meta: Record<string, string>): ImportedPreprocessing | null {
  const info = parseJson<{ classes?: string[]; preprocessing?: ImportedPreprocessing['preprocessing']; dataset?: string; input?: { channelOrder?: string } }>(meta['netsmith.model_info']);
  const classes = info?.classes ?? parseJson<string[]>(meta.classes) ?? [];
  const mean = parseJson<number[]>(meta.mean);
  const std = parseJson<number[]>(meta.std);
  const pre = info?.preprocessing ?? (mean && std ? { scale: Number(meta.scale ?? 1), mean, std, ...(meta.resize ? { resize: meta.resize } : {}), ...(meta.preprocessing ? { formula: meta.preprocessing } : {}) } : null);
  if (!classes.length && !pre) return null;
  return { classes: Array.isArray(classes) ? classes.map(String) : [], preprocessing: pre, ...(info?.input?.channelOrder ?? meta.channel_order ? { channelOrder: info?.input?.channelOrder ?? meta.channel_order } : {}), ...(info?.dataset ?? meta.dataset ? { dataset: info?.dataset ?? meta.dataset } : {}) };
}

/** Copies the mapped weights into the compiled model's layers; every weight of every layer must be covered. */
function loadWeights(graph: GraphDoc, model: tf.LayersModel, weights: Map<string, Record<string, Weight>>): void {
  const bases = layerBaseNames(analyze(graph).expanded.nodes, graph.groups);
  for (const n of graph.nodes) {
    const base = bases.get(n.id);
    if (!base) continue;
    let layer: tf.layers.Layer;
    try {
      layer = model.getLayer(base);
    } catch {
      continue; // a block without a layer of its own (input, flatten of a flat vector, …)
    }
    const given = weights.get(n.id) ?? {};
    for (const v of layer.weights) {
      const short = (v.originalName ?? v.name).split('/').pop()!;
      const w = given[short];
      if (!w) throw new OnnxImportError(`internal: no ONNX weight for '${short}' of block '${n.label ?? n.id}' (${n.type})`);
      if (w.shape.join() !== v.shape.join()) throw new OnnxImportError(`internal: '${short}' of block '${n.label ?? n.id}' is [${w.shape}] in the file, the block needs [${v.shape}]`);
      v.write(tf.tensor(w.data, w.shape));
    }
  }
}

/** Trainable weights only (BatchNorm's running statistics are not parameters, as in PyTorch). */
export function trainableParams(model: tf.LayersModel): number {
  return model.trainableWeights.reduce((n, w) => n + w.shape.reduce((a: number, b) => a * (b ?? 1), 1), 0);
}

/** Maps a decoded model onto catalog blocks and builds the lab model with its weights. */
export function importDecoded(onnx: OnnxModel, opts: { name: string; until?: string; source?: string }): ImportedModel {
  if (onnx.opset < SUPPORTED_OPSETS[0] || onnx.opset > SUPPORTED_OPSETS[1]) {
    throw new OnnxImportError(`the model uses opset ${onnx.opset}; the lab imports opsets ${SUPPORTED_OPSETS[0]} to ${SUPPORTED_OPSETS[1]}`);
  }
  const mapped = mapModel(onnx, { name: opts.name, until: opts.until });
  const preprocessing = preprocessingOf(onnx.metadata);
  const graph = mapped.graph;
  if (opts.until) graph.meta.description = `Imported from ${opts.source ?? 'an ONNX file'} up to node '${opts.until}'.`;
  else graph.meta.description = `Imported from ${opts.source ?? 'an ONNX file'} (${onnx.producer || 'unknown producer'}, opset ${onnx.opset}).`;
  const { model } = compile(graph, { seed: 1 });
  try {
    loadWeights(graph, model, mapped.weights);
  } catch (err) {
    model.dispose();
    throw err;
  }
  return {
    graph,
    model,
    preprocessing,
    report: { source: opts.source ?? '', opset: onnx.opset, producer: onnx.producer, onnxNodes: onnx.nodes.length, blocks: graph.nodes.length, params: trainableParams(model), ...(opts.until ? { until: opts.until } : {}) },
  };
}

/** Reads an .onnx file and imports it (see importDecoded). */
export async function importOnnxFile(file: string, opts: { until?: string; name?: string } = {}): Promise<ImportedModel> {
  const onnx = await readOnnxFile(file);
  return importDecoded(onnx, { name: opts.name ?? basename(file, extname(file)), until: opts.until, source: basename(file) });
}
