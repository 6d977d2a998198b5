import { existsSync, promises as fsp } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { basename, dirname, join, resolve } from 'node:path';
import { ExportError } from './errors';

/** File name (may contain `/` for sub-folders) → content. */
export type ExportFiles = Record<string, string | Uint8Array>;

/**
 * Writes the files into `outDir` atomically: into a hidden temporary folder next to it, renamed into place at
 * the end, so a failure leaves nothing behind. `outDir` must not exist or be an empty folder.
 */
export async function writeExportFolder(outDir: string, files: ExportFiles): Promise<string> {
  const target = resolve(outDir);
  const parent = dirname(target);
  if (existsSync(target)) {
    const stat = await fsp.stat(target);
    if (!stat.isDirectory()) throw new ExportError(`${target} exists and is not a folder`);
    if ((await fsp.readdir(target)).length > 0) throw new ExportError(`${target} is not empty: choose a new or empty folder`);
  }
  try {
    await fsp.mkdir(parent, { recursive: true });
    await fsp.access(parent, (await import('node:fs')).constants.W_OK);
  } catch (err) {
    throw new ExportError(`cannot write to ${parent}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
  const temp = join(parent, `.${basename(target)}.${randomBytes(4).toString('hex')}.tmp`);
  try {
    await fsp.mkdir(temp);
    for (const [name, content] of Object.entries(files)) {
      const file = join(temp, name);
      await fsp.mkdir(dirname(file), { recursive: true });
      await fsp.writeFile(file, content);
    }
    if (existsSync(target)) await fsp.rmdir(target); // empty, checked above
    await fsp.rename(temp, target);
    return target;
  } catch (err) {
    await fsp.rm(temp, { recursive: true, force: true }).catch(() => undefined);
    if (err instanceof ExportError) throw err;
    throw new ExportError(`cannot write the export to ${target}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
  }
}
