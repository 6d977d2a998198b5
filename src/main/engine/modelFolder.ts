/**
 * A lab model folder: a network with its weights and the preprocessing its weights expect, outside any run.
 * Imports (torchvision checkpoints, ONNX files) write one; predict, export, inspect and `train --init-from` read
 * it like a run folder. The files, all plain:
 *
 *   netsmith-model.json   { format: 'netsmith.model', version: 1, name, task, classes, source, notes, createdAt }
 *   graph.json            the graph document (restored on load like any graph file)
 *   preprocessing.json    { input: [H, W, C], scale: 1/255, mean: [...], std: [...], resize, resizeShorter? }: x = (pixel·scale − mean) / std,
 *                         after the shorter side is resized to resizeShorter and centre-cropped (else: stretched to H×W)
 *   checkpoint/model.json + checkpoint/weights.bin   the weights, in the format of a run's checkpoint (tfjs LayersModel)
 */
import type * as tf from '@tensorflow/tfjs';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { restore } from '../../shared/graph/restore';
import type { GraphDoc } from '../../shared/graph/types';
import { checkpointModelFiles } from '../runs/checkpoints';
import { CHECKPOINT_MODEL_FILE, CHECKPOINT_WEIGHTS_FILE } from '../runs/runStore';
import { loadCheckpointFolder, saveToMemory } from './compile/artifacts';
import { exportFiles, type ExportFormat } from './export';
import { writeExportFolder } from './export/files';

export const MODEL_FILE = 'netsmith-model.json';
export const GRAPH_FILE = 'graph.json';
export const PREPROCESSING_FILE = 'preprocessing.json';
export const CHECKPOINT_FOLDER = 'checkpoint';

export class ModelFolderError extends Error {}

export const preprocessingSchema = z.object({
  input: z.tuple([z.number().int().min(1), z.number().int().min(1), z.number().int().min(1)]),
  scale: z.number().positive(),
  mean: z.array(z.number()),
  std: z.array(z.number().positive()),
  resize: z.string().default('bilinear, stretched to the input size'),
  /** torchvision's eval transform: the shorter side to this (bilinear, antialiased), then a centre crop to the input size. Absent: stretched. */
  resizeShorter: z.number().int().min(1).optional(),
});
export type Preprocessing = z.infer<typeof preprocessingSchema>;

export const modelInfoSchema = z.object({
  format: z.literal('netsmith.model'),
  version: z.literal(1),
  name: z.string(),
  task: z.enum(['classification', 'detection', 'segmentation']),
  /** Output k is classes[k]. */
  classes: z.array(z.string()),
  /** Where the weights came from: `torchvision resnet18 (file.pth)`, `run 2026…`, an ONNX file. */
  source: z.string(),
  notes: z.array(z.string()).default([]),
  createdAt: z.string(),
});
export type ModelFolderInfo = z.infer<typeof modelInfoSchema>;

/** torchvision's ImageNet preprocessing (its weights expect it). */
export const IMAGENET_PREPROCESSING: Preprocessing = {
  input: [224, 224, 3],
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  resize: 'shorter side to 256 (bilinear, antialiased), then a centre crop to 224×224: torchvision\'s ImageNet eval transform',
  resizeShorter: 256,
};

export interface ModelFolder {
  dir: string;
  info: ModelFolderInfo;
  graph: GraphDoc;
  preprocessing: Preprocessing;
}

export const isModelFolder = (dir: string): boolean => existsSync(join(dir, MODEL_FILE));

/** The files of a model folder; `checkpoint` from saveToMemory of a model compiled from `graph`. */
export async function modelFolderFiles(info: ModelFolderInfo, graph: GraphDoc, preprocessing: Preprocessing, model: tf.LayersModel): Promise<Record<string, string | Uint8Array>> {
  const { modelJson, weights } = checkpointModelFiles(await saveToMemory(model));
  return {
    [MODEL_FILE]: JSON.stringify(info, null, 2) + '\n',
    [GRAPH_FILE]: JSON.stringify(graph, null, 2) + '\n',
    [PREPROCESSING_FILE]: JSON.stringify(preprocessing, null, 2) + '\n',
    [`${CHECKPOINT_FOLDER}/${CHECKPOINT_MODEL_FILE}`]: modelJson,
    [`${CHECKPOINT_FOLDER}/${CHECKPOINT_WEIGHTS_FILE}`]: weights,
  };
}

