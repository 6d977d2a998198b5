// Finds a Python that can run the PyTorch engine: the first candidate that imports torch >= 1.13. Never
// required: without one the lab trains on TensorFlow.js and the report says why and how to enable PyTorch.
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import type { TorchHostInfo } from '../../../shared/api';
import { APP_ROOT } from '../../util/version';

/** The repository's Python package (python/netsmith_runner). */
export const PYTHON_ROOT = join(APP_ROOT, 'python');
const DISCOVER_SCRIPT = join(PYTHON_ROOT, 'netsmith_runner', 'discover.py');

export const MIN_TORCH: readonly [number, number] = [1, 13];

export interface TorchDevice {
  kind: 'cuda' | 'mps' | 'cpu';
  index: number;
  /** GPU name, 'Apple GPU', or the CPU's architecture. */
  name: string;
  memoryGb?: number;
}

export interface TorchAttempt {
  python: string;
  ok: boolean;
  /** Why this candidate was not taken. */
  reason?: string;
  torch?: string;
}

export type TorchDiscovery =
  | {
      ok: true;
      /** The interpreter as it was found (a name on PATH or a path). */
      python: string;
      executable: string;
      pythonVersion: string;
      torchVersion: string;
      torchvision: string | null;
      devices: TorchDevice[];
      /** ROCm builds report their GPUs as 'cuda' devices. */
      rocm: boolean;
      tried: TorchAttempt[];
    }
  | { ok: false; reason: string; howTo: string; tried: TorchAttempt[] };

export const HOW_TO_ENABLE =
  'To train with PyTorch, install it in a Python 3 environment and point the lab at it: ' +
  '`python3 -m venv ~/netsmith-venv && ~/netsmith-venv/bin/pip install torch` (the default wheel has CUDA 12 on Linux and Apple GPU support on macOS; ' +
  'for ROCm use the index URL from pytorch.org), then start the lab with NETSMITH_PYTHON=~/netsmith-venv/bin/python. ' +
  'On Debian/Ubuntu, `apt install python3-torch` gives a CPU build.';

/** NETSMITH_PYTHON, then python3 and python on PATH, then the system python3; duplicates dropped. */
export function pythonCandidates(env: NodeJS.ProcessEnv = process.env): string[] {
  const list = [env.NETSMITH_PYTHON, 'python3', 'python', '/usr/bin/python3'].filter((c): c is string => typeof c === 'string' && c.trim() !== '');
  return [...new Set(list)];
}

/** `1.13.0a0`, `2.13.0+cpu`, `2.5.1+cu124` → [major, minor]; undefined when unreadable. */
export function torchVersionOf(text: string): [number, number] | undefined {
  const m = /^(\d+)\.(\d+)/.exec(text.trim());
  return m ? [Number(m[1]), Number(m[2])] : undefined;
}

export function versionAtLeast(v: readonly [number, number], min: readonly [number, number]): boolean {
  return v[0] > min[0] || (v[0] === min[0] && v[1] >= min[1]);
}

interface ProbeOutput {
  python?: string;
  executable?: string;
  torch?: string;
  error?: string;
  devices?: TorchDevice[];
  torchvision?: string | null;
  rocm?: boolean;
}

function runProbe(python: string, timeoutMs: number): Promise<ProbeOutput> {
  return new Promise((resolve, reject) => {
    execFile(python, [DISCOVER_SCRIPT], { timeout: timeoutMs, windowsHide: true, maxBuffer: 1 << 20, env: { ...process.env, PYTHONDONTWRITEBYTECODE: '1' } }, (err, stdout, stderr) => {
      if (err) {
        const e = err as NodeJS.ErrnoException & { killed?: boolean; signal?: string };
        if (e.code === 'ENOENT') return reject(new Error('not found'));
        if (e.code === 'EACCES') return reject(new Error('not executable'));
        if (e.killed || e.signal === 'SIGTERM') return reject(new Error(`did not answer within ${Math.round(timeoutMs / 1000)} s`));
        const last = stderr.trim().split('\n').pop() ?? '';
        return reject(new Error(`exited with ${e.code ?? e.signal}${last ? `: ${last}` : ''}`));
      }
      const line = stdout.trim().split('\n').pop() ?? '';
      try {
        resolve(JSON.parse(line) as ProbeOutput);
      } catch {
        reject(new Error(`is not a Python 3 the lab can use (it printed '${line.slice(0, 80)}')`));
      }
    });
  });
}

