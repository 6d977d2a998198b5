import { readdir, readFile, stat } from 'node:fs/promises';
import { basename, extname, join, relative } from 'node:path';
import { DataError } from '../errors';
import { decodeImage } from '../image/decode';
import { toGray } from '../image/encode';
import { resizeUint8 } from '../image/resize';

export const IMAGE_EXTS = new Set(['.png', '.jpg', '.jpeg', '.jpe', '.jfif']);
/** Image formats we recognise but cannot decode: reported as skipped rather than silently ignored. */
export const UNSUPPORTED_EXTS = new Set(['.gif', '.bmp', '.webp', '.tif', '.tiff', '.heic', '.heif', '.avif']);

export async function requireFolder(dir: string, what = 'Dataset folder'): Promise<void> {
  let s;
  try {
    s = await stat(dir);
  } catch {
    throw new DataError('not-found', `${what} not found: ${dir}`, dir);
  }
  if (!s.isDirectory()) throw new DataError('not-a-folder', `${what} is not a folder: ${dir}`, dir);
}

/** Visible subfolder names, sorted. */
export async function subfolders(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  return entries.filter((e) => e.isDirectory() && !e.name.startsWith('.')).map((e) => e.name).sort();
}

/** Visible files under `dir`, recursively, sorted by path. */
export async function filesUnder(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string) => {
    const entries = await readdir(d, { withFileTypes: true });
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    for (const e of entries) {
      if (e.name.startsWith('.')) continue;
      const p = join(d, e.name);
      if (e.isDirectory()) await walk(p);
      else if (e.isFile()) out.push(p);
    }
  };
  await walk(dir);
  return out;
}

export type FileKind = 'image' | 'unsupported' | 'other';

export function fileKind(path: string): FileKind {
  const ext = extname(path).toLowerCase();
  if (IMAGE_EXTS.has(ext)) return 'image';
  if (UNSUPPORTED_EXTS.has(ext)) return 'unsupported';
  return 'other';
}

/** Reads, decodes and resizes one image to h×w×channels uint8; throws with a readable reason. */
export async function loadImageFile(path: string, h: number, w: number, channels: 1 | 3): Promise<Uint8Array> {
  const buf = await readFile(path);
  const img = decodeImage(buf);
  const rgb = resizeUint8(img.data, img.height, img.width, 3, h, w);
  return channels === 1 ? toGray(rgb) : rgb;
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
