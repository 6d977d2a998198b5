import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { createApp } from '../../../src/main/electron/app';
import { safeExternalUrl } from '../../../src/main/electron/security';
import { LabService } from '../../../src/main/service/labService';
import { PICK_DATASET_FOLDER_CHANNEL, PICK_PATH_CHANNEL } from '../../../src/shared/protocol';
import { StubElectron } from './stubElectron';

/** The app over the stub with a real renderer folder (index.html, an asset, a symlink out, a secret next to it). */
async function boot(renderer?: { url: string }) {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-hardening-'));
  const dir = join(home, 'renderer');
  mkdirSync(join(dir, 'assets'), { recursive: true });
  writeFileSync(join(dir, 'index.html'), '<!doctype html><title>Netsmith</title>');
  writeFileSync(join(dir, 'assets', 'app.js'), 'console.log(1)');
  writeFileSync(join(home, 'secret.txt'), 'secret');
  symlinkSync(join(home, 'secret.txt'), join(dir, 'assets', 'leak.js'));
  const service = new LabService({ kind: 'electron', home, version: '0.0.1' });
  const stub = new StubElectron();
  const handle = createApp(stub.module(), { service, home, projectsDir: service.projects.root, preloadPath: '/p/index.cjs', renderer: renderer ?? { file: join(dir, 'index.html') }, platform: 'linux', devTools: false });
  stub.ready();
  await handle.ready;
  stub.emitApp('web-contents-created', {}, stub.windows[0].webContents);
  return { stub, home };
}

test('shell.openExternal gets only clean http(s) URLs', async () => {
  const { stub } = await boot();
  const open = (url: string) => stub.windowOpenHandler!({ url });
  for (const url of ['https://evil.example/\nfile:///etc/passwd', 'https://x.example/\tjavascript:alert(1)', 'file:///etc/passwd', 'javascript:alert(1)', 'https://user:pw@example.com/', ' https://example.com', 'https://example.com/\u2028', 'HTTPS:', 'netsmith://app/index.html', 'https://ex\u0000ample.com']) {
    assert.deepEqual(open(url), { action: 'deny' });
  }
  assert.deepEqual(stub.opened, [], 'nothing was opened');
  assert.deepEqual(open('https://github.com/netsmith?q=a%20b#x'), { action: 'deny' }, 'a new window is never opened in the app');
  assert.deepEqual(open('http://localhost:8080/docs'), { action: 'deny' });
  assert.deepEqual(stub.opened, ['https://github.com/netsmith?q=a%20b#x', 'http://localhost:8080/docs']);
  assert.equal(safeExternalUrl('HTTPS://Example.COM/a'), 'https://example.com/a');
});

test('redirects away from the app are blocked like navigations', async () => {
  const { stub } = await boot();
  const [willRedirect] = stub.contentsListeners.get('will-redirect') ?? [];
  assert.ok(willRedirect, 'a will-redirect guard is installed');
  let prevented = 0;
  const event = { preventDefault: () => void prevented++ };
  willRedirect(event, 'https://evil.example/');
  willRedirect(event, 'file:///etc/passwd');
  willRedirect(event, 'netsmith://evil/index.html');
  willRedirect(event, 'netsmith://app/index.html#/runs');
  assert.equal(prevented, 3);
});

