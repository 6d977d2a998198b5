import { dirname } from 'node:path';
import { LabError, type LabApi, type LabEvent, type MenuEvent } from '../../shared/api';
import { isActionId, type ActionId } from '../../shared/actionCatalogue';
import { LAB_EVENT_CHANNEL, MENU_STATE_CHANNEL, PICK_DATASET_FOLDER_CHANNEL, PICK_PATH_CHANNEL, PICK_WEIGHTS_FILE_CHANNEL } from '../../shared/protocol';
import { pickDatasetFolder, pickExportFolder, pickProjectPath, pickWeightsFile } from './dialogs';
import { registerLabIpc, registerNativeIpc } from './ipc';
import { buildMenuTemplate, type MenuCommand } from './menu';
import { rendererCsp } from '../util/csp';
import { APP_SCHEME, APP_SCHEME_PRIVILEGES, appEntryUrl, appProtocolHandler, isAppProtocolUrl } from './appProtocol';
import { isTrustedFrame, lockDownContents, secureSession } from './security';
import type { ElectronLike, IpcEventLike, WindowLike } from './types';
import { DEFAULT_SIZE, loadWindowState, saveWindowState } from './windowState';

/** What the Electron host needs from LabService beyond LabApi. */
export interface ElectronHostService extends LabApi {
  emit(event: LabEvent): void;
  onRecentChange(listener: (recent: string[]) => void): () => void;
  dispose(): Promise<void>;
}

export interface AppDeps {
  service: ElectronHostService;
  /** NETSMITH_HOME: where the window state is remembered. */
  home: string;
  projectsDir: string;
  preloadPath: string;
  /** The electron-vite dev server, or the built index.html (served as netsmith://app/ from its folder). */
  renderer: { url: string } | { file: string };
  platform: NodeJS.Platform;
  devTools: boolean;
  /** Lends the exporter a native folder picker (exportRun asks where to write). */
  setExportFolderPicker?(pick: (title: string) => Promise<string | null>): void;
}

export interface AppHandle {
  /** Resolves once the first window is created and loading. */
  ready: Promise<void>;
  mainWindow(): WindowLike | null;
}