/** Writes a model folder atomically (all files or none); `dir` must not exist or be empty. */
export async function writeModelFolder(dir: string, info: ModelFolderInfo, graph: GraphDoc, preprocessing: Preprocessing, model: tf.LayersModel): Promise<string> {
  return writeExportFolder(dir, await modelFolderFiles(info, graph, preprocessing, model));
}

async function readJson(dir: string, file: string): Promise<unknown> {
  let text: string;
  try {
    text = await fsp.readFile(join(dir, file), 'utf8');
  } catch {
    throw new ModelFolderError(`${dir} is not a complete model folder: ${file} is missing`);
  }
  try {
    return JSON.parse(text);
  } catch {
    throw new ModelFolderError(`${join(dir, file)} is not valid JSON`);
  }
}

/** Reads and validates a model folder (not its weights). */
export async function readModelFolder(dir: string): Promise<ModelFolder> {
  const info = modelInfoSchema.safeParse(await readJson(dir, MODEL_FILE));
  if (!info.success) throw new ModelFolderError(`${join(dir, MODEL_FILE)} is not a Netsmith model description: ${info.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const pre = preprocessingSchema.safeParse(await readJson(dir, PREPROCESSING_FILE));
  if (!pre.success) throw new ModelFolderError(`${join(dir, PREPROCESSING_FILE)} is not valid: ${pre.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  const restored = restore(JSON.stringify(await readJson(dir, GRAPH_FILE)));
  if (!restored.ok) throw new ModelFolderError(`${join(dir, GRAPH_FILE)} is not a valid graph: ${restored.errors.map((e) => `${e.path || '(file)'}: ${e.message}`).join('; ')}`);
  if (pre.data.mean.length !== pre.data.input[2] || pre.data.std.length !== pre.data.input[2]) throw new ModelFolderError(`${join(dir, PREPROCESSING_FILE)}: mean and std need one value per input channel (${pre.data.input[2]})`);
  return { dir, info: info.data, graph: restored.graph, preprocessing: pre.data };
}

/** The folder's weights as a tfjs model (the custom layers are registered by compile/artifacts). */
export function loadModelFolderModel(folder: ModelFolder): Promise<tf.LayersModel> {
  return loadCheckpointFolder(join(folder.dir, CHECKPOINT_FOLDER), (err) => new ModelFolderError(`the weights of ${folder.dir} (${CHECKPOINT_FOLDER}/) cannot be loaded: ${(err as Error).message}`));
}

/** What an export or a prediction needs to know about the data the weights expect (TrainedData of a run). */
export function trainedDataOf(folder: ModelFolder): { shape: [number, number, number]; classes: string[]; norm: { mean: number[]; std: number[] } } {
  const { input, scale, mean, std } = folder.preprocessing;
  // The lab normalises pixel/255; another scale folds into mean and std.
  const k = scale * 255;
  return { shape: [...input], classes: [...folder.info.classes], norm: { mean: mean.map((m) => m / k), std: std.map((s) => s / k) } };
}

/** Exports a model folder like a run's checkpoint (its preprocessing and classes go into model-info.json). */
export async function exportModelFolder(dir: string, format: ExportFormat, outDir: string, opts: { fuseBatchNorm?: boolean } = {}): Promise<{ dir: string; files: string[] }> {
  const folder = await readModelFolder(dir);
  const model = format === 'graph' ? undefined : await loadModelFolderModel(folder);
  try {
    const files = await exportFiles(format, folder.graph, model, {}, { fuseBatchNorm: opts.fuseBatchNorm, source: { dataset: folder.info.source, data: trainedDataOf(folder), ...(folder.preprocessing.resizeShorter ? { resizeShorter: folder.preprocessing.resizeShorter } : {}) } });
    return { dir: await writeExportFolder(outDir, files), files: Object.keys(files) };
  } finally {
    model?.dispose();
  }
}
