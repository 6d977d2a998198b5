// End to end: the softmax-vs-sigmoid study runs from the Experiments gallery; its card names its notes, its charts
// (Σp, reliability, two-digit images, clothes) draw every variant and its verdict carries the numbers.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import type { Page } from 'playwright-core';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
});

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: `${SHOTS}/study-${name}.png`, fullPage: false });
}

test('softmax-vs-sigmoid runs from the gallery with its charts and a verdict that supports the notes', { timeout: 300_000 }, async () => {
  const host = await startHost();
  hosts.push(host);
  const session = await openBrowser(host.url);
  sessions.push(session);
  const { page } = session;
  await page.setViewportSize({ width: 1400, height: 1000 });
  await readyApp(page);
  await page.keyboard.press('Control+Shift+Digit4');
  const card = page.locator('[data-testid=exp-card][data-experiment=softmax-vs-sigmoid]');
  await card.waitFor();
  assert.equal(await card.locator('[data-testid=exp-card-notes]').innerText(), 'from notes 000, 001, 002, 004');
  await card.scrollIntoViewIfNeeded();
  await shot(page, 'softmax-sigmoid-card');
  await card.click();
  await page.waitForSelector('[data-testid=exp-detail][data-experiment=softmax-vs-sigmoid]');
  await page.click('[data-testid=exp-start]');
  const verdict = page.locator('[data-testid=exp-verdict]');
  await verdict.waitFor({ timeout: 240_000 });
  assert.equal(await verdict.getAttribute('data-direction'), 'supports');
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /Sigmoids \+ BCE · trained on 1–2 digits: digits \d+\.\d% right, Σp 1\.\d{3}/);
  for (const id of ['exp-chart-prob-sum', 'exp-chart-ood-max']) assert.equal(await page.locator(`[data-testid=${id}] .recharts-line`).count(), 4, id);
  assert.equal(await page.locator('[data-testid=exp-chart-reliability] .recharts-line').count(), 4);
  await page.locator('[data-testid=exp-chart-pair-labels] .recharts-bar-rectangle').first().waitFor();
  await page.locator('[data-testid=exp-chart-prob-sum]').scrollIntoViewIfNeeded();
  await shot(page, 'softmax-sigmoid-charts');
  await page.locator('[data-testid=exp-chart-output-bars]').scrollIntoViewIfNeeded();
  await shot(page, 'softmax-sigmoid-bars');
  await verdict.scrollIntoViewIfNeeded();
  await shot(page, 'softmax-sigmoid-verdict');
});
