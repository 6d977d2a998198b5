/**
 * "ImageNet weights": torchvision's pretrained state dict of a template, fetched by a Python that has torchvision,
 * through torchvision's own cache (offline, a cached file still works; otherwise the message says so).
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PYTHON_ROOT, pythonCandidates } from '../torch/discover';
import { StateDictError } from './stateDict';

let found: string | undefined;

/**
 * The first Python candidate (NETSMITH_PYTHON, python3, python, /usr/bin/python3) that imports torchvision (found
 * once per process). torchvision is imported first: where it is missing that fails at once, before torch loads.
 */
export function pythonWithTorchvision(): string | undefined {
  found ??= pythonCandidates().find((p) => spawnSync(p, ['-c', 'import torchvision, torch'], { stdio: 'ignore', timeout: 60_000 }).status === 0);
  return found;
}

/** The state dict bytes (.pth) and the class names of torchvision's default ImageNet weights for `model`. */
export async function fetchImagenetWeights(model: string): Promise<{ bytes: Uint8Array; classes: string[]; url: string }> {
  const python = pythonWithTorchvision();
  if (!python) throw new StateDictError('ImageNet weights need a Python with torch and torchvision (none of NETSMITH_PYTHON, python3, python, /usr/bin/python3 has them); download the .pth file elsewhere and import it');
  const dir = mkdtempSync(join(tmpdir(), 'netsmith-imagenet-'));
  try {
    const { code, stdout } = await new Promise<{ code: number | null; stdout: string }>((resolve, reject) => {
      const child = spawn(python, ['-m', 'netsmith_runner.imagenet_weights', model, dir], { cwd: PYTHON_ROOT, env: { ...process.env, PYTHONPATH: PYTHON_ROOT }, stdio: ['ignore', 'pipe', 'pipe'] });
      let out = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.on('error', reject);
      child.on('close', (c) => resolve({ code: c, stdout: out }));
    });
    if (code !== 0) {
      const line = stdout.trim().split('\n').pop() ?? '';
      let failure: { error?: string; message?: string } = {};
      try {
        failure = JSON.parse(line);
      } catch {
        // not our message
      }
      if (failure.error === 'offline') throw new StateDictError(`offline: ${failure.message}. Give the .pth file instead: npm run cli -- import <file.pth> --template …`);
      throw new StateDictError(failure.message ?? `fetching the ImageNet weights failed (exit ${code})`);
    }
    const meta = JSON.parse(readFileSync(join(dir, 'meta.json'), 'utf8')) as { classes: string[]; url: string };
    return { bytes: readFileSync(join(dir, 'state.pth')), classes: meta.classes, url: meta.url };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
