/**
 * The slice of the `electron` module this app uses, as structural types: the real module satisfies
 * them (checked in main.ts) and unit tests pass a small stub.
 */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

export interface FrameLike {
  url: string;
  /** null for a window's main frame. */
  parent: unknown;
}

export interface IpcEventLike {
  sender: { id: number };
  /** The frame that sent the message; null once it navigated away or was destroyed. */
  senderFrame: FrameLike | null;
}

export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown): void;
}

export interface SessionLike {
  webRequest: {
    onHeadersReceived(listener: (details: { url: string; responseHeaders?: Record<string, string[]> }, callback: (response: { responseHeaders?: Record<string, string[]> }) => void) => void): void;
  };
  setPermissionRequestHandler(handler: ((webContents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl?: string }) => void) | null): void;
  setPermissionCheckHandler(handler: ((webContents: unknown, permission: string, requestingOrigin: string) => boolean) | null): void;
}

export interface CustomSchemeLike {
  scheme: string;
  privileges: { standard?: boolean; secure?: boolean; supportFetchAPI?: boolean; corsEnabled?: boolean; stream?: boolean };
}

export interface WebContentsLike {
  id: number;
  session: SessionLike;
  send(channel: string, ...args: unknown[]): void;
  isDestroyed(): boolean;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' } | { action: 'allow' }): void;
  on(event: 'will-navigate' | 'will-redirect', listener: (event: { preventDefault(): void }, url: string) => void): unknown;
  on(event: 'will-attach-webview', listener: (event: { preventDefault(): void }) => void): unknown;
}

export interface WindowLike {
  webContents: WebContentsLike;
  loadURL(url: string): Promise<void>;
  loadFile(path: string): Promise<void>;
  show(): void;
  focus(): void;
  maximize(): void;
  restore(): void;
  isMaximized(): boolean;
  isMinimized(): boolean;
  isDestroyed(): boolean;
  getNormalBounds(): Rect;
  on(event: 'close' | 'closed' | 'resize' | 'move' | 'maximize' | 'unmaximize', listener: () => void): unknown;
  once(event: 'ready-to-show', listener: () => void): unknown;
}

export interface WebPreferences {
  preload: string;
  contextIsolation: boolean;
  sandbox: boolean;
  nodeIntegration: boolean;
  webSecurity: boolean;
  allowRunningInsecureContent: boolean;
  webviewTag: boolean;
  spellcheck: boolean;
}

export interface WindowOptions extends Partial<Rect> {
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: boolean;
  title: string;
  backgroundColor: string;
  webPreferences: WebPreferences;
}

export type MenuRole =
  | 'appMenu'
  | 'windowMenu'
  | 'quit'
  | 'reload'
  | 'toggleDevTools'
  | 'resetZoom'
  | 'zoomIn'
  | 'zoomOut'
  | 'togglefullscreen';

export interface MenuItemSpec {
  label?: string;
  role?: MenuRole;
  type?: 'separator' | 'submenu' | 'normal';
  accelerator?: string;
  /** false: show the shortcut but let the keystroke reach the renderer, which owns all shortcuts. */
  registerAccelerator?: boolean;
  enabled?: boolean;
  click?: () => void;
  submenu?: MenuItemSpec[];
}

export interface OpenDialogOptions {
  title?: string;
  defaultPath?: string;
  buttonLabel?: string;
  properties?: Array<'openFile' | 'openDirectory' | 'createDirectory'>;
  filters?: Array<{ name: string; extensions: string[] }>;
}
export interface SaveDialogOptions {
  title?: string;
  defaultPath?: string;
  filters?: Array<{ name: string; extensions: string[] }>;
}

export interface ElectronLike {
  app: {
    whenReady(): Promise<unknown>;
    on(event: 'window-all-closed' | 'activate' | 'will-quit' | 'second-instance', listener: () => void): unknown;
    on(event: 'web-contents-created', listener: (event: unknown, contents: WebContentsLike) => void): unknown;
    quit(): void;
    requestSingleInstanceLock(): boolean;
  };
  BrowserWindow: {
    new (options: WindowOptions): WindowLike;
    getAllWindows(): WindowLike[];
  };
  ipcMain: IpcMainLike;
  /** `window` is the parent (a BrowserWindow); typed loosely because Electron declares it as BaseWindow. */
  dialog: {
    showOpenDialog(window: unknown, options: OpenDialogOptions): Promise<{ canceled: boolean; filePaths: string[] }>;
    showSaveDialog(window: unknown, options: SaveDialogOptions): Promise<{ canceled: boolean; filePath?: string }>;
  };
  Menu: {
    buildFromTemplate(template: MenuItemSpec[]): unknown;
    setApplicationMenu(menu: unknown): void;
  };
  shell: {
    openExternal(url: string): Promise<void>;
  };
  /** The default session's protocols: the renderer is served as netsmith://app/ (see appProtocol.ts). */
  protocol: {
    registerSchemesAsPrivileged(schemes: CustomSchemeLike[]): void;
    handle(scheme: string, handler: (request: Request) => Response | Promise<Response>): void;
  };
  screen?: {
    getAllDisplays(): Array<{ workArea: Rect }>;
  };
}
