import { closeSync, fsyncSync, openSync, promises as fsp, renameSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { randomBytes } from 'node:crypto';

/** `.<name>.<pid>.<12 hex>.tmp`: the temp file of an atomic write by process `pid`. */
const tempName = (file: string): string => join(dirname(file), `.${basename(file)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
const TEMP_PATTERN = /^\..+\.(\d+)\.[0-9a-f]{12}\.tmp$/;
/** An atomic write takes milliseconds; a temp file this old was left by a write that never finished. */
export const STALE_TEMP_MS = 5 * 60_000;

/** Whether process `pid` exists (EPERM: it exists but belongs to someone else). */
export function processAlive(pid: number): boolean {
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes the temp files of atomic writes cut off by a crash in `dir` (and its subfolders down to `depth`;
 * symlinks are not followed). Only files named like ours are touched, and only when they are older than
 * `olderThanMs` or their writer's process is gone. Returns the paths removed.
 */
export async function removeStaleTemps(dir: string, opts: { depth?: number; olderThanMs?: number; now?: number } = {}): Promise<string[]> {
  const { depth = 0, olderThanMs = STALE_TEMP_MS, now = Date.now() } = opts;
  const removed: string[] = [];
  const entries = await fsp.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries) {
    const path = join(dir, e.name);
    if (e.isDirectory()) {
      if (depth > 0 && !e.name.startsWith('.')) removed.push(...(await removeStaleTemps(path, { depth: depth - 1, olderThanMs, now })));
      continue;
    }
    const m = TEMP_PATTERN.exec(e.name);
    if (!m || !e.isFile()) continue;
    const pid = Number(m[1]);
    const stat = await fsp.lstat(path).catch(() => null);
    if (!stat) continue;
    const orphaned = pid !== process.pid && !processAlive(pid);
    if (!orphaned && now - stat.mtimeMs < olderThanMs) continue;
    await fsp.rm(path, { force: true }).then(() => removed.push(path), () => undefined);
  }
  return removed;
}

/**
 * Writes `data` to `file` so that a reader sees either the old content or the new one, never a mix:
 * write a temp file in the same folder, fsync it, rename it over the target, fsync the folder.
 * On failure the temp file is removed and the old file is untouched.
 */
export async function atomicWrite(file: string, data: string | Uint8Array): Promise<void> {
  const dir = dirname(file);
  const temp = tempName(file);
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
  const temp = tempName(file);
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
