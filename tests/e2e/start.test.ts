// `npm start` where no window can open: `node scripts/start.mjs` with no display and no Electron binary starts the
// headless host itself, prints its URL (token included) and serves the lab; a display without Electron opens the
// browser; Ctrl+C (SIGINT) stops it cleanly.
import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { after, test } from 'node:test';
import { ensureRendererBuilt, openBrowser, readyApp } from './harness';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const work = mkdtempSync(join(tmpdir(), 'netsmith-start-'));
const started: ChildProcess[] = [];
after(() => {
  for (const c of started) if (c.exitCode === null) c.kill('SIGKILL');
  rmSync(work, { recursive: true, force: true });
});

interface Started {
  child: ChildProcess;
  url: string;
  stderr(): string;
  exit: Promise<number | null>;
}

/** `node scripts/start.mjs` with Electron's binary missing (an empty override folder) and `env` on top. */
async function npmStart(name: string, env: Record<string, string>): Promise<Started> {
  const base = { ...process.env };
  delete base.DISPLAY;
  delete base.WAYLAND_DISPLAY;
  const child = spawn(process.execPath, ['scripts/start.mjs'], {
    cwd: ROOT,
    env: { ...base, ELECTRON_OVERRIDE_DIST_PATH: join(work, 'no-electron'), NETSMITH_HOME: join(work, `${name}-home`), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  started.push(child);
  let out = '';
  let err = '';
  child.stderr!.on('data', (c: Buffer) => (err += c.toString()));
  const exit = new Promise<number | null>((r) => child.on('exit', (code) => r(code)));
  const url = await new Promise<string>((resolvePromise, reject) => {
    const timer = setTimeout(() => reject(new Error(`npm start printed no URL within 60 s\n${err}`)), 60_000);
    child.stdout!.on('data', (c: Buffer) => {
      out += c.toString();
      const line = out.split('\n')[0];
      if (out.includes('\n')) {
        clearTimeout(timer);
        resolvePromise(line);
      }
    });
    void exit.then((code) => reject(new Error(`npm start exited (${code}) before printing a URL\n${err}`)));
  });
  return { child, url, stderr: () => err, exit };
}

test('no display, no Electron: npm start serves the lab headless, prints the URL with its token, and Ctrl+C stops it', { timeout: 120_000 }, async () => {
  ensureRendererBuilt();
  const t0 = Date.now();
  const s = await npmStart('headless', {});
  const { url } = s;
  assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{20,}$/);
  assert.match(s.stderr(), /^npm start: No display here \(neither DISPLAY nor WAYLAND_DISPLAY is set.*\nnpm start: starting the lab headless instead \(as `npm run serve` does\)/m);
  assert.doesNotMatch(s.stderr(), /download/i, 'no display: no Electron download is tried');
  const page = await fetch(url);
  assert.equal(page.status, 200);
  assert.match(await page.text(), /<html/i);
  const token = new URL(url).searchParams.get('token')!;
  const api = await fetch(new URL('/api/hostInfo', url), { method: 'POST', headers: { 'x-netsmith-token': token, 'content-type': 'application/json' }, body: '' });
  assert.equal(api.status, 200);
  assert.match(s.stderr(), /open the URL above in a browser .*Ctrl\+C stops the lab/);
  console.log(`npm start → URL in ${Date.now() - t0} ms`);

  // The lab itself loads from that URL.
  const session = await openBrowser(url);
  try {
    await readyApp(session.page);
  } finally {
    await session.close();
  }

  s.child.kill('SIGINT');
  assert.equal(await s.exit, 0, s.stderr());
  await assert.rejects(fetch(url), 'the host is stopped');
});

test('a display but no Electron binary (download skipped): headless, and the URL opens in the browser', { timeout: 120_000 }, async () => {
  // A stand-in for xdg-open that records the URL it was asked to open.
  const bin = join(work, 'bin');
  const opened = join(work, 'opened.txt');
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, 'xdg-open'), `#!/bin/sh\necho "$1" > '${opened}'\n`);
  chmodSync(join(bin, 'xdg-open'), 0o755);
  const s = await npmStart('display', { DISPLAY: ':99', ELECTRON_SKIP_BINARY_DOWNLOAD: '1', PATH: `${bin}:${process.env.PATH}` });
  assert.match(s.stderr(), /^npm start: Electron's binary is not installed \(ELECTRON_SKIP_BINARY_DOWNLOAD is set\)\./m);
  const end = Date.now() + 10_000;
  while (Date.now() < end) {
    try {
      if (readFileSync(opened, 'utf8').trim() === s.url) break;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  assert.equal(readFileSync(opened, 'utf8').trim(), s.url);
  assert.match(s.stderr(), /opening it in your browser\. Ctrl\+C stops the lab\./);
  s.child.kill('SIGTERM');
  assert.equal(await s.exit, 0, s.stderr());
});