export interface DiscoverOptions {
  candidates?: string[];
  /** Per candidate (importing torch takes seconds on a busy machine). */
  timeoutMs?: number;
}

/** Tries each candidate in turn; the first that imports torch >= 1.13 wins. */
export async function discoverTorchUncached(opts: DiscoverOptions = {}): Promise<TorchDiscovery> {
  const candidates = opts.candidates ?? pythonCandidates();
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const tried: TorchAttempt[] = [];
  for (const python of candidates) {
    let out: ProbeOutput;
    try {
      out = await runProbe(python, timeoutMs);
    } catch (err) {
      tried.push({ python, ok: false, reason: (err as Error).message });
      continue;
    }
    if (!out.torch) {
      tried.push({ python, ok: false, reason: `Python ${out.python ?? '?'} cannot import torch (${out.error ?? 'unknown error'})` });
      continue;
    }
    const v = torchVersionOf(out.torch);
    if (!v || !versionAtLeast(v, MIN_TORCH)) {
      tried.push({ python, ok: false, torch: out.torch, reason: `torch ${out.torch} is too old: the lab needs torch ${MIN_TORCH.join('.')} or newer` });
      continue;
    }
    tried.push({ python, ok: true, torch: out.torch });
    return {
      ok: true,
      python,
      executable: out.executable ?? python,
      pythonVersion: out.python ?? '?',
      torchVersion: out.torch,
      torchvision: out.torchvision ?? null,
      devices: out.devices?.length ? out.devices : [{ kind: 'cpu', index: 0, name: 'cpu' }],
      rocm: out.rocm ?? false,
      tried,
    };
  }
  const reason = tried.length ? tried.map((t) => `${t.python}: ${t.reason}`).join('; ') : 'no Python candidates';
  return { ok: false, reason: `PyTorch is not available (${reason})`, howTo: HOW_TO_ENABLE, tried };
}

let cached: Promise<TorchDiscovery> | undefined;

/** Takes a discovery made elsewhere (the host passes its own to each run's worker). */
export function primeDiscovery(found: TorchDiscovery): void {
  cached = Promise.resolve(found);
}

/** The discovery, found once per process (refresh: look again, e.g. after the user installed torch). */
export function discoverTorch(opts: DiscoverOptions & { refresh?: boolean } = {}): Promise<TorchDiscovery> {
  if (!cached || opts.refresh) cached = discoverTorchUncached(opts);
  return cached;
}

export type TorchDeviceChoice = 'auto' | 'cuda' | 'mps' | 'cpu';

/** The device a run uses: `auto` takes a GPU when there is one, else the CPU; an explicit one must exist. */
export function pickDevice(found: Extract<TorchDiscovery, { ok: true }>, choice: TorchDeviceChoice): TorchDevice {
  if (choice === 'auto') return found.devices.find((d) => d.kind === 'cuda') ?? found.devices.find((d) => d.kind === 'mps') ?? found.devices.find((d) => d.kind === 'cpu')!;
  const d = found.devices.find((x) => x.kind === choice);
  if (!d) {
    const have = found.devices.map((x) => x.kind).join(', ');
    throw new Error(`PyTorch ${found.torchVersion} (${found.python}) has no ${choice === 'mps' ? 'Apple GPU (mps)' : choice.toUpperCase()} device; it has: ${have}`);
  }
  return d;
}

/** "PyTorch · CUDA · NVIDIA H200", "PyTorch · Apple GPU", "PyTorch · CPU". */
export function deviceLabel(d: TorchDevice, rocm = false): string {
  if (d.kind === 'cuda') return `PyTorch · ${rocm ? 'ROCm' : 'CUDA'} · ${d.name}`;
  if (d.kind === 'mps') return 'PyTorch · Apple GPU';
  return 'PyTorch · CPU';
}

/** What the Train panel shows: one choice per device, or why PyTorch is not available. */
export function torchHostInfo(found: TorchDiscovery): TorchHostInfo {
  if (!found.ok) return { available: false, devices: [], reason: found.reason, howTo: found.howTo };
  return { available: true, version: found.torchVersion, python: found.python, devices: found.devices.map((d) => ({ kind: d.kind, label: deviceLabel(d, found.rocm) })) };
}
