/**
 * Reading a dataset folder defensively: names as raw bytes (undecodable ones are skipped and reported), regular
 * files only (a FIFO, socket or device is reported, never opened for a blocking read), size limits per file,
 * symlinks followed with loop detection. Every skip is a SkippedFile with a path relative to the dataset folder.
 */
import { constants, type Stats } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import type { SkippedFile } from '../../../../shared/importReport';
import { DataError, isDataError } from '../errors';
import { decodeOffThread } from '../image/decodePool';

export const IMAGE_EXTS = new Set(['.png', '.jpg', '.jpeg', '.jpe', '.jfif']);
/** Image formats we recognise but cannot decode: reported as skipped rather than silently ignored. */
export const UNSUPPORTED_EXTS = new Set(['.gif', '.bmp', '.webp', '.tif', '.tiff', '.heic', '.heif', '.avif']);

const MB = 1024 * 1024;
/** Largest image file read (a 50-megapixel JPEG is ~20 MB; an uncompressed PNG of it ~150 MB would be refused). */
export const MAX_IMAGE_FILE_BYTES = 100 * MB;
/** Largest YOLO label file (~400,000 boxes). */
export const MAX_LABEL_FILE_BYTES = 16 * MB;
/** Largest classes.txt or data.yaml. */
export const MAX_NAMES_FILE_BYTES = 1 * MB;

export async function requireFolder(dir: string, what = 'Dataset folder'): Promise<void> {
  let s;
  try {
    s = await stat(dir);
  } catch {
    throw new DataError('not-found', `${what} not found: ${dir}`, dir);
  }
  if (!s.isDirectory()) throw new DataError('not-a-folder', `${what} is not a folder: ${dir}`, dir);
}

type FileType = Pick<Stats, 'isFIFO' | 'isSocket' | 'isCharacterDevice' | 'isBlockDevice' | 'isDirectory'>;

/** What a non-regular file is, for messages. */
export function fileTypeName(s: FileType): string {
  if (s.isFIFO()) return 'a FIFO (named pipe)';
  if (s.isSocket()) return 'a socket';
  if (s.isCharacterDevice() || s.isBlockDevice()) return 'a device';
  if (s.isDirectory()) return 'a folder';
  return 'a special file';
}

/** "is a FIFO (named pipe), not a regular file". */
function notRegular(s: FileType): string {
  return `is ${fileTypeName(s)}, not a regular file`;
}

/**
 * Reads a regular file of at most `maxBytes`. It is opened non-blocking and checked with fstat before any read,
 * so a FIFO (even one swapped in after the folder was listed) fails at once instead of hanging.
 */
