import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type Page } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = '/usr/bin/chromium';

export interface Host {
  /** The URL `serve` printed, token included. */
  url: string;
  token: string;
  port: number;
  /** The temp NETSMITH_HOME (projects in <home>/projects). */
  home: string;
  /** Everything the host wrote to stderr so far (for failure messages). */
  stderr(): string;
  stop(): Promise<void>;
  /** SIGKILL to the host's processes, as a crash or a power loss ends them (nothing flushed); the home is kept. */
  kill(): Promise<void>;
}

/** Builds the renderer once when out/renderer is missing (the server would otherwise build it itself, slower to diagnose). */
export function ensureRendererBuilt(): void {
  if (existsSync(join(ROOT, 'out', 'renderer', 'index.html'))) return;
  const r = spawnSync('npx', ['electron-vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (r.status !== 0) throw new Error('the renderer build (npx electron-vite build) failed');
}

/**
 * Starts `serve --port 0` in a child process with NETSMITH_HOME in a temp folder (or `home`, prepared by the
 * test) and resolves once it printed its URL.
 */
export async function startHost(options: { timeoutMs?: number; env?: Record<string, string>; home?: string } = {}): Promise<Host> {
  ensureRendererBuilt();
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'netsmith-e2e-'));
  const child = spawn('npx', ['tsx', 'src/main/host/cli.ts', 'serve', '--port', '0'], {
    cwd: ROOT,
    env: { ...process.env, NETSMITH_HOME: home, ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: process.platform !== 'win32', // its own process group, so stop() also ends tsx's node child
  });
  let err = '';
  child.stderr?.on('data', (c: Buffer) => (err += c.toString()));
  const url = await firstLine(child, options.timeoutMs ?? 60_000, () => err);
  const parsed = new URL(url);
  const token = parsed.searchParams.get('token');
  if (!token) throw new Error(`serve printed a URL without a token: ${url}`);
  return {
    url,
    token,
    port: Number(parsed.port),
    home,
    stderr: () => err,
    stop: async () => {
      await stopChild(child);
      rmSync(home, { recursive: true, force: true });
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
      const exited = new Promise<void>((r) => child.once('exit', () => r()));
      if (process.platform !== 'win32') process.kill(-child.pid, 'SIGKILL');
      else child.kill('SIGKILL');
      await exited;
    },
  };
}

export interface BrowserSession {
  page: Page;
  browser: Browser;
  close(): Promise<void>;
}

/** Debian's Chromium through playwright-core, headless, 1280×800, opened on `url`. */
export async function openBrowser(url: string): Promise<BrowserSession> {
  const browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    await page.goto(url, { waitUntil: 'load' });
    return { page, browser, close: () => browser.close() };
  } catch (err) {
    await browser.close();
    throw err;
  }
}

function firstLine(child: ChildProcess, timeoutMs: number, stderr: () => string): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    let out = '';
    const fail = (why: string): void => {
      clearTimeout(timer);
      void stopChild(child);
      reject(new Error(`serve ${why}\n--- stderr ---\n${stderr()}`));
    };
    const timer = setTimeout(() => fail(`printed no URL within ${timeoutMs} ms`), timeoutMs);
    child.stdout?.on('data', (c: Buffer) => {
      out += c.toString();
      const newline = out.indexOf('\n');
      if (newline < 0) return;
      clearTimeout(timer);
      child.removeListener('exit', onExit);
      resolvePromise(out.slice(0, newline).trim());
    });
    const onExit = (code: number | null): void => fail(`exited (code ${code}) before printing its URL`);
    child.once('exit', onExit);
  });
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || !child.pid) return;
  const exited = new Promise<void>((r) => child.once('exit', () => r()));
  const kill = (signal: NodeJS.Signals): void => {
    try {
      if (process.platform !== 'win32') process.kill(-child.pid!, signal);
      else child.kill(signal);
    } catch {
      // already gone
    }
  };
  kill('SIGTERM');
  const timer = setTimeout(() => kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Logs the page's uncaught errors, waits until the app has booted and dismisses the crash-recovery prompt. */
export async function readyApp(page: Page): Promise<void> {
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  const recover = page.locator('[data-testid=recover-discard]');
  if (await recover.isVisible()) await recover.click();
}

/**
 * Training → Dataset → a folder: types `folder`, allows it (a temp folder lies outside the host's dataset roots, so
 * the user allows it once) and waits for the dataset preview.
 */
export async function chooseFolderDataset(page: Page, folder: string): Promise<void> {
  await page.click('[data-testid=ws-training]');
  await page.waitForSelector('[data-testid=train-panel]');
  await page.selectOption('[data-testid=train-dataset]', '__folder');
  await page.fill('[data-testid=train-folder]', folder);
  await page.press('[data-testid=train-folder]', 'Enter');
  await page.locator('[data-testid=train-allow-folder]').click({ timeout: 60_000 });
  await page.locator('[data-testid=dataset-preview]').waitFor({ timeout: 60_000 });
}

/** File → New from template: picks `id` in the gallery, confirms discarding unsaved work if asked, waits for the gallery to close. */
export async function newFromTemplate(page: Page, id: string): Promise<void> {
  await page.click('[data-testid=ws-editor]');
  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click(`[data-testid=template-${id}]`);
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });
}
