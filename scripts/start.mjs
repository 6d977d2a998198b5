#!/usr/bin/env node
// `npm start`: builds with electron-vite and starts Electron. Where Electron cannot start here
// (binary never downloaded and no network, or no display), says why and offers `npm run serve`.
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const electronDir = join(root, 'node_modules', 'electron');
const SERVE_HINT = 'Use `npm run serve` instead: the same UI in your browser (it prints a URL with an access token).';

/** The Electron executable, as node_modules/electron/index.js would find it, or null when absent. */
function electronBinary() {
  const pathFile = join(electronDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  if (process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const bin = join(process.env.ELECTRON_OVERRIDE_DIST_PATH, name || 'electron');
    return existsSync(bin) ? bin : null;
  }
  if (!name) return null;
  const bin = join(electronDir, 'dist', name);
  return existsSync(bin) ? bin : null;
}

/** Electron downloads its binary lazily; try once, quietly (offline this fails within a second or two). */
function tryDownload() {
  const installer = join(electronDir, 'install.js');
  if (!existsSync(installer)) return null;
  console.error('npm start: the Electron binary is not installed yet; trying to download it…');
  const r = spawnSync(process.execPath, [installer], { cwd: electronDir, stdio: ['ignore', 'ignore', 'pipe'], timeout: 180_000 });
  return r.status === 0 ? electronBinary() : null;
}

const problems = [];
const bin = electronBinary() ?? tryDownload();
if (!bin) {
  problems.push(
    existsSync(electronDir)
      ? 'The Electron binary is not installed: it is downloaded on first use, and the download failed (this machine looks offline).'
      : 'Electron is not installed (node_modules/electron is missing): run `npm install`.',
  );
}
if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
  problems.push('No display: neither DISPLAY nor WAYLAND_DISPLAY is set, so no desktop window can open here (e.g. an SSH session).');
}
if (problems.length > 0) {
  console.error(['', ...problems.map((p) => `npm start: ${p}`), '', SERVE_HINT, ''].join('\n'));
  process.exit(1);
}

const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
if (build.status !== 0) {
  console.error('npm start: the build failed (see above).');
  process.exit(build.status ?? 1);
}

const env = { ...process.env };
delete env.ELECTRON_RUN_AS_NODE; // would make Electron behave as plain Node
const child = spawn(bin, ['.', ...process.argv.slice(2)], { cwd: root, stdio: 'inherit', env });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('error', (err) => {
  console.error(`npm start: could not start Electron: ${err.message}\n\n${SERVE_HINT}`);
  process.exit(1);
});
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
