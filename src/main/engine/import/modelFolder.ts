import * as tf from '@tensorflow/tfjs';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { restore } from '../../../shared/graph/restore';
import type { GraphDoc } from '../../../shared/graph/types';
import { loadFromMemory, saveToMemory } from '../compile/artifacts';
import { ExportError } from '../export/errors';
import { writeExportFolder } from '../export/files';
import { exportFiles, type ExportFormat } from '../export';
import type { ModelSource } from '../export/modelInfo';

/**
 * A lab model folder: what an import writes and what inspect, predict, export and `train --init-from` read.
 *
 *     graph.json                the graph document (restored on load, like a project file)
 *     checkpoint/model.json     the weights in the lab's checkpoint format (as runs/<id>/checkpoints/<name>/)
 *     checkpoint/weights.bin
 *     preprocessing.json        classes and input preprocessing, when the source said them
 *     import.json               where it came from and what was mapped
 */
export const MODEL_FOLDER = {
  graph: 'graph.json',
  modelJson: 'checkpoint/model.json',
  weights: 'checkpoint/weights.bin',
  preprocessing: 'preprocessing.json',
  report: 'import.json',
} as const;

export interface ModelFolderPreprocessing {
  classes: string[];
  preprocessing: { resize?: string; scale: number; mean: number[]; std: number[]; formula?: string } | null;
  channelOrder?: string;
  dataset?: string;
}

export const isModelFolder = (dir: string): boolean => existsSync(join(dir, MODEL_FOLDER.graph)) && existsSync(join(dir, MODEL_FOLDER.modelJson));

/** The checkpoint files of a model, as the training worker writes them. */
export async function checkpointFiles(model: tf.LayersModel): Promise<{ modelJson: string; weights: Uint8Array }> {
  const a = await saveToMemory(model);
  return {
    modelJson: JSON.stringify({ format: 'layers-model', generatedBy: 'Netsmith', modelTopology: a.modelTopology, weightSpecs: a.weightSpecs, weightsManifest: [{ paths: ['weights.bin'], weights: a.weightSpecs }] }),
    weights: new Uint8Array(a.weightData as ArrayBuffer),
  };
}

/** Writes a model folder atomically (all files or none); `outDir` must be new or empty. */
export async function writeModelFolder(outDir: string, m: { graph: GraphDoc; model: tf.LayersModel; preprocessing: ModelFolderPreprocessing | null; report: object }): Promise<string> {
  const ck = await checkpointFiles(m.model);
  return writeExportFolder(outDir, {
    [MODEL_FOLDER.graph]: JSON.stringify(m.graph, null, 1),
    [MODEL_FOLDER.modelJson]: ck.modelJson,
    [MODEL_FOLDER.weights]: ck.weights,
    ...(m.preprocessing ? { [MODEL_FOLDER.preprocessing]: JSON.stringify(m.preprocessing, null, 2) } : {}),
    [MODEL_FOLDER.report]: JSON.stringify(m.report, null, 2),
  });
}

export interface LoadedModelFolder {
  graph: GraphDoc;
  model: tf.LayersModel;
  preprocessing: ModelFolderPreprocessing | null;
}

/** Reads a model folder; a missing or broken part is an ExportError with a clear message. */
export async function loadModelFolder(dir: string): Promise<LoadedModelFolder> {
  if (!isModelFolder(dir)) throw new ExportError(`${dir} is not a model folder (it needs ${MODEL_FOLDER.graph} and ${MODEL_FOLDER.modelJson})`);
  const restored = restore(await fsp.readFile(join(dir, MODEL_FOLDER.graph), 'utf8'));
  if (!restored.ok) throw new ExportError(`${join(dir, MODEL_FOLDER.graph)} is not a valid graph: ${restored.errors.map((e) => e.message).join('; ')}`);
  let model: tf.LayersModel;
  try {
    const json = JSON.parse(await fsp.readFile(join(dir, MODEL_FOLDER.modelJson), 'utf8')) as { modelTopology: object; weightSpecs: tf.io.WeightsManifestEntry[] };
    const w = await fsp.readFile(join(dir, MODEL_FOLDER.weights));
    model = await loadFromMemory({ modelTopology: json.modelTopology, weightSpecs: json.weightSpecs, weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer });
  } catch (err) {
    throw new ExportError(`the checkpoint in ${dir} cannot be loaded: ${(err as Error).message}`);
  }
  const pre = join(dir, MODEL_FOLDER.preprocessing);
  const preprocessing = existsSync(pre) ? (JSON.parse(await fsp.readFile(pre, 'utf8')) as ModelFolderPreprocessing) : null;
  return { graph: restored.graph, model, preprocessing };
}

/** Exports a model folder's weights like a run's checkpoint (atomically: all files or none). */
export async function exportModelFolder(dir: string, format: ExportFormat, outDir: string, opts: { fuseBatchNorm?: boolean } = {}): Promise<{ dir: string; files: string[] }> {
  const { graph, model, preprocessing } = await loadModelFolder(dir);
  try {
    const [h, w, c] = graph.meta.input.shape;
    const pre = preprocessing?.preprocessing;
    const source: ModelSource = {
      dataset: preprocessing?.dataset ?? 'unknown',
      ...(pre ? { data: { shape: [h, w, c] as [number, number, number], classes: preprocessing.classes, norm: { mean: pre.mean, std: pre.std } } } : {}),
    };
    const files = await exportFiles(format, graph, model, {}, { fuseBatchNorm: opts.fuseBatchNorm, source });
    return { dir: await writeExportFolder(outDir, files), files: Object.keys(files) };
  } finally {
    model.dispose();
  }
}
