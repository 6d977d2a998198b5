import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_METHODS } from '../../../src/shared/api';
import { LabService } from '../../../src/main/service/labService';
import { createApp, type AppDeps } from '../../../src/main/electron/app';
import { MENU_COMMANDS } from '../../../src/main/electron/menu';
import type { MenuItemSpec } from '../../../src/main/electron/types';
import { LAB_EVENT_CHANNEL, MENU_STATE_CHANNEL, PICK_DATASET_FOLDER_CHANNEL, PICK_PATH_CHANNEL, PICK_WEIGHTS_FILE_CHANNEL } from '../../../src/shared/protocol';
import { StubElectron } from './stubElectron';

async function boot(options: { platform?: NodeJS.Platform; home?: string; renderer?: AppDeps['renderer'] } = {}) {
  const home = options.home ?? mkdtempSync(join(tmpdir(), 'netsmith-electron-'));
  const service = new LabService({ kind: 'electron', home, version: '0.0.1' });
  const stub = new StubElectron();
  const handle = createApp(stub.module(), {
    service,
    home,
    projectsDir: service.projects.root,
    preloadPath: '/app/out/preload/index.cjs',
    renderer: options.renderer ?? { file: '/app/out/renderer/index.html' },
    platform: options.platform ?? 'linux',
    devTools: false,
  });
  stub.ready();
  await handle.ready;
  return { stub, service, handle, home };
}

function flatten(items: MenuItemSpec[]): MenuItemSpec[] {
  return items.flatMap((i) => [i, ...flatten(i.submenu ?? [])]);
}

test('every LAB_METHODS entry is registered with ipcMain.handle', async () => {
  const { stub } = await boot();
  for (const method of LAB_METHODS) assert.ok(stub.handlers.has(`lab:${method}`), method);
  assert.ok(stub.handlers.has(PICK_PATH_CHANNEL));
  assert.ok(stub.handlers.has(PICK_DATASET_FOLDER_CHANNEL));
  assert.ok(stub.handlers.has(PICK_WEIGHTS_FILE_CHANNEL));
  assert.ok(stub.handlers.has(MENU_STATE_CHANNEL));
  assert.equal(stub.handlers.size, LAB_METHODS.length + 4);
});

test('IPC payloads are validated: a bad payload returns an error, a good one a result', async () => {
  const { stub } = await boot();
  const bad = (await stub.invoke('lab:readProject', { path: 12 })) as { error: { code: string; message: string } };
  assert.equal(bad.error.code, 'bad-args');
  assert.match(bad.error.message, /path/);
  const escape = (await stub.invoke('lab:writeProject', { path: '../../etc/x', text: '' })) as { error: { code: string } };
  assert.equal(escape.error.code, 'bad-args');
  const extra = (await stub.invoke('lab:hostInfo', { sneaky: true })) as { error: { code: string } };
  assert.equal(extra.error.code, 'bad-args');
  const ok = (await stub.invoke('lab:writeProject', { path: 'a', text: '{}' })) as { result: { path: string } };
  assert.equal(ok.result.path, 'a.netsmith.json');
  const engine = (await stub.invoke('lab:listRuns', undefined)) as { error: { code: string } };
  assert.equal(engine.error.code, 'no-engine');
});

test('IPC from a frame that is not our window is refused', async () => {
  const { stub } = await boot();
  const reply = (await stub.invoke('lab:hostInfo', undefined, { id: 999 })) as { error: { code: string } };
  assert.equal(reply.error.code, 'unauthorized');
});

test('the window is created with the secure web preferences and loads the UI', async () => {
  const { stub } = await boot();
  assert.equal(stub.windows.length, 1);
  const [window] = stub.windows;
  assert.deepEqual(window.options.webPreferences, {
    preload: '/app/out/preload/index.cjs',
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    spellcheck: false,
  });
  assert.equal(window.loaded, 'netsmith://app/index.html');
  window.emit('ready-to-show');
  assert.equal(window.shown, true);
});

