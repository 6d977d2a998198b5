/**
 * A PyTorch state dict from a file (.pth/.pt through torchFile.ts, .safetensors here), and its tensors put into a
 * lab model through the PyTorch twin's weight map (the export's mapping, read backwards) and the torchvision name
 * tables. Every key or shape that does not fit is reported by layer.
 */
import * as tf from '@tensorflow/tfjs';
import { analyze } from '../../../shared/graph/analyze';
import type { GraphDoc } from '../../../shared/graph/types';
import { readSafetensors as readSafetensorsFile, SafetensorsError } from '../export/pytorch/safetensors';
import { buildWeightMap } from '../torch/weightMap';
import { readTorchFile, TorchFileError, type TorchTensor } from './torchFile';
import { torchvisionKey } from './torchvisionNames';

export class StateDictError extends Error {}

export type StateDict = Map<string, TorchTensor>;

const dims = (shape: readonly number[]): string => (shape.length ? shape.join('×') : 'scalar');

/**
 * State dicts the lab wrote itself: safetensors whose metadata says `generatedBy: Netsmith` (its PyTorch export,
 * its PyTorch engine), torch.save files whose state dict's `_metadata` says so (the exported train.py). They hold
 * the PyTorch twin's own keys, and their Dense-after-Flatten weights are already in the lab's H×W×C column order
 * (the exported module flattens NHWC), so they are neither renamed nor reordered as torchvision's are.
 */
const labWritten = new WeakSet<StateDict>();

/** A .safetensors state dict (the one reader is export/pytorch/safetensors.ts), its errors as StateDictErrors. */
export function readSafetensors(bytes: Uint8Array): StateDict {
  let file;
  try {
    file = readSafetensorsFile(bytes);
  } catch (err) {
    if (err instanceof SafetensorsError) throw new StateDictError(err.message);
    throw err;
  }
  if (file.metadata.generatedBy === 'Netsmith') labWritten.add(file.tensors);
  return file.tensors;
}

/** The tensors of a checkpoint file, by the file's extension (.safetensors, else a torch.save zip). */
export function readStateDictFile(bytes: Uint8Array, fileName: string): StateDict {
  try {
    if (/\.safetensors$/i.test(fileName)) return readSafetensors(bytes);
    const file = readTorchFile(bytes);
    if (file.generatedBy === 'Netsmith') labWritten.add(file.tensors);
    return file.tensors;
  } catch (err) {
    if (err instanceof TorchFileError || err instanceof StateDictError) throw new StateDictError(`${fileName}: ${err.message}`);
    throw err;
  }
}

export interface LoadReport {
  /** Tensors of the graph that received values from the file. */
  loaded: number;
  /** Tensors the graph's PyTorch twin has (BatchNorm statistics included). */
  total: number;
  /** One line per graph tensor that got nothing: `classifier.1.weight: 1000×1280 in the file, 3×1280 in the graph`. */
  mismatches: string[];
  /** Keys of the file that no tensor of the graph took (num_batches_tracked aside). */
  unused: string[];
  /** The prefix stripped from the file's keys (`state_dict.`, `module.`), if any. */
  prefix: string;
}

export interface MatchedWeights {
  /** model.weights order; undefined where the file had nothing that fits (the weight keeps its value). */
  values: (Float32Array | undefined)[];
  report: LoadReport;
}

const PREFIXES = ['', 'module.', 'state_dict.', 'state_dict.module.', 'model.', 'model.module.', 'model_state_dict.', 'model_state_dict.module.', 'net.'];

/**
 * The file's tensors for a model compiled from `graph`, matched by torchvision key (the node's label path and the
 * block's name table) and shape. Nothing is thrown for a mismatch: the report lists it.
 */