test('permission checks are denied like permission requests, except clipboard writes by the app itself', async () => {
  const { stub } = await boot();
  assert.ok(stub.permissionCheckHandler, 'a permission check handler is installed');
  for (const permission of ['geolocation', 'media', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb']) {
    assert.equal(stub.permissionCheckHandler(null, permission, 'netsmith://app'), false, permission);
    let granted: boolean | null = null;
    stub.permissionHandler!(null, permission, (g: boolean) => (granted = g), { requestingUrl: 'netsmith://app/index.html' });
    assert.equal(granted, false, permission);
  }
  assert.equal(stub.permissionCheckHandler(null, 'clipboard-sanitized-write', 'netsmith://app'), true);
  assert.equal(stub.permissionCheckHandler(null, 'clipboard-sanitized-write', 'https://evil.example'), false);
});

test('IPC is answered only for the main frame showing the app', async () => {
  const { stub } = await boot();
  const ok = (await stub.invoke('lab:hostInfo', undefined)) as { result?: unknown };
  assert.ok(ok.result, 'the app frame is answered');
  const window = stub.windows[0].webContents;
  for (const frame of [null, { url: 'https://evil.example/', parent: null }, { url: 'netsmith://app/index.html', parent: { url: 'netsmith://app/index.html' } }, { url: 'file:///app/index.html', parent: null }, { url: 'netsmith://other/index.html', parent: null }]) {
    const reply = (await stub.invoke('lab:hostInfo', undefined, window, frame)) as { error?: { code: string } };
    assert.equal(reply.error?.code, 'unauthorized', JSON.stringify(frame));
    const pick = (await stub.invoke(PICK_PATH_CHANNEL, { mode: 'open' }, window, frame)) as { error?: { code: string } };
    assert.equal(pick.error?.code, 'unauthorized', JSON.stringify(frame));
  }
});

test('the renderer loads from netsmith://app/, served only from the renderer folder', async () => {
  const { stub } = await boot();
  assert.equal(stub.windows[0].loaded, 'netsmith://app/index.html');
  assert.deepEqual(stub.privilegedSchemes, [{ scheme: 'netsmith', privileges: { standard: true, secure: true, supportFetchAPI: true } }]);
  assert.equal(stub.schemesRegisteredLate, false, 'registered before ready');
  const page = await stub.fetchScheme('netsmith://app/index.html');
  assert.equal(page.status, 200);
  assert.match(page.headers.get('content-type')!, /text\/html/);
  assert.match(page.headers.get('content-security-policy')!, /script-src 'self';/);
  assert.match(await page.text(), /Netsmith/);
  assert.equal((await stub.fetchScheme('netsmith://app/assets/app.js')).status, 200);
  assert.equal((await stub.fetchScheme('netsmith://app/runs/123')).status, 200, 'client routes fall back to index.html');
  for (const url of ['netsmith://app/assets/leak.js', 'netsmith://app/../secret.txt', 'netsmith://app/%2e%2e/secret.txt', 'netsmith://app/..%2fsecret.txt', 'netsmith://app/assets/%00.js', 'netsmith://evil/index.html', 'netsmith://app/missing.js']) {
    const res = await stub.fetchScheme(url);
    assert.equal(res.status, 404, url);
    assert.ok(!(await res.text()).includes('secret'), url);
  }
  assert.equal((await stub.fetchScheme('netsmith://app/index.html', 'POST')).status, 405);
});

test('in dev the dev server is loaded and no scheme is registered', async () => {
  const { stub } = await boot({ url: 'http://localhost:5173/' });
  assert.equal(stub.windows[0].loaded, 'http://localhost:5173/');
  assert.deepEqual(stub.privilegedSchemes, []);
  const reply = (await stub.invoke('lab:hostInfo', undefined)) as { result?: unknown };
  assert.ok(reply.result);
});

test("Electron's dataset folder picker adds the chosen folder as a dataset root", async () => {
  const { stub } = await boot();
  const chosen = mkdtempSync(join(tmpdir(), 'netsmith-picked-'));
  const before = (await stub.invoke('lab:datasetPreview', { id: `folder:${chosen}` })) as { error: { code: string } };
  assert.equal(before.error.code, 'outside-roots');
  stub.openDialogResult = { canceled: true, filePaths: [] };
  assert.deepEqual(await stub.invoke(PICK_DATASET_FOLDER_CHANNEL, undefined), { result: null });
  stub.openDialogResult = { canceled: false, filePaths: [chosen] };
  const untrusted = (await stub.invoke(PICK_DATASET_FOLDER_CHANNEL, undefined, stub.windows[0].webContents, { url: 'https://evil.example/', parent: null })) as { error: { code: string } };
  assert.equal(untrusted.error.code, 'unauthorized');
  assert.deepEqual(await stub.invoke(PICK_DATASET_FOLDER_CHANNEL, undefined), { result: chosen });
  const after = (await stub.invoke('lab:datasetPreview', { id: `folder:${chosen}` })) as { error: { code: string } };
  assert.equal(after.error.code, 'no-engine', 'the folder passes the roots check (the stub host has no engine)');
});
