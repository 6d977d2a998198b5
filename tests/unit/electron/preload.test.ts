import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { LAB_METHODS, LabError, type LabEvent } from '../../../src/shared/api';
import { buildLabBridge, type IpcRendererLike } from '../../../src/preload/bridge';
import { LAB_EVENT_CHANNEL } from '../../../src/shared/protocol';
import { LabService } from '../../../src/main/service/labService';
import { createApp } from '../../../src/main/electron/app';
import { createIpcLab } from '../host/rendererTransport';
import { StubElectron } from './stubElectron';

/** An ipcRenderer wired to the stub's ipcMain handlers and to the window's webContents.send. */
function connect(stub: StubElectron): IpcRendererLike & { deliver(channel: string, payload: unknown): void } {
  const listeners = new Map<string, Set<(e: unknown, ...a: unknown[]) => void>>();
  return {
    invoke: (channel, arg) => stub.invoke(channel, arg),
    on: (channel, l) => listeners.set(channel, (listeners.get(channel) ?? new Set()).add(l)),
    removeListener: (channel, l) => listeners.get(channel)?.delete(l),
    deliver: (channel, payload) => listeners.get(channel)?.forEach((l) => l({}, payload)),
  };
}

async function setup() {
  const home = mkdtempSync(join(tmpdir(), 'netsmith-preload-'));
  const service = new LabService({ kind: 'electron', home, version: '0.0.1' });
  const stub = new StubElectron();
  const app = createApp(stub.module(), {
    service,
    home,
    projectsDir: service.projects.root,
    preloadPath: 'p',
    renderer: { file: '/r/index.html' },
    platform: 'linux',
    devTools: false,
  });
  stub.ready();
  await app.ready;
  const ipc = connect(stub);
  return { stub, service, ipc, bridge: buildLabBridge(ipc) };
}

test('the bridge has exactly LAB_METHODS + subscribe + the native extras', async () => {
  const { bridge } = await setup();
  assert.deepEqual(Object.keys(bridge).sort(), [...LAB_METHODS, 'subscribe', 'pickProjectPath', 'pickDatasetFolder', 'pickWeightsFile', 'reportMenuState'].sort());
});

test("pathOfFile (with Electron's webUtils) answers a file's path on disk, null when it has none", async () => {
  const { ipc } = await setup();
  const bridge = buildLabBridge(ipc, { getPathForFile: (f) => (f.name === 'a.onnx' ? '/home/u/a.onnx' : '') });
  assert.equal(bridge.pathOfFile?.(new File([new Uint8Array(1)], 'a.onnx')), '/home/u/a.onnx');
  assert.equal(bridge.pathOfFile?.(new File([], 'made-in-page.onnx')), null);
  const lab = createIpcLab(bridge);
  assert.equal(lab.pathOfFile?.(new File([new Uint8Array(1)], 'a.onnx')), '/home/u/a.onnx');
  assert.equal(createIpcLab(buildLabBridge(ipc)).pathOfFile, undefined);
});

test('calls go through IPC to LabService; errors reject with a plain {message, code}', async () => {
  const { bridge } = await setup();
  assert.equal((await bridge.writeProject({ path: 'z', text: '{}' })).path, 'z.netsmith.json');
  assert.equal((await bridge.hostInfo()).kind, 'electron');
  await assert.rejects(bridge.listRuns(), (reason: unknown) => {
    assert.ok(!(reason instanceof Error), 'Error objects lose their code across contextBridge');
    assert.equal((reason as { code: string }).code, 'no-engine');
    return true;
  });
});

test('the renderer client turns bridge rejections back into LabError', async () => {
  const { bridge } = await setup();
  const lab = createIpcLab(bridge);
  assert.equal(lab.transport, 'ipc');
  assert.equal(typeof lab.pickProjectPath, 'function');
  await assert.rejects(lab.readProject({ path: 'missing' }), (err: unknown) => err instanceof LabError && err.code === 'not-found');
  await assert.rejects(lab.readProject({ path: 5 as unknown as string }), (err: unknown) => err instanceof LabError && err.code === 'bad-args');
});

test('events pushed by main reach subscribers until they unsubscribe', async () => {
  const { stub, ipc, bridge, service } = await setup();
  const seen: LabEvent[] = [];
  const off = bridge.subscribe((e) => seen.push(e));
  service.emit({ type: 'menu', command: 'file.save' });
  for (const [channel, payload] of stub.windows[0].webContents.sent) ipc.deliver(channel, payload);
  off();
  ipc.deliver(LAB_EVENT_CHANNEL, { type: 'menu', command: 'file.open' });
  assert.deepEqual(seen, [{ type: 'menu', command: 'file.save' }]);
});

test('the renderer greys out menu items through the bridge', async () => {
  const { bridge, stub } = await setup();
  const item = (label: string) => stub.menuTemplate.flatMap((m) => m.submenu ?? []).find((i) => i.label === label);
  await bridge.reportMenuState?.(['edit.undo', 'run.stop']);
  assert.equal(item('Undo')?.enabled, false);
  assert.equal(item('Stop training')?.enabled, false);
  assert.equal(item('Redo')?.enabled, undefined);
  await bridge.reportMenuState?.([]);
  assert.equal(item('Undo')?.enabled, undefined);
});

test('Load weights in the app: the native open dialog for a .pth/.pt/.safetensors, through the bridge and the renderer client', async () => {
  const { stub, bridge } = await setup();
  const lab = createIpcLab(bridge);
  assert.ok(lab.pickWeightsFile, 'the renderer client offers the native picker');
  const pick = lab.pickWeightsFile.bind(lab);
  stub.openDialogResult = { canceled: false, filePaths: ['/data/resnet18-f37072fd.pth'] };
  assert.equal(await pick(), '/data/resnet18-f37072fd.pth');
  const options = stub.openDialogOptions as { properties: string[]; filters: { extensions: string[] }[] };
  assert.deepEqual(options.properties, ['openFile']);
  assert.deepEqual(options.filters[0].extensions, ['pth', 'pt', 'safetensors']);
  stub.openDialogResult = { canceled: true, filePaths: [] };
  assert.equal(await pick(), null);
  // The picked path goes to importWeights like a typed one: a missing file is a clear error.
  await assert.rejects(lab.importWeights({ template: 'resnet18', source: { kind: 'path', path: '/data/nope.pth' } }), (e: Error) => e instanceof LabError && /no file .*nope\.pth/.test(e.message));
});
