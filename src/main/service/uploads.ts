/**
 * Files the browser uploads to the host (POST /api/upload): each streamed to `<home>/uploads/<id>/<name>`, never
 * held in memory, and taken (read, then deleted) by the call that uses it. An upload not taken within a day is
 * removed the next time another one arrives.
 */
import { randomBytes } from 'node:crypto';
import { createWriteStream, promises as fsp } from 'node:fs';
import { basename, join } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LabError } from '../../shared/api';

export const uploadsDir = (home: string): string => join(home, 'uploads');

const STALE_MS = 24 * 3600 * 1000;

const mib = (n: number): string => `${Math.round(n / 1024 ** 2)} MiB`;

/** A file name safe to keep on any file system (the extension is what the importer reads). */
export function safeUploadName(name: string): string {
  const base = basename(name.replace(/\\/g, '/'));
  return base.replace(/[^\w.+-]+/g, '_').replace(/^[._]+/, '').slice(-200) || 'upload';
}

export class UploadTooLarge extends Error {}

/**
 * Streams `body` into a new upload; rejects with UploadTooLarge past `maxBytes` (the partial file is removed).
 * Answers the upload's id and size.
 */
export async function receiveUpload(home: string, name: string, body: Readable, maxBytes: number): Promise<{ id: string; size: number }> {
  const root = uploadsDir(home);
  await fsp.mkdir(root, { recursive: true });
  await removeStale(root);
  const id = randomBytes(12).toString('hex');
  const dir = join(root, id);
  await fsp.mkdir(dir);
  const part = join(dir, '.partial');
  let size = 0;
  try {
    await pipeline(
      body,
      async function* (source: AsyncIterable<Buffer>) {
        for await (const chunk of source) {
          size += chunk.length;
          if (size > maxBytes) throw new UploadTooLarge(`the file is larger than ${mib(maxBytes)}`);
          yield chunk;
        }
      },
      createWriteStream(part),
    );
    await fsp.rename(part, join(dir, safeUploadName(name)));
  } catch (err) {
    await fsp.rm(dir, { recursive: true, force: true });
    throw err;
  }
  return { id, size };
}

/** The uploaded file (path and name) of an id; LabError 'not-found' when there is none. */
export async function uploadedFile(home: string, id: string): Promise<{ file: string; name: string; dispose(): Promise<void> }> {
  const dir = join(uploadsDir(home), id);
  const names = await fsp.readdir(dir).catch(() => [] as string[]);
  const name = names.find((n) => n !== '.partial');
  if (!name) throw new LabError('the uploaded file is no longer on the host (uploads are kept for a day): choose it again', 'not-found');
  return { file: join(dir, name), name, dispose: () => fsp.rm(dir, { recursive: true, force: true }) };
}

async function removeStale(root: string): Promise<void> {
  const now = Date.now();
  for (const id of await fsp.readdir(root).catch(() => [] as string[])) {
    const dir = join(root, id);
    const st = await fsp.stat(dir).catch(() => undefined);
    if (st && now - st.mtimeMs > STALE_MS) await fsp.rm(dir, { recursive: true, force: true });
  }
}
