import type * as tf from '@tensorflow/tfjs';
import { randomBytes } from 'node:crypto';
import { existsSync, promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import { redactPaths } from '../util/paths';
import { CHECKPOINT_MODEL_FILE, CHECKPOINT_WEIGHTS_FILE, CheckpointError } from './runStore';

/** A checkpoint on disk: the model (tfjs LayersModel format), the optimizer slots and where training stood. */
export interface CheckpointFiles {
  modelJson: string;
  weights: Uint8Array;
  optimizer: { name: string; step: number; slots: Record<string, Float32Array[]> };
  /** Completed epochs, steps done; `partial`: the batches of the next epoch a stop left done (see trainer.ts). */
  progress: { epoch: number; step: number; metric: number; best?: number; partial?: { batches: number; lossSum: number; accSum: number; seen: number } };
  /** Engine-specific files kept with the checkpoint (the PyTorch engine's torch.pt: model, optimizer, RNG). */
  extra?: Record<string, Uint8Array>;
}

/** A run's checkpoints folder: one folder per checkpoint (best, last, epoch-N). */
export const checkpointsRoot = (runDir: string): string => join(runDir, 'checkpoints');

/** Where training stood at a checkpoint (CheckpointFiles.progress). */
export const PROGRESS_FILE = 'progress.json';

/**
 * model.json and weights.bin of a model's saved artifacts (tfjs LayersModel format, weights in one file): the one
 * writer, for training checkpoints, imported runs and model folders.
 */
export function checkpointModelFiles(artifacts: tf.io.ModelArtifacts): Pick<CheckpointFiles, 'modelJson' | 'weights'> {
  const { modelTopology, weightSpecs } = artifacts;
  return {
    modelJson: JSON.stringify({ format: 'layers-model', generatedBy: 'Netsmith', modelTopology, weightSpecs, weightsManifest: [{ paths: [CHECKPOINT_WEIGHTS_FILE], weights: weightSpecs }] }),
    weights: weightBytes(artifacts.weightData),
  };
}

/** A saved model's weights as one byte array (tfjs may hand them over in several buffers). */
export function weightBytes(data: tf.io.ModelArtifacts['weightData']): Uint8Array {
  if (data === undefined) return new Uint8Array(0);
  if (!Array.isArray(data)) return new Uint8Array(data);
  const out = new Uint8Array(data.reduce((n, b) => n + b.byteLength, 0));
  let offset = 0;
  for (const b of data) out.set(new Uint8Array(b), (offset += b.byteLength) - b.byteLength);
  return out;
}

/** A checkpoint's model as stored: the LayersModel topology, its weight specs and the weight bytes. */
export interface CheckpointModelFiles {
  modelTopology: object;
  weightSpecs: { name: string; shape: number[]; dtype: string }[];
  weightData: ArrayBuffer;
}

/** A checkpoint's model.json: the topology and the weight specs (the weights stay on disk). */
export async function readCheckpointTopology(dir: string): Promise<Omit<CheckpointModelFiles, 'weightData'>> {
  const json = JSON.parse(await fsp.readFile(join(dir, CHECKPOINT_MODEL_FILE), 'utf8')) as Partial<CheckpointModelFiles>;
  if (typeof json.modelTopology !== 'object' || json.modelTopology === null || !Array.isArray(json.weightSpecs)) throw new Error(`${CHECKPOINT_MODEL_FILE} has no topology or weight specs`);
  return { modelTopology: json.modelTopology, weightSpecs: json.weightSpecs };
}

/**
 * The model files of a checkpoint folder (a run's checkpoint, a model folder's checkpoint/, an init-from source):
 * the one reader. It throws what went wrong; the caller says whose checkpoint it was (checkpointUnreadable for a
 * run's).
 */
export async function readCheckpointModel(dir: string): Promise<CheckpointModelFiles> {
  const topology = await readCheckpointTopology(dir);
  const w = await fsp.readFile(join(dir, CHECKPOINT_WEIGHTS_FILE));
  return { ...topology, weightData: w.buffer.slice(w.byteOffset, w.byteOffset + w.byteLength) as ArrayBuffer };
}

/**
 * Writes a checkpoint folder atomically: everything goes into a temp folder that is renamed into place, so a
 * crash mid-write leaves the previous checkpoint of that name intact.
 */
export async function writeCheckpoint(runDir: string, name: string, files: CheckpointFiles): Promise<string> {
  const root = checkpointsRoot(runDir);
  await fsp.mkdir(root, { recursive: true });
  // Leftovers of a write cut off by a crash (only this run's worker writes here).
  await removeCheckpointTemps(runDir);
  const temp = join(root, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  await fsp.mkdir(temp);
  try {
    await fsp.writeFile(join(temp, CHECKPOINT_MODEL_FILE), files.modelJson);
    await fsp.writeFile(join(temp, CHECKPOINT_WEIGHTS_FILE), files.weights);
    const { layout, bytes } = packSlots(files.optimizer.slots);
    await fsp.writeFile(join(temp, 'optimizer.json'), JSON.stringify({ name: files.optimizer.name, step: files.optimizer.step, layout }));
    await fsp.writeFile(join(temp, 'optimizer.bin'), bytes);
    await fsp.writeFile(join(temp, PROGRESS_FILE), JSON.stringify(files.progress));
    for (const [name, bytes] of Object.entries(files.extra ?? {})) await fsp.writeFile(join(temp, name), bytes);
    const target = join(root, name);
    const old = existsSync(target) ? `${temp}.old` : undefined;
    if (old) await fsp.rename(target, old);
    await fsp.rename(temp, target);
    if (old) await fsp.rm(old, { recursive: true, force: true });
    return target;
  } catch (err) {
    await fsp.rm(temp, { recursive: true, force: true });
    throw err;
  }
}

/** Temp folders of checkpoint writes and prunes: `.<name>.<8 hex>.tmp`, `….tmp.old`. */
const CHECKPOINT_TEMP = /^\..+\.[0-9a-f]{8}\.tmp(\.old)?$/;

/** Removes the temp folders a crash left in a run's checkpoints/ (call only while no worker writes there). */
export async function removeCheckpointTemps(runDir: string): Promise<string[]> {
  const root = checkpointsRoot(runDir);
  const names = (await fsp.readdir(root).catch(() => [] as string[])).filter((n) => CHECKPOINT_TEMP.test(n));
  for (const n of names) await fsp.rm(join(root, n), { recursive: true, force: true });
  return names.map((n) => join(root, n));
}

/** Which checkpoints a run keeps: `best`, `last`, the newest epoch (the resume point) and every `keepEvery`th epoch. */
export const DEFAULT_KEEP_EVERY = 5;
export function keepsEpoch(epoch: number, newest: number, keepEvery: number): boolean {
  return epoch >= newest || (keepEvery > 0 && epoch % keepEvery === 0);
}

const epochOf = (name: string): number | undefined => {
  const m = /^epoch-(\d+)$/.exec(name);
  return m ? Number(m[1]) : undefined;
};

/**
 * Deletes the `epoch-N` checkpoints the policy does not keep. Each goes in one rename (to a temp name that
 * the next write or startup removes), so a crash never leaves a half-deleted checkpoint that looks whole.
 * Returns the names removed.
 */
export async function pruneCheckpoints(runDir: string, opts: { newest: number; keepEvery?: number; protect?: readonly string[] }): Promise<string[]> {
  const root = checkpointsRoot(runDir);
  const keepEvery = opts.keepEvery ?? DEFAULT_KEEP_EVERY;
  const removed: string[] = [];
  for (const name of await fsp.readdir(root).catch(() => [] as string[])) {
    const epoch = epochOf(name);
    if (epoch === undefined || keepsEpoch(epoch, opts.newest, keepEvery) || opts.protect?.includes(name)) continue;
    const doomed = join(root, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
    try {
      await fsp.rename(join(root, name), doomed);
    } catch {
      continue;
    }
    await fsp.rm(doomed, { recursive: true, force: true });
    removed.push(name);
  }
  return removed;
}

/** The newest complete `epoch-N` checkpoint on disk (every file written), if any. */
export async function newestCheckpoint(runDir: string): Promise<{ name: string; epoch: number } | undefined> {
  const root = checkpointsRoot(runDir);
  const epochs = (await fsp.readdir(root).catch(() => [] as string[]))
    .map((name) => ({ name, epoch: epochOf(name) }))
    .filter((c): c is { name: string; epoch: number } => c.epoch !== undefined)
    .sort((a, b) => b.epoch - a.epoch);
  return epochs.find((c) => CHECKPOINT_FILES.every((f) => existsSync(join(root, c.name, f))));
}

export const CHECKPOINT_FILES = [CHECKPOINT_MODEL_FILE, CHECKPOINT_WEIGHTS_FILE, 'optimizer.json', 'optimizer.bin', PROGRESS_FILE] as const;

/** The progress of a checkpoint folder as far as it can be read (nothing when it cannot). */
export async function readCheckpointProgress(dir: string): Promise<Partial<CheckpointFiles['progress']>> {
  try {
    const p = JSON.parse(await fsp.readFile(join(dir, PROGRESS_FILE), 'utf8')) as unknown;
    return p && typeof p === 'object' ? (p as Partial<CheckpointFiles['progress']>) : {};
  } catch {
    return {};
  }
}

/** A whole checkpoint (model, optimizer, progress) to resume from; a CheckpointError ('corrupt') when it cannot be read. */
export async function readCheckpoint(dir: string): Promise<CheckpointFiles> {
  try {
    const [modelJson, weights, optimizer, optimizerBin, progress] = await Promise.all([
      fsp.readFile(join(dir, CHECKPOINT_MODEL_FILE), 'utf8'),
      fsp.readFile(join(dir, CHECKPOINT_WEIGHTS_FILE)),
      fsp.readFile(join(dir, 'optimizer.json'), 'utf8'),
      fsp.readFile(join(dir, 'optimizer.bin')),
      fsp.readFile(join(dir, PROGRESS_FILE), 'utf8'),
    ]);
    const opt = JSON.parse(optimizer) as { name: string; step: number; layout: Record<string, number[]> };
    return { modelJson, weights: new Uint8Array(weights), optimizer: { name: opt.name, step: opt.step, slots: unpackSlots(opt.layout, optimizerBin) }, progress: JSON.parse(progress) };
  } catch (err) {
    throw new CheckpointError(`checkpoint '${basename(dir)}' cannot be read to resume from: ${redactPaths(err instanceof Error ? err.message : String(err))}`, 'corrupt');
  }
}

/** Optimizer slots as one float32 blob plus the length of each array (JSON would be ~10× larger). */
function packSlots(slots: Record<string, Float32Array[]>): { layout: Record<string, number[]>; bytes: Uint8Array } {
  const layout: Record<string, number[]> = {};
  let total = 0;
  for (const [name, arrays] of Object.entries(slots)) {
    layout[name] = arrays.map((a) => a.length);
    total += arrays.reduce((s, a) => s + a.length, 0);
  }
  const out = new Float32Array(total);
  let offset = 0;
  for (const arrays of Object.values(slots)) for (const a of arrays) out.set(a, (offset += a.length) - a.length);
  return { layout, bytes: new Uint8Array(out.buffer) };
}

function unpackSlots(layout: Record<string, number[]>, bin: Uint8Array): Record<string, Float32Array[]> {
  const all = new Float32Array(bin.buffer.slice(bin.byteOffset, bin.byteOffset + bin.byteLength));
  const slots: Record<string, Float32Array[]> = {};
  let offset = 0;
  for (const [name, lengths] of Object.entries(layout)) slots[name] = lengths.map((n) => all.slice(offset, (offset += n)));
  return slots;
}
