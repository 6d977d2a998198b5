/**
 * Image decoding off the calling thread: a small pool of worker threads, at most `poolSize()` decodes at once,
 * the rest queued. The header is checked here first (checkImageHeader), so bombs and non-images are refused at
 * once without reaching a worker; tiny images are decoded inline. A decode that runs past DECODE_TIMEOUT_MS
 * terminates its worker. Workers do not keep the process alive while idle.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { DataError, type DataErrorCode } from '../errors';
import { runDecode, type DecodeReply, type DecodeRequest, type DecodeResult } from './decodeJob';
import { checkImageHeader } from './header';

export type { DecodeRequest, DecodeResult } from './decodeJob';

/** Images at most this many pixels and bytes are decoded inline: a few milliseconds, less than a round trip. */
const INLINE_MAX_PIXELS = 256 * 256;
const INLINE_MAX_BYTES = 256 * 1024;
export const DECODE_TIMEOUT_MS = 60_000;
/** Decodes waiting for a worker; more are refused (each holds its file's bytes, up to 100 MB). */
export const MAX_QUEUED_DECODES = 64;

/** Concurrent decodes: one per core beyond the first, at least 1, at most 2 (each may hold ~600 MB at 50 MP). */
export function poolSize(): number {
  return Math.max(1, Math.min(2, availableParallelism() - 1));
}

function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./decodeWorker.ts', import.meta.url);
  // In the app the entry is bundled next to index.js / runWorker.js, or one folder up from a chunk.
  const candidates = [new URL('./decodeWorker.js', import.meta.url), new URL('../decodeWorker.js', import.meta.url)];
  return candidates.find((u) => existsSync(fileURLToPath(u))) ?? candidates[0];
}

function spawn(): Worker {
  const url = workerUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url);
  // From sources under tsx: register its hooks in the worker before importing the entry.
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true });
}

interface Job {
  req: DecodeRequest;
  resolve: (r: DecodeResult) => void;
  reject: (e: Error) => void;
}

class Slot {
  private worker?: Worker;

  /** Runs one job on this slot's worker (started on first use, restarted after a crash or timeout). */
  run(job: Job): Promise<void> {
    const worker = (this.worker ??= spawn());
    worker.ref();
    return new Promise<void>((done) => {
      const finish = (f: () => void) => {
        clearTimeout(timer);
        worker.off('message', onMessage);
        worker.off('error', onError);
        worker.off('exit', onExit);
        f();
        done();
      };
      const onMessage = (reply: DecodeReply) =>
        finish(() => {
          worker.unref();
          if (reply.ok) job.resolve(reply.result);
          else job.reject(new DataError((reply.code as DataErrorCode | undefined) ?? 'bad-image', reply.message));
        });
      const lost = (why: string) =>
        finish(() => {
          this.worker = undefined;
          void worker.terminate();
          job.reject(new DataError('bad-image', why));
        });
      const onError = (e: Error) => lost(`the image decoder failed (${e.message})`);
      const onExit = () => lost('the image decoder stopped (out of memory?)');
      const timer = setTimeout(() => lost(`decoding took longer than ${DECODE_TIMEOUT_MS / 1000} s`), DECODE_TIMEOUT_MS);
      worker.on('message', onMessage);
      worker.on('error', onError);
      worker.on('exit', onExit);
      worker.postMessage(job.req);
    });
  }

  close(): Promise<unknown> {
    const w = this.worker;
    this.worker = undefined;
    return w ? w.terminate() : Promise.resolve();
  }
}

class DecodePool {
  private readonly idle: Slot[];
  private readonly queue: Job[] = [];

  constructor(readonly size: number) {
    this.idle = Array.from({ length: size }, () => new Slot());
  }

  submit(req: DecodeRequest, capped: boolean): Promise<DecodeResult> {
    if (capped && this.queue.length >= MAX_QUEUED_DECODES) return Promise.reject(new DataError('busy', `the image decoder is busy (${MAX_QUEUED_DECODES} images waiting); try again in a moment`));
    return new Promise((resolve, reject) => {
      this.queue.push({ req, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.idle.length > 0 && this.queue.length > 0) {
      const slot = this.idle.pop()!;
      const job = this.queue.shift()!;
      void slot.run(job).then(() => {
        this.idle.push(slot);
        this.pump();
      });
    }
  }

  async close(): Promise<void> {
    await Promise.all(this.idle.map((s) => s.close()));
  }
}

let pool: DecodePool | undefined;

/**
 * Decodes (and optionally resizes) a PNG or JPEG off this thread. Refuses, without decoding, anything whose
 * header is over the size limits or is not a PNG/JPEG. Rejects with a DataError. `capped` (default): refused as
 * 'busy' when MAX_QUEUED_DECODES are waiting (uploads); the importers, which bound their own concurrency, wait.
 */
export async function decodeOffThread(req: DecodeRequest, capped = true): Promise<DecodeResult> {
  const header = checkImageHeader(req.bytes);
  if (header.width * header.height <= INLINE_MAX_PIXELS && req.bytes.length <= INLINE_MAX_BYTES) return runDecode(req);
  pool ??= new DecodePool(poolSize());
  return pool.submit(req, capped);
}

/** Stops the decode workers (tests; the process exits without it too). */
export async function closeDecodePool(): Promise<void> {
  const p = pool;
  pool = undefined;
  await p?.close();
}