export async function readRegularFile(path: string, maxBytes: number): Promise<Buffer> {
  let handle;
  try {
    handle = await open(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    throw fsError(err);
  }
  try {
    const s = await handle.stat();
    if (!s.isFile()) throw new DataError('not-a-file', notRegular(s));
    if (s.size > maxBytes) throw new DataError('file-too-large', `is ${formatBytes(s.size)}, over the ${formatBytes(maxBytes)} limit for this kind of file`);
    // Read at most maxBytes + 1: a file that grew past the limit since the stat is refused too.
    const buf = Buffer.allocUnsafe(Math.min(s.size, maxBytes) + 1);
    let n = 0;
    for (;;) {
      const { bytesRead } = await handle.read(buf, n, buf.length - n, n);
      if (bytesRead === 0) break;
      n += bytesRead;
      if (n === buf.length) break;
    }
    if (n > maxBytes) throw new DataError('file-too-large', `is over the ${formatBytes(maxBytes)} limit for this kind of file`);
    return buf.subarray(0, n);
  } finally {
    await handle.close();
  }
}

/** A text file (UTF-8), read as readRegularFile does. */
export async function readTextFile(path: string, maxBytes: number): Promise<string> {
  return (await readRegularFile(path, maxBytes)).toString('utf8');
}

function formatBytes(n: number): string {
  if (n < 1024) return `${n} bytes`;
  return n >= MB ? `${(n / MB).toFixed(n >= 10 * MB ? 0 : 1)} MB` : `${Math.ceil(n / 1024)} KB`;
}

/**
 * A file-system failure as a DataError whose message says what happened without the absolute path (the
 * importers name the file relative to the dataset folder themselves).
 */
export function fsError(err: unknown): DataError {
  if (isDataError(err)) return err;
  const code = (err as NodeJS.ErrnoException).code;
  const why: Record<string, string> = {
    ENOENT: 'does not exist (moved or deleted?)',
    EACCES: 'cannot be read: permission denied',
    EPERM: 'cannot be read: permission denied',
    ELOOP: 'is a symlink loop',
    EISDIR: 'is a folder, not a file',
    ENAMETOOLONG: 'has a path that is too long',
    EMFILE: 'cannot be opened: too many open files',
    EIO: 'cannot be read: input/output error (a failing disk?)',
  };
  return new DataError(code === 'ENOENT' ? 'not-found' : code === 'EISDIR' ? 'not-a-file' : 'unreadable', (code && why[code]) ?? `cannot be read (${code ?? 'unknown error'})`);
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** A file name as text, or undefined when its bytes are not valid UTF-8. */
function decodeName(raw: Buffer): string | undefined {
  try {
    return utf8.decode(raw);
  } catch {
    return undefined;
  }
}

/** A raw name for messages: printable ASCII as is, other bytes as \xHH. */
export function escapedName(raw: Buffer): string {
  let s = '';
  for (const b of raw) s += b >= 0x20 && b < 0x7f && b !== 0x5c ? String.fromCharCode(b) : `\\x${b.toString(16).toUpperCase().padStart(2, '0')}`;
  return s;
}

export interface FolderEntries {
  /** Subfolders (also through symlinks), sorted by name. */
  folders: { name: string; path: string }[];
  /** Regular files (also through symlinks), sorted by name. */
  files: { name: string; path: string }[];
  skipped: SkippedFile[];
}

/**
 * The visible entries of one folder. `root` is the dataset folder (paths in `skipped` are relative to it);
 * `seen` holds the folders already read (device:inode), so that a symlink back to one is reported as a loop.
 */
export async function readFolder(root: string, dir: string, seen: Set<string> = new Set()): Promise<FolderEntries> {
  const out: FolderEntries = { folders: [], files: [], skipped: [] };
  let entries;
  try {
    const self = await stat(dir);
    seen.add(`${self.dev}:${self.ino}`);
    entries = await readdir(dir, { encoding: 'buffer', withFileTypes: true });
  } catch (err) {
    throw fsError(err);
  }
  const named = entries
    .map((e) => ({ e, name: decodeName(e.name) }))
    .sort((a, b) => Buffer.compare(a.e.name, b.e.name));
  const skip = (name: string, reason: string) => out.skipped.push({ path: relative(root, join(dir, name)), reason });
  for (const { e, name } of named) {
    if (e.name[0] === 0x2e) continue; // hidden (.DS_Store, .git, …)
    if (name === undefined) {
      skip(escapedName(e.name), 'the name is not valid UTF-8; rename it to read it');
      continue;
    }
    const path = join(dir, name);
    if (e.isDirectory()) out.folders.push({ name, path });
    else if (e.isFile()) out.files.push({ name, path });
    else if (e.isSymbolicLink()) {
      let target: Stats;
      try {
        target = await stat(path);
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        skip(name, code === 'ELOOP' ? 'symlink loop (the link points back to itself)' : code === 'ENOENT' ? 'broken symlink (its target does not exist)' : `symlink cannot be followed (${code ?? 'error'})`);
        continue;
      }
      if (target.isDirectory()) {
        if (seen.has(`${target.dev}:${target.ino}`)) skip(name, 'symlink loop (links to a folder that is already being read)');
        else out.folders.push({ name, path });
      } else if (target.isFile()) out.files.push({ name, path });
      else skip(name, `symlink to ${fileTypeName(target)}, not to a regular file`);
    } else skip(name, notRegular(e));
  }
  return out;
}

/** The entries of the dataset folder itself (or of images/ in a YOLO folder); a failure names the folder. */
export async function readTopFolder(root: string, dir: string): Promise<FolderEntries> {
  try {
    return await readFolder(root, dir);
  } catch (err) {
    const e = fsError(err);
    throw new DataError(e.code, `Folder ${dir} ${e.message}`, dir);
  }
}

/** Regular files under `dir`, recursively, sorted by path; everything left out is in `skipped`. */
export async function filesUnder(root: string, dir: string, seen: Set<string> = new Set()): Promise<{ files: string[]; skipped: SkippedFile[] }> {
  const files: string[] = [];
  const skipped: SkippedFile[] = [];
  const walk = async (d: string) => {
    const entries = await readFolder(root, d, seen);
    for (const s of entries.skipped) skipped.push(s);
    // Files and folders in one name order, as a sorted listing of paths would give.
    const all = [...entries.files.map((f) => ({ ...f, folder: false })), ...entries.folders.map((f) => ({ ...f, folder: true }))].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of all) {
      if (!e.folder) files.push(e.path);
      else {
        try {
          const s = await stat(e.path);
          if (seen.has(`${s.dev}:${s.ino}`)) skipped.push({ path: relative(root, e.path), reason: 'symlink loop (links to a folder that is already being read)' });
          else await walk(e.path);
        } catch (err) {
          // An unreadable subfolder is reported; the rest of the folder is still read.
          skipped.push({ path: relative(root, e.path), reason: fsError(err).message });
        }
      }
    }
  };
  try {
    await walk(dir);
  } catch (err) {
    skipped.push({ path: rel(root, dir), reason: fsError(err).message });
  }
  return { files, skipped };
}

export type FileKind = 'image' | 'unsupported' | 'other';

export function fileKind(path: string): FileKind {
  const ext = extname(path).toLowerCase();
  if (IMAGE_EXTS.has(ext)) return 'image';
  if (UNSUPPORTED_EXTS.has(ext)) return 'unsupported';
  return 'other';
}

/** Why a file found among the images is not used (unsupported format or not an image), or undefined for an image. */
export function notAnImageReason(path: string): string | undefined {
  const kind = fileKind(path);
  if (kind === 'unsupported') return `${extname(path).slice(1).toUpperCase()} is not supported; convert it to PNG or JPEG`;
  if (kind === 'other') return 'not an image (PNG or JPEG by its extension)';
  return undefined;
}

/**
 * Reads, checks, decodes (off this thread) and resizes one image to h×w×channels uint8 (stretched, or with
 * `resizeShorter` the shorter side to that, then a centre crop); throws a DataError with
 * a readable reason (the caller adds the file's path).
 */
export async function loadImageFile(path: string, h: number, w: number, channels: 1 | 3, resizeShorter?: number): Promise<Uint8Array> {
  const bytes = await readRegularFile(path, MAX_IMAGE_FILE_BYTES);
  if (bytes.length === 0) throw new DataError('bad-image', 'the file is empty');
  return (await decodeOffThread({ bytes, size: [h, w], channels, ...(resizeShorter ? { resizeShorter } : {}) }, false)).data;
}

/**
 * Runs `fn` over `items` with at most `limit` calls in flight, results in input order (image loads overlap
 * their file reads with the decode workers).
 */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const lanes = Array.from({ length: Math.max(1, Math.min(limit, items.length)) }, async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i], i);
    }
  });
  await Promise.all(lanes);
  return out;
}

