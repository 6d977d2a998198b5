import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Returns the built renderer folder (out/renderer), building it with `npx electron-vite build` when
 * missing. Build output goes to stderr so stdout keeps only the URL line. Null when the build fails.
 */
export async function ensureRendererBuilt(root: string, log: (line: string) => void): Promise<string | null> {
  const dir = join(root, 'out', 'renderer');
  if (existsSync(join(dir, 'index.html'))) return dir;
  log('serve: out/renderer is missing; building the UI with `npx electron-vite build` (once, about a minute)…');
  const code = await new Promise<number | null>((resolve) => {
    const child = spawn('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: root, stdio: ['ignore', 2, 2] });
    child.on('error', () => resolve(null));
    child.on('exit', (status) => resolve(status));
  });
  if (code === 0 && existsSync(join(dir, 'index.html'))) return dir;
  log('serve: building the UI failed; serving the API only (the page explains how to build it).');
  return null;
}
