// The run's Python process (python/netsmith_runner/run.py) and the pipe protocol to it (framing.py):
// lab → runner frames `u32 LE header length | JSON header | raw bytes`; runner → lab JSON lines, each
// followed by `bytes` raw bytes when it says so.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { delimiter } from 'node:path';
import { PYTHON_ROOT } from './discover';
import { RepeatedWarnings } from './repeatedWarnings';

export interface RunnerMessage {
  type: string;
  bytes?: number;
  [key: string]: unknown;
}

export interface Received {
  message: RunnerMessage;
  payload?: Uint8Array;
}

/** The Python process died or said it failed: the message says why, for the run's record. */
export class RunnerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'RunnerError';
  }
}

const STDERR_TAIL = 20;

export class RunnerProcess {
  private readonly child: ChildProcessWithoutNullStreams;
  private buffer: Buffer = Buffer.alloc(0);
  private readonly inbox: Received[] = [];
  private waiting?: { resolve: (r: Received) => void; reject: (e: Error) => void };
  private exited?: RunnerError;
  private readonly stderrTail: string[] = [];
  private stderrPartial = '';
  readonly exitedPromise: Promise<void>;

  /** `module`: the runner (default) or `netsmith_runner.launch` with torchrun's options (data-parallel ranks). */
  constructor(python: string, opts: { onStderr?: (line: string) => void; env?: NodeJS.ProcessEnv; module?: string; args?: readonly string[] } = {}) {
    const env = { ...process.env, ...opts.env, PYTHONPATH: [PYTHON_ROOT, process.env.PYTHONPATH].filter(Boolean).join(delimiter), PYTHONUNBUFFERED: '1', PYTHONDONTWRITEBYTECODE: '1' };
    this.child = spawn(python, ['-m', opts.module ?? 'netsmith_runner.run', ...(opts.args ?? [])], { env, stdio: ['pipe', 'pipe', 'pipe'], windowsHide: true });
    this.child.stdin.on('error', () => undefined); // a dead process: reported through 'exit'
    this.child.stdout.on('data', (chunk: Buffer) => this.onData(chunk));
    const repeats = new RepeatedWarnings();
    this.child.stderr.setEncoding('utf8');
    this.child.stderr.on('end', () => {
      const summary = repeats.summary();
      if (summary) opts.onStderr?.(summary);
    });
    this.child.stderr.on('data', (text: string) => {
      const lines = (this.stderrPartial + text).split('\n');
      this.stderrPartial = lines.pop() ?? '';
      for (const line of lines) {
        if (!line.trim()) continue;
        this.stderrTail.push(line);
        if (this.stderrTail.length > STDERR_TAIL) this.stderrTail.shift();
        if (repeats.admit(line)) opts.onStderr?.(line);
      }
    });
    this.exitedPromise = new Promise((resolve) => {
      const finish = (why: string): void => {
        if (!this.exited) {
          const last = this.stderrTail.filter((l) => !l.startsWith(' ')).pop();
          this.exited = new RunnerError(`the PyTorch process ${why}${last ? ` (${last.trim()})` : ''}`);
        }
        this.waiting?.reject(this.exited);
        this.waiting = undefined;
        resolve();
      };
      this.child.on('exit', (code, signal) => finish(signal ? `was killed (${signal})` : `exited with code ${code}`));
      this.child.on('error', (err) => finish(`could not start: ${err.message}`));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  private onData(chunk: Buffer): void {
    this.buffer = this.buffer.length ? Buffer.concat([this.buffer, chunk]) : chunk;
    for (;;) {
      const nl = this.buffer.indexOf(10);
      if (nl < 0) return;
      let message: RunnerMessage;
      try {
        message = JSON.parse(this.buffer.subarray(0, nl).toString('utf8')) as RunnerMessage;
      } catch {
        // Not ours (a print() in user code): skip the line.
        this.buffer = this.buffer.subarray(nl + 1);
        continue;
      }
      const n = message.bytes ?? 0;
      if (this.buffer.length < nl + 1 + n) return;
      const payload = n ? new Uint8Array(this.buffer.subarray(nl + 1, nl + 1 + n)) : undefined;
      this.buffer = this.buffer.subarray(nl + 1 + n);
      this.deliver({ message, payload });
    }
  }

  private deliver(r: Received): void {
    if (this.waiting) {
      const w = this.waiting;
      this.waiting = undefined;
      w.resolve(r);
    } else this.inbox.push(r);
  }

  /** The next message; a runner 'error' message or the process's death rejects with a RunnerError. */
  async next(): Promise<Received> {
    const r = this.inbox.shift() ?? (this.exited ? undefined : await new Promise<Received>((resolve, reject) => (this.waiting = { resolve, reject })));
    if (!r) throw this.exited!;
    if (r.message.type === 'error') throw new RunnerError(String(r.message.message));
    return r;
  }

  /** Sends one frame; resolves when the pipe accepted it (backpressure). */
  async send(header: Record<string, unknown>, payload?: Uint8Array | readonly Uint8Array[]): Promise<void> {
    if (this.exited) throw this.exited;
    const parts = payload === undefined ? [] : payload instanceof Uint8Array ? [payload] : payload;
    const bytes = parts.reduce((s, p) => s + p.byteLength, 0);
    const head = Buffer.from(JSON.stringify(bytes ? { ...header, bytes } : header));
    const len = Buffer.alloc(4);
    len.writeUInt32LE(head.length);
    const ok = this.child.stdin.write(Buffer.concat([len, head, ...parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))]));
    // A process killed mid-write never drains its pipe: its exit ends the wait too.
    if (!ok) await Promise.race([new Promise<void>((resolve) => this.child.stdin.once('drain', resolve)), this.exitedPromise]);
    if (this.exited) throw this.exited;
  }

  async request(header: Record<string, unknown>, payload?: Uint8Array | readonly Uint8Array[]): Promise<Received> {
    await this.send(header, payload);
    return this.next();
  }

  /** Closes the pipe (the runner exits at once) and makes sure the process is gone. */
  async close(graceMs = 3000): Promise<void> {
    if (this.exited) return;
    this.child.stdin.end();
    const timer = setTimeout(() => this.child.kill('SIGKILL'), graceMs);
    await this.exitedPromise;
    clearTimeout(timer);
  }

  kill(): void {
    this.child.kill('SIGKILL');
  }
}