/** Wires LabService into Electron: one secure window, native menus and dialogs, IPC over LAB_METHODS. */
export function createApp(electron: ElectronLike, deps: AppDeps): AppHandle {
  const { app, BrowserWindow, ipcMain, Menu, dialog, shell, protocol } = electron;
  const windows = new Set<WindowLike>();
  const trustedSenders = new Set<number>();
  const devOrigin = 'url' in deps.renderer ? new URL(deps.renderer.url).origin : null;
  const isAppUrl = (url: string): boolean => (devOrigin ? safeOrigin(url) === devOrigin : isAppProtocolUrl(url));
  // Our window's web contents, and within it the main frame showing the app.
  const isTrusted = (event: IpcEventLike): boolean => trustedSenders.has(event.sender.id) && isTrustedFrame(event.senderFrame, isAppUrl);
  // Must happen before the app is ready.
  if (!devOrigin) protocol.registerSchemesAsPrivileged([APP_SCHEME_PRIVILEGES]);

  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { ready: Promise.resolve(), mainWindow: () => null };
  }

  registerLabIpc(ipcMain, deps.service, isTrusted);
  registerNativeIpc(ipcMain, PICK_PATH_CHANNEL, isTrusted, async (arg) => {
    const window = mainWindow();
    return window ? pickProjectPath(dialog, window, deps.projectsDir, arg) : null;
  });
  // The folder the user picks becomes an allowed dataset root (LabService.addDatasetRoot).
  registerNativeIpc(ipcMain, PICK_DATASET_FOLDER_CHANNEL, isTrusted, async () => {
    const window = mainWindow();
    const path = window ? await pickDatasetFolder(dialog, window) : null;
    if (path) await deps.service.addDatasetRoot({ path });
    return path;
  });
  registerNativeIpc(ipcMain, PICK_WEIGHTS_FILE_CHANNEL, isTrusted, async () => {
    const window = mainWindow();
    return window ? pickWeightsFile(dialog, window) : null;
  });
  deps.setExportFolderPicker?.(async (title) => {
    const window = mainWindow();
    return window ? pickExportFolder(dialog, window, title) : null;
  });
  deps.service.subscribe((event) => {
    for (const window of windows) if (!window.webContents.isDestroyed()) window.webContents.send(LAB_EVENT_CHANNEL, event);
  });

  const sendMenu = (command: MenuCommand, arg?: string): void => {
    const event: MenuEvent & { arg?: string } = { type: 'menu', command, ...(arg === undefined ? {} : { arg }) };
    deps.service.emit(event);
  };
  // The renderer reports which menu actions are unavailable (nothing is greyed out until it does).
  let disabled = new Set<ActionId>();
  const rebuildMenu = async (): Promise<void> => {
    const recent = await deps.service.recentProjects().catch(() => []);
    const template = buildMenuTemplate({ platform: deps.platform, recent, devTools: deps.devTools, disabled, send: sendMenu });
    Menu.setApplicationMenu(Menu.buildFromTemplate(template));
  };
  deps.service.onRecentChange(() => void rebuildMenu());
  registerNativeIpc(ipcMain, MENU_STATE_CHANNEL, isTrusted, async (arg) => {
    if (!Array.isArray(arg) || !arg.every((a): a is string => typeof a === 'string')) throw new LabError('menu state: expected a list of action ids', 'bad-args');
    const next = new Set(arg.filter(isActionId));
    if (next.size === disabled.size && [...next].every((id) => disabled.has(id))) return;
    disabled = next;
    await rebuildMenu();
  });

  function mainWindow(): WindowLike | null {
    for (const window of windows) if (!window.isDestroyed()) return window;
    return null;
  }

  let sessionSecured = false;
  async function createWindow(): Promise<WindowLike> {
    const displays = electron.screen ? electron.screen.getAllDisplays().map((d) => d.workArea) : null;
    const state = await loadWindowState(deps.home, displays);
    const window = new BrowserWindow({
      ...DEFAULT_SIZE,
      ...state.bounds,
      minWidth: 900,
      minHeight: 600,
      show: false,
      title: 'Netsmith',
      backgroundColor: '#1e1e1e',
      webPreferences: {
        preload: deps.preloadPath,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        allowRunningInsecureContent: false,
        webviewTag: false,
        spellcheck: false,
      },
    });
    windows.add(window);
    const contentsId = window.webContents.id;
    trustedSenders.add(contentsId);
    if (!sessionSecured) {
      secureSession(window.webContents.session, devOrigin, isAppUrl);
      sessionSecured = true;
    }
    if (state.maximized) window.maximize();
    window.once('ready-to-show', () => window.show());
    window.on('close', () => {
      try {
        saveWindowState(deps.home, { bounds: window.getNormalBounds(), maximized: window.isMaximized() });
      } catch (err) {
        console.error('Netsmith: could not remember the window state', err);
      }
    });
    window.on('closed', () => {
      windows.delete(window);
      trustedSenders.delete(contentsId);
    });
    const load = window.loadURL('url' in deps.renderer ? deps.renderer.url : appEntryUrl(deps.renderer.file));
    load.catch((err: unknown) => console.error('Netsmith: the UI failed to load', err));
    return window;
  }

  app.on('web-contents-created', (_event, contents) => lockDownContents(contents, shell, isAppUrl));
  app.on('second-instance', () => {
    const window = mainWindow();
    if (!window) return;
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => {
    if (deps.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (!mainWindow()) void createWindow();
  });
  app.on('will-quit', () => void deps.service.dispose());

  const ready = app.whenReady().then(async () => {
    if ('file' in deps.renderer) protocol.handle(APP_SCHEME, appProtocolHandler(dirname(deps.renderer.file), rendererCsp()));
    await rebuildMenu();
    await createWindow();
  });
  ready.catch((err: unknown) => {
    console.error('Netsmith: failed to start', err);
    app.quit();
  });
  return { ready, mainWindow };
}

function safeOrigin(url: string): string | null {
  try {
    return new URL(url).origin;
  } catch {
    return null;
  }
}
