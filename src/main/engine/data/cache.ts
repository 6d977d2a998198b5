/**
 * The data cache: converted and generated datasets as single binary files.
 *
 * File layout (`.nsds`, little-endian):
 *   bytes 0..3   ASCII "NSDS"
 *   bytes 4..7   uint32 format version (1)
 *   bytes 8..11  uint32 header length L
 *   bytes 12..   L bytes of UTF-8 JSON: { meta, sections: { name: { dtype, offset, length } } }
 *   then, from the next multiple of 8, the sections' raw bytes (offsets relative to that point, 8-aligned).
 */
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { DataError } from './errors';

export const CACHE_FORMAT_VERSION = 1;
const MAGIC = 'NSDS';

export type TypedArray = Uint8Array | Int32Array | Float32Array;
type DType = 'uint8' | 'int32' | 'float32';

interface SectionHeader {
  dtype: DType;
  offset: number;
  length: number;
}

interface FileHeader<M> {
  meta: M;
  sections: Record<string, SectionHeader>;
}

/** `opts.cacheDir`, else `$NETSMITH_DATA_DIR`, else `~/.cache/netsmith/data`. */
export function cacheDir(override?: string): string {
  return override ?? process.env.NETSMITH_DATA_DIR ?? join(homedir(), '.cache', 'netsmith', 'data');
}

function dtypeOf(a: TypedArray): DType {
  if (a instanceof Uint8Array) return 'uint8';
  if (a instanceof Int32Array) return 'int32';
  return 'float32';
}

const align8 = (n: number) => (n + 7) & ~7;

/** Writes atomically (temp file + rename), so a crash or a concurrent reader never sees half a file. */
export function writeArrays<M>(path: string, meta: M, sections: Record<string, TypedArray>): void {
  const headers: Record<string, SectionHeader> = {};
  let offset = 0;
  for (const [name, arr] of Object.entries(sections)) {
    headers[name] = { dtype: dtypeOf(arr), offset, length: arr.length };
    offset = align8(offset + arr.byteLength);
  }
  const header = Buffer.from(JSON.stringify({ meta, sections: headers } satisfies FileHeader<M>), 'utf8');
  const dataStart = align8(12 + header.length);
  const buf = Buffer.alloc(dataStart + offset);
  buf.write(MAGIC, 0, 'ascii');
  buf.writeUInt32LE(CACHE_FORMAT_VERSION, 4);
  buf.writeUInt32LE(header.length, 8);
  header.copy(buf, 12);
  for (const [name, arr] of Object.entries(sections))
    buf.set(new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength), dataStart + headers[name].offset);
  mkdirSync(dirname(path), { recursive: true });
  const tmp = `${path}.${process.pid}.${Date.now()}.tmp`;
  try {
    writeFileSync(tmp, buf);
    renameSync(tmp, path);
  } catch (e) {
    rmSync(tmp, { force: true });
    throw e;
  }
}

export interface ArraysFile<M> {
  meta: M;
  sections: Record<string, TypedArray>;
}

/** Reads a cache file; undefined if it does not exist. A damaged file is a `bad-cache` DataError. */
export function readArrays<M>(path: string): ArraysFile<M> | undefined {
  let buf: Buffer;
  try {
    buf = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw e;
  }
  const bad = (why: string) => new DataError('bad-cache', `Cache file ${path} is damaged (${why}); delete it to rebuild`, path);
  if (buf.length < 12 || buf.toString('ascii', 0, 4) !== MAGIC) throw bad('bad magic');
  if (buf.readUInt32LE(4) !== CACHE_FORMAT_VERSION) throw bad(`format version ${buf.readUInt32LE(4)}`);
  const hlen = buf.readUInt32LE(8);
  if (12 + hlen > buf.length) throw bad('truncated header');
  let header: FileHeader<M>;
  try {
    header = JSON.parse(buf.toString('utf8', 12, 12 + hlen)) as FileHeader<M>;
  } catch {
    throw bad('unreadable header');
  }
  const dataStart = align8(12 + hlen);
  const sections: Record<string, TypedArray> = {};
  for (const [name, s] of Object.entries(header.sections)) {
    const bytesPer = s.dtype === 'uint8' ? 1 : 4;
    const start = buf.byteOffset + dataStart + s.offset;
    if (dataStart + s.offset + s.length * bytesPer > buf.length) throw bad(`section ${name} truncated`);
    // A view when aligned; a copy otherwise (typed arrays need offsets that are multiples of their element size).
    const ab = start % bytesPer === 0 ? buf.buffer : buf.buffer.slice(start, start + s.length * bytesPer);
    const at = start % bytesPer === 0 ? start : 0;
    sections[name] =
      s.dtype === 'uint8' ? new Uint8Array(ab, at, s.length) : s.dtype === 'int32' ? new Int32Array(ab, at, s.length) : new Float32Array(ab, at, s.length);
  }
  return { meta: header.meta, sections };
}

/**
 * Returns the cached arrays if the file exists and `isCurrent(meta)`, else builds, writes and returns them.
 * A damaged or stale file is rebuilt. A failed write (read-only disk) is not fatal.
 */
export function cached<M>(
  path: string | undefined,
  isCurrent: (meta: M) => boolean,
  build: () => ArraysFile<M>,
): ArraysFile<M> & { fromCache: boolean } {
  if (path) {
    try {
      const f = readArrays<M>(path);
      if (f && isCurrent(f.meta)) return { ...f, fromCache: true };
    } catch (e) {
      if (!(e instanceof DataError)) throw e;
    }
  }
  const built = build();
  if (path) {
    try {
      writeArrays(path, built.meta, built.sections);
    } catch {
      // keep going without a cache
    }
  }
  return { ...built, fromCache: false };
}
