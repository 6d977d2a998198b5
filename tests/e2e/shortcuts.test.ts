// The shortcuts the app shows (shortcuts dialog, command palette) are the action catalogue's, the same the
// native menu shows, and the keys do what they say.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { displayShortcut } from '../../src/renderer/core/keys';
import { menuLabel, shortcutOf, type ActionId } from '../../src/shared/actionCatalogue';
import { openBrowser, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS;
let host: Host;
let session: BrowserSession | undefined;
before(async () => {
  host = await startHost();
});
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop();
});

// The four items the hand-written menu once showed wrongly (Chromium here runs on Linux: Mod is Ctrl).
const CORRECTED: ActionId[] = ['file.newFromTemplate', 'run.train', 'run.stop', 'file.export'];

test('the shortcuts dialog and the command palette show the catalogue shortcuts; the keys work', async () => {
  session = await openBrowser(host.url);
  const { page } = session;
  page.on('pageerror', (e) => console.error('page error:', e.message));
  await page.waitForSelector('[data-testid=app][data-ready=true]');
  const recover = page.locator('[data-testid=recover-discard]');
  if (await recover.isVisible()) await recover.click();

  await page.keyboard.press('F1');
  const dialog = page.locator('[data-testid=shortcuts-dialog]');
  await dialog.waitFor();
  for (const id of CORRECTED) {
    const row = dialog.locator('.shortcut-row', { hasText: menuLabel(id) });
    assert.equal(await row.locator('kbd').first().textContent(), displayShortcut(shortcutOf(id)!, false), id);
  }
  if (SHOTS) await dialog.screenshot({ path: join(SHOTS, 'shortcuts-dialog.png') });
  await page.keyboard.press('Escape');
  await dialog.waitFor({ state: 'detached' });

  await page.keyboard.press('Control+k');
  await page.locator('[data-testid=command-input]').fill('export layer');
  const row = page.locator('[data-testid="command-file.export"]');
  assert.match((await row.textContent()) ?? '', /Export layer summary \(Markdown\).*Ctrl\+Shift\+E/);
  if (SHOTS) await page.screenshot({ path: join(SHOTS, 'command-palette-export.png') });
  await page.keyboard.press('Escape');

  // Ctrl+Shift+N (the menu's New from template…) opens the template gallery; Escape closes it.
  await page.keyboard.press('Control+Shift+N');
  const templates = page.locator('[data-testid=templates-dialog]');
  await templates.waitFor();
  await page.keyboard.press('Escape');
  await templates.waitFor({ state: 'detached' });
});