export function matchStateDict(graph: GraphDoc, model: tf.LayersModel, state: StateDict): MatchedWeights {
  const map = buildWeightMap(graph, model);
  // The lab's own files hold the twin's keys (`features_0_0.weight`) and layout; other files torchvision's.
  const lab = labWritten.has(state);
  const flattened = lab ? new Map<string, [number, number, number]>() : denseAfterFlatten(graph);
  const moduleOf = new Map(map.modules.map((m) => [m.name, m]));
  const wanted = new Map<string, { key: string; reshape?: boolean }>();
  for (const labKey of map.torchShapes.keys()) {
    const dot = labKey.indexOf('.');
    const mod = lab ? undefined : moduleOf.get(labKey.slice(0, dot));
    wanted.set(labKey, mod ? torchvisionKey(mod.type, mod.base, labKey.slice(dot + 1)) : { key: labKey });
  }
  // The container prefix under which most of the wanted keys are found.
  const fileKeys = [...state.keys()];
  let prefix = '';
  let best = -1;
  for (const p of PREFIXES) {
    let hits = 0;
    for (const w of wanted.values()) if (state.has(p + w.key)) hits++;
    if (hits > best) [best, prefix] = [hits, p];
  }
  const mismatches: string[] = [];
  const used = new Set<string>();
  const byLabKey = new Map<string, Float32Array>();
  for (const [labKey, { key, reshape }] of wanted) {
    const shape = map.torchShapes.get(labKey)!;
    const t = state.get(prefix + key);
    if (!t) {
      mismatches.push(`${key}: missing in the file (${dims(shape)} in the graph)`);
      continue;
    }
    used.add(prefix + key);
    const same = dims(t.shape) === dims(shape);
    const squeezed = (s: readonly number[]): string => dims(s.filter((d) => d !== 1));
    if (!same && !(reshape && squeezed(t.shape) === squeezed(shape))) {
      mismatches.push(`${key}: ${dims(t.shape)} in the file, ${dims(shape)} in the graph`);
      continue;
    }
    const dot = labKey.indexOf('.');
    const hwc = labKey.slice(dot + 1) === 'weight' ? flattened.get(moduleOf.get(labKey.slice(0, dot))?.base ?? '') : undefined;
    byLabKey.set(labKey, hwc ? chwColumnsToHwc(t.data, shape[0], hwc) : t.data);
  }
  const values = map.sources.map(({ key, positions }) => {
    const t = byLabKey.get(key);
    if (!t) return undefined;
    const out = new Float32Array(positions.length);
    for (let i = 0; i < positions.length; i++) out[i] = t[positions[i]];
    return out;
  });
  const unused = fileKeys.filter((k) => k.startsWith(prefix) && !used.has(k) && !k.endsWith('num_batches_tracked')).map((k) => k.slice(prefix.length));
  return { values, report: { loaded: byLabKey.size, total: wanted.size, mismatches, unused, prefix } };
}

/**
 * Dense blocks fed by a Flatten of an H×W×C map, by label: torchvision flattens C×H×W (NCHW), the lab's twin
 * flattens H×W×C (flatten/engine.ts), so the weight's input columns are reordered (VGG's classifier.0).
 */
function denseAfterFlatten(graph: GraphDoc): Map<string, [number, number, number]> {
  const a = analyze(graph);
  const { nodes, edges } = a.expanded;
  const byId = new Map(nodes.map((n) => [n.id, n]));
  const out = new Map<string, [number, number, number]>();
  for (const n of nodes) {
    if (n.type !== 'core/dense' || !n.label) continue;
    const e = edges.find((x) => x.target === n.id);
    const src = e ? byId.get(e.source) : undefined;
    // Shapes carry the batch axis first: [batch, H, W, C].
    const s = src?.type === 'reshape/flatten' ? a.nodes[src.id]?.inputs[0]?.slice(1) : undefined;
    if (s && s.length === 3 && s.every((d) => typeof d === 'number')) out.set(n.label, s as [number, number, number]);
  }
  return out;
}

/** A [out, C·H·W] weight (torchvision's column order) as [out, H·W·C]. */
function chwColumnsToHwc(data: Float32Array, rows: number, [h, w, c]: [number, number, number]): Float32Array {
  const n = h * w * c;
  const out = new Float32Array(data.length);
  for (let o = 0; o < rows; o++) for (let k = 0; k < c; k++) for (let i = 0; i < h; i++) for (let j = 0; j < w; j++) out[o * n + (i * w + j) * c + k] = data[o * n + (k * h + i) * w + j];
  return out;
}

/** Sets the matched values into the model's weights (the others keep theirs). */
export function applyMatched(model: tf.LayersModel, values: readonly (Float32Array | undefined)[]): void {
  model.weights.forEach((v, i) => {
    const data = values[i];
    if (!data) return;
    const t = tf.tensor(data, v.shape as number[]);
    v.write(t);
    t.dispose();
  });
}

/** "classifier.1.weight: 1000×1280 in the file, 3×1280 in the graph" lines, at most `max` of them, then a count. */
export function describeMismatches(report: LoadReport, max = 20): string[] {
  const lines = report.mismatches.slice(0, max);
  if (report.mismatches.length > max) lines.push(`… and ${report.mismatches.length - max} more`);
  const extra = report.unused.slice(0, Math.max(0, max - lines.length));
  for (const k of extra) lines.push(`${k}: in the file, not in the graph`);
  if (report.unused.length > extra.length) lines.push(`… and ${report.unused.length - extra.length} more keys of the file that the graph does not have`);
  return lines;
}
