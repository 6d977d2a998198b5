import { closeSync, fsyncSync, openSync, promises as fsp, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/**
 * Writes `data` to `file` so that a reader sees either the old content or the new one, never a mix:
 * write a temp file in the same folder, fsync it, rename it over the target, fsync the folder.
 * On failure the temp file is removed and the old file is untouched.
 */
export async function atomicWrite(file: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  const temp = join(dir, `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  // Calls go through the `fsp` object (not destructured) so tests can make one step fail.
  const handle = await fsp.open(temp, 'wx', 0o644);
  try {
    try {
      await handle.writeFile(data);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await fsp.rename(temp, file);
  } catch (err) {
    await fsp.rm(temp, { force: true }).catch(() => undefined);
    throw err;
  }
  await syncDir(dir);
}

/** Makes the rename durable. Not possible on Windows (directories cannot be opened), so best effort. */
async function syncDir(dir: string): Promise<void> {
  if (process.platform === 'win32') return;
  const handle = await fsp.open(dir, 'r').catch(() => null);
  if (!handle) return;
  try {
    await handle.sync();
  } catch {
    // some file systems refuse fsync on directories; the data itself is already synced
  } finally {
    await handle.close();
  }
}

/** Synchronous variant for exit paths where an async write could be cut off (window state on close). */
export function atomicWriteSync(file: string, data: string): void {
  const temp = join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    const fd = openSync(temp, 'wx', 0o644);
    try {
      writeFileSync(fd, data);
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    renameSync(temp, file);
  } catch (err) {
    rmSync(temp, { force: true });
    throw err;
  }
}
