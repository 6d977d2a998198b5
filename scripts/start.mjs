#!/usr/bin/env node
// `npm start`: builds with electron-vite and starts Electron. Where no window can open (no display, or Electron's
// binary missing and not downloadable), it says why in a line and starts the lab headless instead, as
// `npm run serve` does: it prints the URL with its access token and opens a browser where there is one.
import { existsSync, readFileSync } from 'node:fs';
import { spawn, spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { browserCommand, headlessIntro, planStart } from './startPlan.mjs';

const root = dirname(dirname(fileURLToPath(import.meta.url)));
const electronDir = join(root, 'node_modules', 'electron');
const args = process.argv.slice(2);
/** Electron's download is tried once, bounded and quiet (offline it fails within seconds). */
const DOWNLOAD_TIMEOUT_MS = 60_000;

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

function tryDownload() {
  const installer = join(electronDir, 'install.js');
  if (!existsSync(installer)) return null;
  console.error(`npm start: Electron's binary is not installed yet; trying to download it (at most ${DOWNLOAD_TIMEOUT_MS / 1000} s)…`);
  const r = spawnSync(process.execPath, [installer], { cwd: electronDir, stdio: 'ignore', timeout: DOWNLOAD_TIMEOUT_MS });
  return r.status === 0 ? electronBinary() : null;
}

/** The headless host (src/main/host/cli.ts serve) in a child process; its URL line goes to stdout. */
function startHeadless(reasons) {
  for (const line of headlessIntro(reasons)) console.error(line);
  const host = spawn(process.execPath, ['--import', 'tsx', join(root, 'src', 'main', 'host', 'cli.ts'), 'serve', ...args], { cwd: root, stdio: ['inherit', 'pipe', 'inherit'] });
  let announced = false;
  createInterface({ input: host.stdout }).on('line', (line) => {
    process.stdout.write(`${line}\n`);
    if (announced || !/^https?:\/\//.test(line)) return;
    announced = true;
    const open = browserCommand(process.platform, process.env, line);
    if (open) {
      const viewer = spawn(open.command, open.args, { stdio: 'ignore', detached: true });
      viewer.on('error', () => console.error('npm start: no browser could be opened; open the URL above yourself.'));
      viewer.unref();
      console.error('npm start: opening it in your browser. Ctrl+C stops the lab.');
    } else {
      const port = new URL(line).port;
      console.error(`npm start: open the URL above in a browser (from another machine: ssh -L ${port}:127.0.0.1:${port} this-host). Ctrl+C stops the lab.`);
    }
  });
  // A terminal's Ctrl+C reaches the host too; a signal sent to this process alone is passed on. The host stops once.
  let stopping = false;
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
    process.on(signal, () => {
      if (stopping) return;
      stopping = true;
      host.kill('SIGTERM');
    });
  }
  host.on('error', (err) => {
    console.error(`npm start: could not start the headless host: ${err.message}`);
    process.exit(1);
  });
  host.on('exit', (code, signal) => process.exit(code ?? (signal && !stopping ? 1 : 0)));
}

function startElectron(bin) {
  const build = spawnSync('npx', ['electron-vite', 'build'], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) {
    console.error('npm start: the build failed (see above).');
    process.exit(build.status ?? 1);
  }
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE; // would make Electron behave as plain Node
  const child = spawn(bin, ['.', ...args], { cwd: root, stdio: 'inherit', env });
  const forward = (signal) => child.kill(signal);
  for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, forward);
  child.on('error', (err) => {
    for (const signal of ['SIGINT', 'SIGTERM']) process.off(signal, forward);
    startHeadless([`Electron could not start (${err.message}).`]);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}

const situation = { platform: process.platform, env: process.env, electronPackage: existsSync(electronDir), electronBinary: electronBinary() };
let plan = planStart(situation);
if (plan.action === 'download') {
  const bin = tryDownload();
  plan = planStart({ ...situation, electronBinary: bin, downloadFailed: !bin });
}
if (plan.action === 'electron') startElectron(plan.bin);
else startHeadless(plan.reasons);
