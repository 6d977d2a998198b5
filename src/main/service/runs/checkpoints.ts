import { existsSync, promises as fsp } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** A checkpoint on disk: the model (tfjs LayersModel format), the optimizer slots and where training stood. */
export interface CheckpointFiles {
  modelJson: string;
  weights: Uint8Array;
  optimizer: { name: string; step: number; slots: Record<string, Float32Array[]> };
  progress: { epoch: number; step: number; metric: number; best?: number };
  /** Engine-specific files kept with the checkpoint (the PyTorch engine's torch.pt: model, optimizer, RNG). */
  extra?: Record<string, Uint8Array>;
}

/**
 * Writes a checkpoint folder atomically: everything goes into a temp folder that is renamed into place, so a
 * crash mid-write leaves the previous checkpoint of that name intact.
 */
export async function writeCheckpoint(runDir: string, name: string, files: CheckpointFiles): Promise<string> {
  const root = join(runDir, 'checkpoints');
  await fsp.mkdir(root, { recursive: true });
  // Leftovers of a write cut off by a crash.
  for (const stale of (await fsp.readdir(root)).filter((n) => n.startsWith('.') && n.includes('.tmp'))) await fsp.rm(join(root, stale), { recursive: true, force: true });
  const temp = join(root, `.${name}.${randomBytes(4).toString('hex')}.tmp`);
  await fsp.mkdir(temp);
  try {
    await fsp.writeFile(join(temp, 'model.json'), files.modelJson);
    await fsp.writeFile(join(temp, 'weights.bin'), files.weights);
    const { layout, bytes } = packSlots(files.optimizer.slots);
    await fsp.writeFile(join(temp, 'optimizer.json'), JSON.stringify({ name: files.optimizer.name, step: files.optimizer.step, layout }));
    await fsp.writeFile(join(temp, 'optimizer.bin'), bytes);
    await fsp.writeFile(join(temp, 'progress.json'), JSON.stringify(files.progress));
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

export async function readCheckpoint(dir: string): Promise<CheckpointFiles> {
  const [modelJson, weights, optimizer, optimizerBin, progress] = await Promise.all([
    fsp.readFile(join(dir, 'model.json'), 'utf8'),
    fsp.readFile(join(dir, 'weights.bin')),
    fsp.readFile(join(dir, 'optimizer.json'), 'utf8'),
    fsp.readFile(join(dir, 'optimizer.bin')),
    fsp.readFile(join(dir, 'progress.json'), 'utf8'),
  ]);
  const opt = JSON.parse(optimizer) as { name: string; step: number; layout: Record<string, number[]> };
  return { modelJson, weights: new Uint8Array(weights), optimizer: { name: opt.name, step: opt.step, slots: unpackSlots(opt.layout, optimizerBin) }, progress: JSON.parse(progress) };
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
