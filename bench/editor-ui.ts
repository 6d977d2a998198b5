// `npm run bench -- ui`: how smooth the real editor is with a ~500-node graph (ResNet-152 unrolled: 517 blocks), in
// Debian's Chromium against the headless host (tests/e2e/harness.ts). Measured in the page:
//   open     File → Open of the project until every block is on the canvas and a frame was painted
//   drag     a block dragged across the canvas by 60 mouse moves: ms per move (input handled + React render) and the
//            frame intervals (requestAnimationFrame) meanwhile
//   pan      the canvas dragged by its background, the same way
//   edit     a conv's filters typed in the inspector, 3 keystrokes: ms per keystroke until two frames were painted
//            (Playwright's round trip included), and Chromium's own Event Timing of each key: the handlers' time
//            (our JavaScript: React renders the edit synchronously in the input event) and the time to the next paint;
//            then the time from the last key until the block's shape label shows the new filters (the field commits
//            after a pause in typing, src/renderer/editor/fields.tsx COMMIT_PAUSE_MS, then shapes are re-inferred)
// NETSMITH_PROFILE=FILE saves a CPU profile (Chrome DevTools .cpuprofile) of the keystrokes; NETSMITH_TRACE=FILE a
// Chromium performance trace of them (open it in DevTools' Performance panel: style, layout and paint included).
// NETSMITH_SHOTS=DIR saves screenshots of the canvas after the drag and after the pan.
// Frame budget: 16.7 ms at 60 Hz. Headless Chromium paints in software (no GPU), so the absolute numbers are a
// pessimistic bound for the desktop app.
import { mkdirSync, writeFileSync } from 'node:fs';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { buildResNet } from '../src/shared/templates';
import { openBrowser, readyApp, startHost } from '../tests/e2e/harness';

export interface UiBenchResult {
  nodes: number;
  /** Blocks in the page (only those in the viewport where the canvas renders visible elements only). */
  rendered: number;
  openMs: number;
  drag: Motion;
  pan: Motion;
  keystrokeMs: number[];
  /** Chromium's Event Timing of each keystroke (the slowest of its keydown/input/keyup events). */
  keyEvents: KeyTiming[];
  /** From the last key until the block's shape label shows the typed filters. */
  shapeFollowsMs: number;
  /** One more key with the graph fitted in view (Fit): blocks in the page, the key (two frames), the status bar's parameter total. */
  fitted: { rendered: number; keystrokeMs: number; shapeFollowsMs: number };
}

interface KeyTiming {
  /** Event handlers, React's render and commit of the edit. */
  processingMs: number;
  /** From the key press to the next frame painted after it. */
  durationMs: number;
}

interface Motion {
  moves: number;
  msPerMove: number;
  frameMedianMs: number;
  frameP95Ms: number;
  frameMaxMs: number;
}

const quantile = (xs: number[], q: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(q * s.length))] : NaN;
};

/** Starts recording requestAnimationFrame timestamps in the page. */
const startFrames = (page: Page): Promise<unknown> =>
  page.evaluate(`(() => {
    window.__frames = [];
    window.__recording = true;
    const tick = (t) => { window.__frames.push(t); if (window.__recording) requestAnimationFrame(tick); };
    requestAnimationFrame(tick);
  })()`);

async function stopFrames(page: Page): Promise<number[]> {
  const t = (await page.evaluate(`(() => { window.__recording = false; return window.__frames; })()`)) as number[];
  return t.slice(1).map((v, i) => v - t[i]);
}

/** Drags from (x, y) by (dx, dy) in `moves` mouse moves; ms per move and the frame intervals meanwhile. */
async function motion(page: Page, x: number, y: number, dx: number, dy: number, moves = 60): Promise<Motion> {
  await page.mouse.move(x, y);
  await page.mouse.down();
  await startFrames(page);
  const t0 = performance.now();
  for (let i = 1; i <= moves; i++) await page.mouse.move(x + (dx * i) / moves, y + (dy * i) / moves);
  // Let the last move render.
  await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
  const total = performance.now() - t0;
  await page.mouse.up();
  const frames = await stopFrames(page);
  return { moves, msPerMove: total / moves, frameMedianMs: quantile(frames, 0.5), frameP95Ms: quantile(frames, 0.95), frameMaxMs: Math.max(...frames) };
}

