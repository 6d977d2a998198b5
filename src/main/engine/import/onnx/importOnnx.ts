import * as tf from '@tensorflow/tfjs';
import { basename, extname } from 'node:path';
import { analyze } from '../../../../shared/graph/analyze';
import type { GraphDoc } from '../../../../shared/graph/types';
import { compile } from '../../compile/compile';
import { writeModelFolder } from '../../modelFolder';
import { layerBaseNames, SUFFIX_SEPARATOR } from '../../compile/naming';
import type { ModelFolderInfo, Preprocessing } from '../../modelFolder';
import type { OnnxModel } from './decode';
import { OnnxImportError } from './errors';
import { mapModel } from './map';
import { readOnnxFile } from './read';
import type { Weight } from './tensors';

export interface ImportedModel {
  graph: GraphDoc;
  model: tf.LayersModel;
  /** netsmith-model.json of the model folder: name, classes, source, notes. */
  info: ModelFolderInfo;
  /** From metadata_props when the file gives it (Netsmith's own exports do), else pixel/255 with a note in info.notes. */
  preprocessing: Preprocessing;
  /** Whether metadata_props gave the classes / the preprocessing. */
  fromMetadata: { classes: boolean; preprocessing: boolean };
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

const numbers = (v: unknown, n: number): number[] | undefined => (Array.isArray(v) && v.length === n && v.every((x) => typeof x === 'number' && Number.isFinite(x)) ? (v as number[]) : undefined);

/** Classes and preprocessing from metadata_props: Netsmith's `netsmith.model_info`, else the plain keys (classes, mean, std, scale). */
export function metadataOf(meta: Record<string, string>, input: [number, number, number]): { classes?: string[]; preprocessing?: Preprocessing } {
  const info = parseJson<{ classes?: unknown; preprocessing?: { scale?: unknown; mean?: unknown; std?: unknown; resize?: unknown } | null }>(meta['netsmith.model_info']);
  const rawClasses = info?.classes ?? parseJson<unknown>(meta.classes);
  const classes = Array.isArray(rawClasses) && rawClasses.length > 0 ? rawClasses.map(String) : undefined;
  const c = input[2];
  const p = info?.preprocessing ?? { scale: Number(meta.scale ?? 1 / 255), mean: parseJson<unknown>(meta.mean), std: parseJson<unknown>(meta.std), resize: meta.resize };
  const mean = numbers(p.mean, c);
  const std = numbers(p.std, c);
  const scale = typeof p.scale === 'number' && p.scale > 0 ? p.scale : 1 / 255;
  const preprocessing = mean && std && std.every((x) => x > 0) ? { input, scale, mean, std, resize: typeof p.resize === 'string' && p.resize ? p.resize : 'bilinear, stretched to the input size' } : undefined;
  return { ...(classes ? { classes } : {}), ...(preprocessing ? { preprocessing } : {}) };
}

/**
 * Copies the mapped weights into the compiled model's layers; every weight of every layer must be covered. A block
 * built of several layers (`<base>__<sublayer>`, e.g. an encoder's `ln1`, `attn`, `fc1`) takes `<sublayer>/<weight>`.
 */
function loadWeights(graph: GraphDoc, model: tf.LayersModel, weights: Map<string, Record<string, Weight>>): void {
  const bases = layerBaseNames(analyze(graph).expanded.nodes, graph.groups);
  const layersOf = new Map<string, { layer: tf.layers.Layer; sub?: string }[]>();
  const byBase = new Map<string, string>();
  for (const n of graph.nodes) {
    const base = bases.get(n.id);
    if (base) byBase.set(base, n.id);
  }
  for (const layer of model.layers) {
    const cut = layer.name.indexOf(SUFFIX_SEPARATOR);
    const base = cut < 0 ? layer.name : layer.name.slice(0, cut);
    const id = byBase.get(base);
    if (!id) continue;
    (layersOf.get(id) ?? layersOf.set(id, []).get(id)!).push({ layer, ...(cut < 0 ? {} : { sub: layer.name.slice(cut + SUFFIX_SEPARATOR.length) }) });
  }
  for (const n of graph.nodes) {
    const given = weights.get(n.id) ?? {};
    for (const { layer, sub } of layersOf.get(n.id) ?? []) {
      for (const v of layer.weights) {
        const short = (v.originalName ?? v.name).split('/').pop()!;
        const key = sub ? `${sub}/${short}` : short;
        const w = given[key];
        if (!w) throw new OnnxImportError(`internal: no ONNX weight for '${key}' of block '${n.label ?? n.id}' (${n.type})`);
        if (w.shape.join() !== v.shape.join()) throw new OnnxImportError(`internal: '${key}' of block '${n.label ?? n.id}' is [${w.shape}] in the file, the block needs [${v.shape}]`);
        v.write(tf.tensor(w.data, w.shape));
      }
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
  const graph = mapped.graph;
  const input = [...graph.meta.input.shape] as [number, number, number];
  const meta = metadataOf(onnx.metadata, input);
  const head = graph.nodes.find((n) => n.type === 'head/classify' || n.type === 'head/segment' || n.type === 'det/yolo_head');
  const outputs = head ? (head.params as { classes: number }).classes : 0;
  const classes = meta.classes && meta.classes.length === outputs ? meta.classes : Array.from({ length: outputs }, (_, k) => String(k));
  const notes: string[] = [];
  if (!meta.classes) notes.push(outputs ? `The file names no classes (metadata_props 'classes'): they are numbered 0…${outputs - 1}.` : 'The model has no classification head: no classes.');
  else if (meta.classes.length !== outputs) notes.push(`metadata_props names ${meta.classes.length} classes but the head has ${outputs} outputs: they are numbered instead.`);
  if (!meta.preprocessing) notes.push('The file gives no preprocessing (metadata_props mean/std): assumed x = pixel/255; edit preprocessing.json if the model expects another.');
  if (opts.until) notes.push(`Imported up to node '${opts.until}'.`);
  const preprocessing: Preprocessing = meta.preprocessing ?? { input, scale: 1 / 255, mean: new Array<number>(input[2]).fill(0), std: new Array<number>(input[2]).fill(1), resize: 'bilinear, stretched to the input size' };
  if (opts.until) graph.meta.description = `Imported from ${opts.source ?? 'an ONNX file'} up to node '${opts.until}'.`;
  else graph.meta.description = `Imported from ${opts.source ?? 'an ONNX file'} (${onnx.producer || 'unknown producer'}, opset ${onnx.opset}).`;
  const { model } = compile(graph, { seed: 1 });
  try {
    loadWeights(graph, model, mapped.weights);
  } catch (err) {
    model.dispose();
    throw err;
  }
  const source = `ONNX file ${opts.source ?? ''} (${onnx.producer || 'unknown producer'}, opset ${onnx.opset})`;
  return {
    graph,
    model,
    info: { format: 'netsmith.model', version: 1, name: opts.name, task: graph.meta.task, classes, source, notes, createdAt: new Date().toISOString() },
    preprocessing,
    fromMetadata: { classes: !!meta.classes && meta.classes.length === outputs, preprocessing: !!meta.preprocessing },
    report: { source: opts.source ?? '', opset: onnx.opset, producer: onnx.producer, onnxNodes: onnx.nodes.length, blocks: graph.nodes.length, params: trainableParams(model), ...(opts.until ? { until: opts.until } : {}) },
  };
}

/** Writes an import as a lab model folder (see src/main/engine/modelFolder.ts), atomically. */
export async function writeImportedFolder(outDir: string, m: ImportedModel): Promise<string> {
  return writeModelFolder(outDir, m.info, m.graph, m.preprocessing, m.model);
}

/** Reads an .onnx file and imports it (see importDecoded). */
export async function importOnnxFile(file: string, opts: { until?: string; name?: string } = {}): Promise<ImportedModel> {
  const onnx = await readOnnxFile(file);
  return importDecoded(onnx, { name: opts.name ?? basename(file, extname(file)), until: opts.until, source: basename(file) });
}
