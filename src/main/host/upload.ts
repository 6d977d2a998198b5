/**
 * `POST /api/upload?name=<file name>`: the request body (raw bytes, any size up to the limit) streamed to a file
 * under the lab's data folder; answers `{result: {id, size}}`, the id a LabApi call (importWeights) takes.
 * The token and origin checks of /api apply before this runs.
 */
import type { IncomingMessage } from 'node:http';
import { MAX_WEIGHTS_UPLOAD_BYTES } from '../../shared/api';
import { receiveUpload, UploadTooLarge } from '../service/uploads';

export interface UploadOptions {
  /** The lab's data folder (uploads go to <home>/uploads). */
  home: string;
  maxBytes?: number;
}

type Reply = (status: number, value: unknown) => void;
type Refuse = (status: number, message: string, code: string) => void;

export async function handleUpload(req: IncomingMessage, url: URL, opts: UploadOptions, reply: Reply, refuse: Refuse): Promise<void> {
  const max = opts.maxBytes ?? MAX_WEIGHTS_UPLOAD_BYTES;
  const limit = `${Math.round(max / 1024 ** 2)} MiB`;
  if (req.method !== 'POST') return refuse(405, 'use POST /api/upload?name=<file name>', 'method-not-allowed');
  const name = url.searchParams.get('name')?.trim() ?? '';
  if (!name || name.length > 255) return refuse(400, 'POST /api/upload needs ?name=<file name> (at most 255 characters)', 'bad-args');
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > max) return refuse(413, `${name} is larger than the upload limit (${limit}): put it on the host and type its path`, 'too-large');
  try {
    const { id, size } = await receiveUpload(opts.home, name, req, max);
    reply(200, { result: { id, size } });
  } catch (err) {
    if (err instanceof UploadTooLarge) return refuse(413, `${name} is larger than the upload limit (${limit}): put it on the host and type its path`, 'too-large');
    if ((err as NodeJS.ErrnoException).code === 'ECONNRESET' || (err as Error).name === 'AbortError' || req.destroyed) return refuse(400, 'the upload was cut off', 'aborted');
    throw err;
  }
}