export async function runUiBench(): Promise<UiBenchResult> {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-bench-ui-'));
  const graph = buildResNet({ name: 'ResNet-152', block: 'bottleneck', layers: [3, 8, 36, 3], unroll: true });
  mkdirSync(join(home, 'projects'), { recursive: true });
  writeFileSync(join(home, 'projects', 'resnet152.netsmith.json'), JSON.stringify(graph));
  const host = await startHost({ home });
  const session = await openBrowser(host.url).catch(async (err: unknown) => {
    await host.stop();
    throw err;
  });
  try {
    const { page } = session;
    await readyApp(page);
    await page.click('[data-testid="tool-file.open"]');
    await page.waitForSelector('[data-testid=open-dialog]');
    await page.fill('[data-testid=open-dialog] input', 'resnet152');
    const t0 = performance.now();
    await page.click('[data-testid=open-confirm]');
    const confirm = page.locator('[data-testid=confirm-ok]');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    // Every block is in the page, or (a large graph renders only what is in the viewport) the count of blocks
    // stopped changing. Polled with evaluate: waitForFunction's string form is an eval the app's CSP refuses.
    let last = -1;
    let stable = 0;
    while (stable < 3) {
      if (performance.now() - t0 > 120_000) throw new Error('the blocks did not appear within 2 minutes');
      await new Promise((r) => setTimeout(r, 30));
      const count = (await page.evaluate(`document.querySelectorAll('.block-node').length`)) as number;
      if (count >= graph.nodes.length) break;
      stable = count > 5 && count === last ? stable + 1 : 0;
      last = count;
    }
    const rendered = (await page.evaluate(`document.querySelectorAll('.block-node').length`)) as number;
    await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
    const openMs = performance.now() - t0;

    // A block well inside the viewport, dragged by its title.
    const box = await page.locator('.react-flow').boundingBox();
    if (!box) throw new Error('no canvas');
    const target = (await page.evaluate(`(() => {
      const r = document.querySelector('.react-flow').getBoundingClientRect();
      const nodes = [...document.querySelectorAll('.react-flow__node')].map((n) => n.getBoundingClientRect()).filter((b) => b.width > 20 && b.left > r.left + 100 && b.right < r.right - 100 && b.top > r.top + 60 && b.bottom < r.bottom - 100);
      const b = nodes[Math.floor(nodes.length / 2)];
      return b ? { x: b.left + b.width / 2, y: b.top + 8 } : null;
    })()`)) as { x: number; y: number } | null;
    if (!target) throw new Error('no block inside the viewport to drag');
    const drag = await motion(page, target.x, target.y, 160, 90);

    // The background: a point of the canvas that is no block.
    const empty = (await page.evaluate(`(() => {
      const r = document.querySelector('.react-flow').getBoundingClientRect();
      for (let y = r.top + 40; y < r.bottom - 40; y += 17) for (let x = r.left + 40; x < r.right - 40; x += 23) {
        const el = document.elementFromPoint(x, y);
        if (el && el.classList.contains('react-flow__pane')) return { x, y };
      }
      return null;
    })()`)) as { x: number; y: number } | null;
    if (!empty) throw new Error('no empty canvas point to pan from');
    const shots = process.env.NETSMITH_SHOTS;
    if (shots) {
      mkdirSync(shots, { recursive: true });
      await page.screenshot({ path: join(shots, 'resnet152-500-blocks-after-drag.png') });
    }
    const pan = await motion(page, empty.x, empty.y, -300, -200);
    if (shots) await page.screenshot({ path: join(shots, 'resnet152-500-blocks-after-pan.png') });

    // Edit: a conv's filters in the inspector, one keystroke at a time, until its shape label follows.
    const keystrokeMs: number[] = [];
    const conv = (await page.evaluate(`(() => {
      const r = document.querySelector('.react-flow').getBoundingClientRect();
      const n = [...document.querySelectorAll('.block-node[data-node-id^="conv2d"]')].find((e) => { const b = e.getBoundingClientRect(); return b.top > r.top && b.bottom < r.bottom && b.left > r.left && b.right < r.right; });
      return n ? n.getAttribute('data-node-id') : null;
    })()`)) as string | null;
    if (conv) await page.click(`[data-testid=node-${conv}] .block-head`);
    const input = page.locator('[data-testid=param-filters] input, [data-testid=param-filters]').first();
    const keyEvents: KeyTiming[] = [];
    let shapeFollowsMs = NaN;
    let lastKeyAt = 0;
    const fitted = { rendered: 0, keystrokeMs: NaN, shapeFollowsMs: NaN };
    if (conv && (await input.count())) {
      await input.click({ clickCount: 3 });
      await page.keyboard.press('Backspace');
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      const profile = process.env.NETSMITH_PROFILE;
      const cdp = profile ? await page.context().newCDPSession(page) : null;
      if (cdp) {
        await cdp.send('Profiler.enable');
        await cdp.send('Profiler.setSamplingInterval', { interval: 200 });
        await cdp.send('Profiler.start');
      }
      const trace = process.env.NETSMITH_TRACE;
      const browser = page.context().browser();
      if (trace && browser) await browser.startTracing(page, { path: trace, categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'blink.user_timing'] });
      for (const key of ['9', '6', '0']) {
        await page.evaluate(`(() => {
          window.__keyEvents = [];
          window.__keyObserver?.disconnect();
          window.__keyObserver = new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__keyEvents.push({ name: e.name, processing: e.processingEnd - e.processingStart, duration: e.duration }); });
          window.__keyObserver.observe({ type: 'event', durationThreshold: 16 });
        })()`);
        const k0 = (lastKeyAt = performance.now());
        await page.keyboard.press(key);
        await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
        keystrokeMs.push(performance.now() - k0);
        // Event Timing entries arrive after the paint they end at.
        await page.waitForTimeout(100);
        const events = (await page.evaluate(`(() => { window.__keyObserver.takeRecords().forEach((e) => window.__keyEvents.push({ name: e.name, processing: e.processingEnd - e.processingStart, duration: e.duration })); return window.__keyEvents; })()`)) as { name: string; processing: number; duration: number }[];
        const keyed = events.filter((e) => /^(keydown|keypress|input|beforeinput|keyup)$/.test(e.name));
        keyEvents.push({ processingMs: keyed.reduce((a, e) => a + e.processing, 0), durationMs: Math.max(0, ...keyed.map((e) => e.duration)) });
      }
      const f0 = lastKeyAt;
      for (;;) {
        const shape = (await page.evaluate(`document.querySelector('[data-testid="shape-${conv}"]')?.textContent ?? ''`)) as string;
        if (/×960$/.test(shape)) break;
        if (performance.now() - f0 > 10_000) throw new Error(`the shape of ${conv} did not follow the typed filters: ${shape}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      shapeFollowsMs = performance.now() - f0;
      if (trace && browser) await browser.stopTracing();
      if (cdp && profile) {
        const { profile: cpu } = await cdp.send('Profiler.stop');
        writeFileSync(profile, JSON.stringify(cpu));
      }

      // The graph fitted in view (many more blocks in the page, each re-rendered if an edit touched them all): one more key.
      await page.click('[data-testid="tool-view.fit"]');
      await page.waitForTimeout(1000);
      fitted.rendered = (await page.evaluate(`document.querySelectorAll('.block-node').length`)) as number;
      await input.click();
      await page.keyboard.press('End');
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      const total = `document.querySelector('[data-testid=total-params]')?.textContent ?? ''`;
      const before = (await page.evaluate(total)) as string;
      const k0 = performance.now();
      await page.keyboard.press('1');
      await page.evaluate('new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)))');
      fitted.keystrokeMs = performance.now() - k0;
      // The edited block may be out of view: the status bar's parameter total follows the edit instead.
      for (;;) {
        const now = (await page.evaluate(total)) as string;
        if (now !== before) break;
        if (performance.now() - k0 > 20_000) throw new Error(`the parameter total did not follow the typed filters (${fitted.rendered} blocks in the page, the field holds '${await input.inputValue()}')`);
        await new Promise((r) => setTimeout(r, 5));
      }
      fitted.shapeFollowsMs = performance.now() - k0;
    }
    return { nodes: graph.nodes.length, rendered, openMs, drag, pan, keystrokeMs, keyEvents, shapeFollowsMs, fitted };
  } finally {
    await session.close().catch(() => undefined);
    await host.stop().catch(() => undefined);
  }
}

const f = (v: number): string => v.toFixed(1);

export function formatUiBench(r: UiBenchResult): string {
  const m = (name: string, x: Motion): string =>
    `${name.padEnd(28)} ${f(x.msPerMove)} ms per move (${x.moves} moves); frames median ${f(x.frameMedianMs)} ms, p95 ${f(x.frameP95Ms)} ms, max ${f(x.frameMaxMs)} ms  (target p95 < 50 ms) ${x.frameP95Ms < 50 ? 'OK' : 'SLOW'}`;
  return [
    `${'open ResNet-152 (unrolled)'.padEnd(28)} ${r.nodes} blocks (${r.rendered} in the page) on the canvas in ${f(r.openMs)} ms`,
    m('drag a block', r.drag),
    m('pan the canvas', r.pan),
    `${'type a param (per key)'.padEnd(28)} ${r.keystrokeMs.length ? r.keystrokeMs.map(f).join(', ') + ' ms (to two frames, Playwright round trip included)' : 'no filters field found'}`,
    ...(r.keyEvents.length
      ? [`${'  in Chromium (Event Timing)'.padEnd(28)} ${r.keyEvents.map((e) => `${f(e.processingMs)} ms handlers / ${f(e.durationMs)} ms to paint`).join(', ')}  (events under 16 ms are not reported: 0)`]
      : []),
    ...(Number.isFinite(r.shapeFollowsMs) ? [`${'  shape label follows'.padEnd(28)} ${f(r.shapeFollowsMs)} ms after the last key`] : []),
    ...(Number.isFinite(r.fitted.keystrokeMs)
      ? [`${'type, graph fitted in view'.padEnd(28)} ${r.fitted.rendered} blocks in the page: ${f(r.fitted.keystrokeMs)} ms per key, the parameter total follows in ${f(r.fitted.shapeFollowsMs)} ms`]
      : []),
  ].join('\n');
}