/** Skipped files in path order (then line), so that a report reads like a folder listing. */
export function sortSkipped(list: SkippedFile[]): SkippedFile[] {
  return list.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : (a.line ?? Number.MAX_SAFE_INTEGER) - (b.line ?? Number.MAX_SAFE_INTEGER)));
}

/** The first few skipped files for an error message: `a.jpg (why); b.png (why) and 5 more`. */
export function skippedExamples(list: readonly SkippedFile[], max = 3): string {
  const shown = list.slice(0, max).map((s) => `${s.path}${s.line !== undefined ? `:${s.line}` : ''} (${s.reason})`);
  return shown.join('; ') + (list.length > max ? ` and ${list.length - max} more` : '');
}

export function reasonOf(e: unknown): string {
  const m = e instanceof Error ? e.message : String(e);
  return m.length > 200 ? `${m.slice(0, 200)}…` : m;
}

export function rel(root: string, path: string): string {
  return relative(root, path) || basename(path);
}

export function parseSize(size: number | [number, number] | undefined, def: number): [number, number] {
  const [h, w] = size === undefined ? [def, def] : typeof size === 'number' ? [size, size] : size;
  for (const v of [h, w])
    if (!Number.isInteger(v) || v < 8 || v > 1024) throw new DataError('bad-options', `Image size must be an integer in 8..1024, got ${v}`);
  return [h, w];
}
