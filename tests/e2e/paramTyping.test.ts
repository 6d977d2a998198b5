// End-to-end: typing a number in the inspector. Each key echoes at once; the document takes the value after a pause
// in typing (COMMIT_PAUSE_MS), so a large graph re-infers its shapes once, not once per key. Typing is one undo step;
// selecting another block before the pause still gives the typed value to the block it was typed for; Enter commits
// at once.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import type { Page } from 'playwright-core';
import { COMMIT_PAUSE_MS } from '../../src/renderer/core/commitPause';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
let host: Host | undefined;
let session: BrowserSession | undefined;
before(async () => {
  host = await startHost();
  session = await openBrowser(host.url);
  await readyApp(session.page);
});
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

const shape = (page: Page, id: string): Promise<string> => page.locator(`[data-testid=shape-${id}]`).innerText();
const select = (page: Page, id: string) => page.locator(`[data-testid=node-${id}] .block-title`).dispatchEvent('click');

test('typed filters echo per key, reach the graph after a pause, as one undo step, and stay with their block', { timeout: 120_000 }, async () => {
  const page = session!.page;
  await page.click('[data-testid="tool-file.newFromTemplate"]');
  await page.click('[data-testid=template-lenet_mnist]');
  const confirm = page.locator('[data-testid=confirm-ok]');
  if (await confirm.isVisible().catch(() => false)) await confirm.click();
  await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });
  assert.equal(await shape(page, 'conv2d_1'), '28×28×6');

  await select(page, 'conv2d_1');
  const field = page.locator('[data-testid=param-filters]');
  await field.click({ clickCount: 3 });
  const t0 = Date.now();
  await page.keyboard.type('12', { delay: 20 });
  assert.equal(await field.inputValue(), '12', 'each key shows at once');
  const typedIn = Date.now() - t0;
  // Still typing (well inside the pause): the graph has not taken the value yet.
  if (typedIn < COMMIT_PAUSE_MS / 2) assert.equal(await shape(page, 'conv2d_1'), '28×28×6');
  await page.locator('[data-testid=shape-conv2d_1]').filter({ hasText: /^28×28×12$/ }).waitFor({ timeout: 5_000 });
  assert.equal(await shape(page, 'conv2d_2'), '10×10×16');
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: join(SHOTS, 'param-typed-filters-12.png') });
  }

  // One undo step for the whole typed number (not "1" then "12").
  await page.locator('[data-testid=canvas] .react-flow__pane').click({ position: { x: 20, y: 20 } });
  await page.keyboard.press('Control+Z');
  await page.locator('[data-testid=shape-conv2d_1]').filter({ hasText: /^28×28×6$/ }).waitFor({ timeout: 5_000 });

  // Typed, then another block selected before the pause: the value goes to the block it was typed for.
  await select(page, 'conv2d_1');
  await field.click({ clickCount: 3 });
  await page.keyboard.type('9');
  await select(page, 'conv2d_2');
  await page.locator('[data-testid=shape-conv2d_1]').filter({ hasText: /^28×28×9$/ }).waitFor({ timeout: 5_000 });
  assert.equal(await shape(page, 'conv2d_2'), '10×10×16', 'the other block keeps its filters');
  assert.equal(await page.locator('[data-testid=param-filters]').inputValue(), '16');

  // Enter commits at once.
  await page.locator('[data-testid=param-filters]').fill('20');
  await page.keyboard.press('Enter');
  assert.equal(await shape(page, 'conv2d_2'), '10×10×20');
});
