/**
 * `initFrom`: a run starts from the weights of a lab model folder, a run folder (its best, else last checkpoint)
 * or a checkpoint folder. Tensors are matched by layer name (the block's label) and shape; the others keep their
 * fresh initialisation, and the report says which and why ("loaded 60 of 62 tensors; skipped fc (1000→3 classes)").
 */
import * as tf from '@tensorflow/tfjs';
import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { isFolderName } from '../../../shared/ids';
import { checkpointsRoot, readCheckpointModel } from '../../runs/checkpoints';
import { CHECKPOINT_MODEL_FILE, CHECKPOINT_WEIGHTS_FILE, RUN_FILE } from '../../runs/runStore';
import { CHECKPOINT_FOLDER, isModelFolder, readModelFolder, trainedDataOf } from '../modelFolder';
import { recordedCrop } from './initResize';
import type { EvalCrop } from '../data/image/resizeCrop';
import type { Normalization } from '../data/types';

export class InitFromError extends Error {}

export interface InitSource {
  /** The checkpoint folder (model.json + weights.bin). */
  checkpoint: string;
  /** What it is, for the log and the Runs table: `model folder resnet18 (…)`, `run 2026…`. */
  label: string;
  /** The preprocessing the weights expect, when the source knows it (a model folder, a run that recorded its data). */
  norm?: Normalization;
  /** The resize the weights expect (a model folder's resizeShorter, a run that cropped its folder images); absent: stretched. */
  crop?: EvalCrop;
}

/** Finds the checkpoint of a model folder, run folder or checkpoint folder. */
export async function resolveInitSource(path: string): Promise<InitSource> {
  if (!existsSync(path)) throw new InitFromError(`init-from: '${path}' does not exist`);
  if (isModelFolder(path)) {
    const folder = await readModelFolder(path);
    const { input, resizeShorter } = folder.preprocessing;
    return { checkpoint: join(path, CHECKPOINT_FOLDER), label: `model folder ${folder.info.name}`, norm: trainedDataOf(folder).norm, ...(resizeShorter ? { crop: { shorter: resizeShorter, input: [input[0], input[1]] } } : {}) };
  }
  if (existsSync(join(path, RUN_FILE))) {
    let record: { id?: string; checkpoints?: { best?: string; last?: string }; data?: { norm?: Normalization; shape?: number[]; resizeShorter?: number } };
    try {
      record = JSON.parse(await fsp.readFile(join(path, RUN_FILE), 'utf8'));
    } catch {
      throw new InitFromError(`init-from: ${path}/run.json is not readable`);
    }
    const name = record.checkpoints?.best ?? record.checkpoints?.last;
    if (!name || !isFolderName(name) || !existsSync(join(checkpointsRoot(path), name, CHECKPOINT_WEIGHTS_FILE))) throw new InitFromError(`init-from: run ${record.id ?? path} has no checkpoint yet`);
    const crop = recordedCrop(record.data);
    return { checkpoint: join(checkpointsRoot(path), name), label: `run ${record.id ?? path} (checkpoint ${name})`, norm: record.data?.norm, ...(crop ? { crop } : {}) };
  }
  if (existsSync(join(path, CHECKPOINT_MODEL_FILE)) && existsSync(join(path, CHECKPOINT_WEIGHTS_FILE))) return { checkpoint: path, label: `checkpoint ${path}` };
  throw new InitFromError(`init-from: '${path}' is neither a model folder, a run folder nor a checkpoint folder (model.json + weights.bin)`);
}

/** The named tensors of a checkpoint folder (the caller disposes them). */
export async function readCheckpointTensors(dir: string): Promise<tf.NamedTensorMap> {
  try {
    const files = await readCheckpointModel(dir);
    return tf.io.decodeWeights(files.weightData, files.weightSpecs as tf.io.WeightsManifestEntry[]);
  } catch (err) {
    throw new InitFromError(`init-from: the checkpoint ${dir} cannot be read (${(err as Error).message})`);
  }
}

export interface InitReport {
  loaded: number;
  total: number;
  /** Per layer: `fc (1000→3 classes)`, `conv1 (7×7×3×64 in the source, 3×3×3×64 here)`, `head2 (not in the source)`. */
  skipped: string[];
  message: string;
}

const dims = (s: readonly (number | null)[]): string => s.join('×');

/** Writes the matching tensors into the model's weights. */
export function loadMatching(model: tf.LayersModel, source: tf.NamedTensorMap, label: string): InitReport {
  const outputLayers = new Set(model.outputLayers.map((l) => l.name));
  const skippedByLayer = new Map<string, string>();
  let loaded = 0;
  for (const layer of model.layers) {
    for (const v of layer.weights) {
      const name = v.originalName ?? v.name;
      const t = source[name] ?? source[v.name];
      if (t && dims(t.shape) === dims(v.shape)) {
        v.write(t);
        loaded++;
        continue;
      }
      if (skippedByLayer.has(layer.name)) continue;
      if (!t) skippedByLayer.set(layer.name, `${layer.name} (not in the source)`);
      else if (outputLayers.has(layer.name) && t.shape.length === 2 && t.shape[0] === v.shape[0]) skippedByLayer.set(layer.name, `${layer.name} (${t.shape[1]}→${v.shape[1]} classes: a new head)`);
      else skippedByLayer.set(layer.name, `${layer.name} (${dims(t.shape)} in the source, ${dims(v.shape)} here)`);
    }
  }
  const total = model.weights.length;
  const skipped = [...skippedByLayer.values()];
  const shown = skipped.slice(0, 8).join(', ') + (skipped.length > 8 ? `, and ${skipped.length - 8} more layers` : '');
  const message = `Initialised from ${label}: loaded ${loaded} of ${total} tensors${skipped.length ? `; skipped ${shown}` : ''}.`;
  return { loaded, total, skipped, message };
}

/** Loads what matches from the source (a path, or a source resolved already) into `model` and reports. */
export async function initFrom(from: string | InitSource, model: tf.LayersModel): Promise<InitReport & { source: InitSource }> {
  const source = typeof from === 'string' ? await resolveInitSource(from) : from;
  const tensors = await readCheckpointTensors(source.checkpoint);
  try {
    const report = loadMatching(model, tensors, source.label);
    if (report.loaded === 0) throw new InitFromError(`init-from: none of the ${report.total} tensors of this network is in ${source.label} (labels or shapes differ everywhere)`);
    return { ...report, source };
  } finally {
    tf.dispose(Object.values(tensors));
  }
}
