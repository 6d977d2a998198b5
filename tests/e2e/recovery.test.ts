// End-to-end: a run whose host died mid-training shows as interrupted after the next start, and the Runs
// list resumes it from its checkpoint to the end. An unsaved graph is autosaved and offered back in a new window.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { RunRegistry } from '../../src/main/service/runs/registry';
import { templateById } from '../../src/shared/templates';
import { newFromTemplate, openBrowser, readyApp, startHost, type BrowserSession, type Host } from './harness';

const SHOTS = process.env.NETSMITH_SHOTS ?? '/tmp/shots';
let host: Host;
let session: BrowserSession;
let runId: string;
let stderr = '';
let staleTemp = '';
let home = '';

before(async () => {
  home = mkdtempSync(join(tmpdir(), 'netsmith-e2e-recovery-'));
  // A LeNet run of 3 short epochs, cut off after its first checkpoint ...
  const registry = new RunRegistry(join(home, 'runs'));
  const run = await registry.startRun({ project: JSON.stringify(templateById('lenet_mnist')!.build()), dataset: 'mnist', config: { epochs: 3, batchSize: 64, trainLimit: 640, valLimit: 256, probeEvery: 50, backend: 'wasm', workers: 1 } });
  runId = run.id;
  const file = join(registry.runDir(run.id), 'run.json');
  while (!JSON.parse(readFileSync(file, 'utf8')).checkpoints?.last) await new Promise((r) => setTimeout(r, 100));
  await registry.kill(run.id);
  await registry.wait(run.id);
  await registry.dispose();
  // ... as a kill -9 of its host leaves it: run.json still says running, for a process that is gone.
  const dead = spawnSync(process.execPath, ['-e', '']).pid;
  writeFileSync(file, JSON.stringify({ ...JSON.parse(readFileSync(file, 'utf8')), state: 'running', error: undefined, pid: dead }));
  staleTemp = join(home, `.state.json.${dead}.0123456789ab.tmp`);
  writeFileSync(staleTemp, '{"recent":');
  host = await startHost({ home });
  stderr = host.stderr();
  mkdirSync(SHOTS, { recursive: true });
});
after(async () => {
  await session?.close().catch(() => undefined);
  await host?.stop().catch(() => undefined);
});

test('an interrupted run is listed as such after a restart and resumes from the Runs list', { timeout: 240_000 }, async () => {
  // The seeded one, plus any checkpoint write the kill cut off.
  assert.match(stderr, /recovered: 1 run interrupted by the last session marked resumable \(.+\); \d+ leftover temp files? of unfinished saves removed/);
  assert.equal(existsSync(staleTemp), false);
  session = await openBrowser(host.url);
  const { page } = session;
  await readyApp(page);
  await page.click('[data-testid=ws-runs]');
  const row = page.locator(`[data-testid=run-row][data-run="${runId}"]`);
  await row.locator('.pill.state-interrupted').waitFor();
  assert.equal(await row.locator('.pill').textContent(), 'interrupted');
  await page.screenshot({ path: join(SHOTS, 'runs-interrupted-after-restart.png') });

  await row.locator('[data-testid=run-resume-row]').click();
  await row.locator('.pill.state-completed').waitFor({ timeout: 180_000 });
  assert.match((await row.textContent()) ?? '', /3\/3/);
  assert.equal(await row.locator('[data-testid=run-resume-row]').count(), 0);
  await page.screenshot({ path: join(SHOTS, 'runs-resumed-completed.png') });
  const lines = readFileSync(join(host.home, 'runs', runId, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { type: string; after?: string });
  assert.equal(lines.filter((l) => l.type === 'resume' && l.after === 'interrupted').length, 1);
});

test('saving when the recent-projects list cannot be written: saved, with a warning instead of a failure', { timeout: 120_000 }, async () => {
  // The recent list lives in state.json; a folder in its place makes every update of it fail.
  mkdirSync(join(host.home, 'state.json'), { recursive: true });
  const s = await openBrowser(host.url);
  try {
    const { page } = s;
    await readyApp(page);
    await page.click('[data-testid="tool-file.newFromTemplate"]');
    await page.click('[data-testid=template-lenet_mnist]');
    const confirm = page.locator('[data-testid=confirm-ok]');
    if (await confirm.isVisible().catch(() => false)) await confirm.click();
    await page.waitForSelector('[data-testid=templates-dialog]', { state: 'detached' });
    await page.keyboard.press('Control+S');
    await page.fill('[data-testid=saveas-path]', 'kept/lenet');
    await page.click('[data-testid=saveas-confirm]');
    const toast = page.locator('[data-testid=toast-info]').filter({ hasText: 'Saved, but the recent-projects list could not be updated' });
    await toast.waitFor();
    assert.equal(await toast.innerText(), 'kept/lenet.netsmith.json: Saved, but the recent-projects list could not be updated (file system error EISDIR)');
    assert.equal(await page.locator('[data-testid=toast-error]').count(), 0);
    assert.equal(await page.locator('[data-testid=dirty-marker]').count(), 0, 'the document is marked saved');
    await page.screenshot({ path: join(SHOTS, 'save-with-recent-list-warning.png') });
    assert.equal(JSON.parse(readFileSync(join(host.home, 'projects', 'kept', 'lenet.netsmith.json'), 'utf8')).format, 'netsmith.project');
  } finally {
    await s.close();
  }
});

test('an unsaved graph is autosaved (when the page is idle) and a new window offers it back', { timeout: 120_000 }, async () => {
  const first = await openBrowser(host.url);
  try {
    await readyApp(first.page);
    await newFromTemplate(first.page, 'resnet_cifar');
    // A template opens clean: one edit (its name) makes it unsaved.
    await first.page.click('[data-testid=ws-editor]');
    await first.page.keyboard.press('Escape');
    await first.page.fill('[data-testid=graph-name]', 'Autosaved ResNet');
    await first.page.keyboard.press('Enter');
    const file = join(home, 'autosave.json');
    const deadline = Date.now() + 30_000;
    const saved = (): string => (existsSync(file) ? readFileSync(file, 'utf8') : '');
    while (!saved().includes('Autosaved ResNet') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    assert.ok(saved().includes('Autosaved ResNet'), 'the graph was autosaved');
  } finally {
    await first.close();
  }
  // A new window (no tab session): the autosave is offered, and restoring it brings the graph back.
  const second = await openBrowser(host.url);
  try {
    const { page } = second;
    await page.locator('[data-testid=recover-dialog]').waitFor({ timeout: 30_000 });
    assert.match(await page.locator('[data-testid=recover-what]').innerText(), /^Netsmith found unsaved changes to “Autosaved ResNet” \(\d+ blocks, never saved\), from .+\.$/);
    await page.screenshot({ path: join(SHOTS, 'recover-autosave-offer.png') });
    await page.click('[data-testid=recover-ok]');
    await page.locator('[data-testid=recover-dialog]').waitFor({ state: 'detached' });
    assert.equal((await page.locator('.doc-name').innerText()).trim(), 'Autosaved ResNet');
    assert.ok((await page.locator('.react-flow__node').count()) > 10, 'the restored graph has its blocks');
  } finally {
    await second.close();
  }
});
