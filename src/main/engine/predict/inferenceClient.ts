/**
 * The host's side of the inference worker (inferenceWorker.ts): one worker_threads worker, started on the first
 * request, that answers Predict and attention requests while the host's event loop stays free. Errors come back as
 * LabErrors with their code; a worker that crashes fails the requests in flight and is started again on the next.
 * An idle worker does not keep the process alive.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { LabError } from '../../../shared/api';
import type { AttentionMaps } from '../../../shared/attention';
import type { PredictArgs, PredictResult } from '../../../shared/predict';
import type { AttentionRequestArgs, InferenceReply, InferenceRequest, InferenceStart } from './inferenceProtocol';

function workerUrl(): URL {
  if (import.meta.url.endsWith('.ts')) return new URL('./inferenceWorker.ts', import.meta.url);
  // In the app the entry is bundled next to index.js / runWorker.js, or one folder up from a chunk.
  const candidates = [new URL('./inferenceWorker.js', import.meta.url), new URL('../inferenceWorker.js', import.meta.url)];
  return candidates.find((u) => existsSync(fileURLToPath(u))) ?? candidates[0];
}

function spawn(start: InferenceStart): Worker {
  const url = workerUrl();
  if (!url.pathname.endsWith('.ts')) return new Worker(url, { workerData: start });
  // From sources under tsx: register its hooks in the worker before importing the entry.
  const api = import.meta.resolve('tsx/esm/api');
  return new Worker(`import(${JSON.stringify(api)}).then((m) => { m.register(); return import(${JSON.stringify(url.href)}); })`, { eval: true, workerData: start });
}

interface Pending {
  resolve: (reply: InferenceReply & { ok: true }) => void;
  reject: (err: Error) => void;
}

export class InferenceClient {
  private worker?: Worker;
  private readonly pending = new Map<number, Pending>();
  private nextId = 1;
  /** The TF.js backend the worker predicts on (known after its first answer). */
  backend?: string;

  constructor(private readonly runsDir: string) {}

  async predict(args: PredictArgs): Promise<PredictResult> {
    const reply = await this.request({ kind: 'predict', args });
    if (reply.kind !== 'predict') throw new LabError('the inference worker answered a predict request with something else', 'internal');
    return reply.result;
  }

  async attentionMaps(args: AttentionRequestArgs): Promise<AttentionMaps> {
    const reply = await this.request({ kind: 'attention', args });
    if (reply.kind !== 'attention') throw new LabError('the inference worker answered an attention request with something else', 'internal');
    return reply.result;
  }

  /** Stops the worker (models and datasets it holds are freed); the next request starts a new one. */
  async dispose(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    this.fail(new LabError('the inference worker was stopped', 'unavailable'));
    await worker?.terminate();
  }

  private request(req: Omit<InferenceRequest, 'id'>): Promise<InferenceReply & { ok: true }> {
    const worker = this.ensureWorker();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ ...req, id } as InferenceRequest);
    });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = spawn({ runsDir: this.runsDir });
    worker.on('message', (reply: InferenceReply) => {
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.ok) {
        this.backend = reply.backend;
        p.resolve(reply);
      } else p.reject(new LabError(reply.error.message, reply.error.code));
    });
    const gone = (why: string): void => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(new LabError(`the inference worker stopped (${why}); try again`, 'unavailable'));
    };
    worker.on('error', (err) => gone(err.message));
    worker.on('exit', (code) => gone(`exit code ${code}`));
    worker.unref();
    this.worker = worker;
    return worker;
  }

  private fail(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
