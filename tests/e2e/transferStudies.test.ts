// End-to-end: the catastrophic-forgetting study runs from the UI and shows its task-accuracy chart and verdict; the
// transfer-learning card names its notes.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { after, test } from 'node:test';
import { openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
const hosts: Host[] = [];
const sessions: BrowserSession[] = [];
after(async () => {
  for (const s of sessions) await s.close().catch(() => undefined);
  for (const h of hosts) await h.stop().catch(() => undefined);
});

test('transfer studies: forgetting runs from the UI with its task-accuracy chart and a supporting verdict', { timeout: 300_000 }, async () => {
  const host = await startHost();
  hosts.push(host);
  const session = await openBrowser(host.url);
  sessions.push(session);
  const { page } = session;
  await page.setViewportSize({ width: 1400, height: 1000 });
  await readyApp(page);
  await page.keyboard.press('Control+Shift+Digit4');
  await page.waitForSelector('[data-testid=exp-card]');
  for (const id of ['transfer-learning', 'catastrophic-forgetting']) {
    assert.equal(await page.locator(`[data-testid=exp-card][data-experiment=${id}] [data-testid=exp-card-notes]`).innerText(), 'from notes 000, 004');
  }
  await page.click('[data-testid=exp-card][data-experiment=catastrophic-forgetting]');
  await page.waitForSelector('[data-testid=exp-detail][data-experiment=catastrophic-forgetting]');
  await page.click('[data-testid=exp-start]');
  const verdict = page.locator('[data-testid=exp-verdict]');
  await verdict.waitFor({ timeout: 180_000 });
  assert.equal(await verdict.getAttribute('data-direction'), 'supports');
  assert.match(await page.locator('[data-testid=exp-verdict-text]').innerText(), /Fine-tune on B: task A 9\d\.\d% → \d+\.\d%/);
  await page.waitForSelector('[data-testid=exp-chart-task-accuracy] .recharts-bar-rectangle');
  if (SHOTS) {
    mkdirSync(SHOTS, { recursive: true });
    await page.screenshot({ path: `${SHOTS}/catastrophic-forgetting-result.png`, fullPage: true });
  }
});