test('a strict CSP is added to responses and permission requests are denied', async () => {
  const { stub } = await boot();
  let headers: Record<string, string[]> = {};
  stub.headerListener?.({ url: 'file:///x', responseHeaders: { a: ['b'] } }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
  const csp = headers['Content-Security-Policy'][0];
  assert.match(csp, /default-src 'self'/);
  assert.match(csp, /script-src 'self';/);
  assert.match(csp, /object-src 'none'/);
  assert.deepEqual(headers.a, ['b']);
  let granted: boolean | null = null;
  stub.permissionHandler?.({}, 'geolocation', (g: boolean) => (granted = g));
  assert.equal(granted, false);
});

test('navigation away from the app is blocked', async () => {
  const { stub } = await boot();
  stub.emitApp('web-contents-created', {}, stub.windows[0].webContents);
  const [willNavigate] = stub.contentsListeners.get('will-navigate') ?? [];
  let prevented = 0;
  const event = { preventDefault: () => void prevented++ };
  willNavigate(event, 'https://evil.example/');
  willNavigate(event, 'netsmith://app/index.html#/x');
  willNavigate(event, 'file:///app/out/renderer/index.html');
  assert.equal(prevented, 2);
});

test('the menu has every command, and a click sends a menu LabEvent to the renderer', async () => {
  const { stub } = await boot();
  const items = flatten(stub.menuTemplate);
  const labels = items.map((i) => i.label).filter(Boolean);
  for (const label of ['File', 'Edit', 'Run', 'View', 'New project', 'New from template…', 'Open…', 'Save', 'Save as…', 'Export layer summary (Markdown)', 'Export model…', 'Open Recent', 'Undo', 'Redo', 'Cut', 'Copy', 'Paste', 'Select all', 'Delete', 'Train…', 'Pause training', 'Resume training', 'Stop training', 'Editor', 'Training', 'Runs', 'Experiments', 'Fit view', 'Toggle dark / light theme', 'Show minimap']) {
    assert.ok(labels.includes(label), label);
  }
  const sent = stub.windows[0].webContents.sent;
  for (const item of items) item.click?.();
  const commands = sent.filter(([channel]) => channel === LAB_EVENT_CHANNEL).map(([, e]) => (e as { command: string }).command);
  for (const command of MENU_COMMANDS.filter((c) => c !== 'file.openRecent')) assert.ok(commands.includes(command), command);
  assert.ok(items.every((i) => !i.accelerator || i.registerAccelerator === false), 'the renderer owns shortcuts');
});

test('the recent-files submenu follows the service', async () => {
  const { stub, service } = await boot();
  await service.writeProject({ path: 'nets/resnet', text: '{}' });
  await new Promise((r) => setTimeout(r, 20));
  const recent = flatten(stub.menuTemplate).find((i) => i.label === 'Open Recent');
  assert.deepEqual(recent?.submenu?.map((i) => i.label), ['nets/resnet.netsmith.json']);
  recent?.submenu?.[0].click?.();
  assert.deepEqual(stub.windows[0].webContents.sent.at(-1), [LAB_EVENT_CHANNEL, { type: 'menu', command: 'file.openRecent', arg: 'nets/resnet.netsmith.json' }]);
});

test('macOS gets the app and window menus and keeps running without windows', async () => {
  const { stub } = await boot({ platform: 'darwin' });
  assert.equal(stub.menuTemplate[0].role, 'appMenu');
  assert.equal(stub.menuTemplate.at(-1)?.role, 'windowMenu');
  stub.emitApp('window-all-closed');
  assert.equal(stub.quitCalls, 0);
  const linux = await boot();
  linux.stub.emitApp('window-all-closed');
  assert.equal(linux.stub.quitCalls, 1);
});

test('window bounds and maximised state are remembered in NETSMITH_HOME', async () => {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-electron-'));
  mkdirSync(home, { recursive: true });
  writeFileSync(join(home, 'window-state.json'), JSON.stringify({ bounds: { x: 50, y: 60, width: 1000, height: 700 }, maximized: true }));
  const { stub } = await boot({ home });
  const [window] = stub.windows;
  assert.deepEqual([window.options.x, window.options.y, window.options.width, window.options.height], [50, 60, 1000, 700]);
  assert.equal(window.maximized, true);
  window.maximized = false;
  window.emit('close');
  assert.deepEqual(JSON.parse(readFileSync(join(home, 'window-state.json'), 'utf8')), { bounds: { x: 50, y: 60, width: 1000, height: 700 }, maximized: false });
});

test('bounds on a display that is gone are ignored', async () => {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-electron-'));
  writeFileSync(join(home, 'window-state.json'), JSON.stringify({ bounds: { x: 5000, y: 60, width: 1000, height: 700 }, maximized: false }));
  const { stub } = await boot({ home });
  assert.equal(stub.windows[0].options.x, undefined);
  assert.equal(stub.windows[0].options.width, 1400);
});

test('pickProjectPath answers a path relative to the projects folder, refuses outside, null when cancelled', async () => {
  const { stub, service } = await boot();
  stub.openDialogResult = { canceled: false, filePaths: [join(service.projects.root, 'a', 'b.netsmith.json')] };
  assert.deepEqual(await stub.invoke(PICK_PATH_CHANNEL, { mode: 'open' }), { result: 'a/b.netsmith.json' });
  stub.openDialogResult = { canceled: false, filePaths: ['/elsewhere/x.netsmith.json'] };
  assert.equal(((await stub.invoke(PICK_PATH_CHANNEL, { mode: 'open' })) as { error: { code: string } }).error.code, 'outside-projects');
  assert.deepEqual(await stub.invoke(PICK_PATH_CHANNEL, { mode: 'save', suggestedName: 'n.netsmith.json' }), { result: null });
  assert.equal(((await stub.invoke(PICK_PATH_CHANNEL, { mode: 'delete' })) as { error: { code: string } }).error.code, 'bad-args');
});

test('the dev server URL is loaded and gets a dev CSP', async () => {
  const { stub } = await boot({ renderer: { url: 'http://localhost:5173/' } });
  assert.equal(stub.windows[0].loaded, 'http://localhost:5173/');
  let headers: Record<string, string[]> = {};
  stub.headerListener?.({ url: 'http://localhost:5173/' }, (r: { responseHeaders: Record<string, string[]> }) => (headers = r.responseHeaders));
  assert.match(headers['Content-Security-Policy'][0], /connect-src 'self' http:\/\/localhost:5173 ws:\/\/localhost:5173/);
});

test('the exporter gets a native folder picker once the window exists; cancelling answers null', async () => {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-electron-'));
  const service = new LabService({ kind: 'electron', home, version: '0.0.1' });
  const stub = new StubElectron();
  let pick: ((title: string) => Promise<string | null>) | undefined;
  const handle = createApp(stub.module(), {
    service,
    home,
    projectsDir: service.projects.root,
    preloadPath: '/app/out/preload/index.cjs',
    renderer: { file: '/app/out/renderer/index.html' },
    platform: 'linux',
    devTools: false,
    setExportFolderPicker: (p) => (pick = p),
  });
  stub.ready();
  await handle.ready;
  assert.ok(pick, 'a picker was lent');
  stub.openDialogResult = { canceled: false, filePaths: ['/home/me/exports'] };
  assert.equal(await pick('Export run x (onnx) to a folder'), '/home/me/exports');
  stub.openDialogResult = { canceled: true, filePaths: [] };
  assert.equal(await pick('Export run x (onnx) to a folder'), null);
});

test('the renderer reports unavailable actions and the menu greys them out; bad reports are refused', async () => {
  const { stub } = await boot();
  const item = (label: string) => flatten(stub.menuTemplate).find((i) => i.label === label);
  assert.equal(item('Pause training')?.enabled, undefined, 'all enabled until the renderer reports');
  assert.deepEqual(await stub.invoke(MENU_STATE_CHANNEL, ['run.pause', 'run.resume', 'not.an.action']), { result: null });
  assert.equal(item('Pause training')?.enabled, false);
  assert.equal(item('Resume training')?.enabled, false);
  assert.equal(item('Train…')?.enabled, undefined);
  const bad = (await stub.invoke(MENU_STATE_CHANNEL, 'run.pause')) as { error?: { message: string; code: string } };
  assert.match(bad.error?.message ?? '', /list of action ids/);
  assert.equal(bad.error?.code, 'bad-args');
  assert.equal(item('Pause training')?.enabled, false, 'a bad report changes nothing');
});
