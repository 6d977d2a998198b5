import type { ElectronLike, IpcEventLike, MenuItemSpec, WebContentsLike, WindowLike, WindowOptions } from '../../../src/main/electron/types';

// eslint-disable-next-line @typescript-eslint/no-explicit-any -- listeners of many shapes
type Listener = (...args: any[]) => unknown;

/** A small in-memory stand-in for the `electron` module: records what the app registers and sends. */
export class StubElectron {
  readonly handlers = new Map<string, (event: IpcEventLike, ...args: unknown[]) => unknown>();
  readonly appListeners = new Map<string, Listener[]>();
  readonly windows: StubWindow[] = [];
  readonly contentsListeners = new Map<string, Listener[]>();
  menuTemplate: MenuItemSpec[] = [];
  headerListener: Listener | null = null;
  permissionHandler: Listener | null = null;
  openDialogResult = { canceled: false, filePaths: [] as string[] };
  saveDialogResult: { canceled: boolean; filePath?: string } = { canceled: true };
  quitCalls = 0;
  private readyResolve!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.readyResolve = resolve));
  private nextId = 1;

  /** Fires app 'ready'. */
  ready(): void {
    this.readyResolve();
  }

  emitApp(event: string, ...args: unknown[]): void {
    for (const listener of this.appListeners.get(event) ?? []) listener(...args);
  }

  /** Invokes an IPC handler as the given window's renderer would. */
  invoke(channel: string, arg: unknown, sender: { id: number } = this.windows[0].webContents): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(handler({ sender }, arg));
  }

  module(): ElectronLike {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const stub = this;
    const session = {
      webRequest: { onHeadersReceived: (l: Listener) => void (stub.headerListener = l) },
      setPermissionRequestHandler: (h: Listener | null) => void (stub.permissionHandler = h),
    };
    class BrowserWindow extends StubWindow {
      constructor(options: WindowOptions) {
        super(options, stub.nextId++, session, stub);
        stub.windows.push(this);
      }
      static getAllWindows(): WindowLike[] {
        return stub.windows.filter((w) => !w.destroyed);
      }
    }
    return {
      app: {
        whenReady: () => stub.readyPromise,
        on: (event: string, listener: Listener) => {
          stub.appListeners.set(event, [...(stub.appListeners.get(event) ?? []), listener]);
          return undefined;
        },
        quit: () => void stub.quitCalls++,
        requestSingleInstanceLock: () => true,
      },
      BrowserWindow,
      ipcMain: {
        handle: (channel: string, listener: (event: IpcEventLike, ...args: unknown[]) => unknown) => {
          if (stub.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
          stub.handlers.set(channel, listener);
        },
      },
      dialog: {
        showOpenDialog: async () => stub.openDialogResult,
        showSaveDialog: async () => stub.saveDialogResult,
      },
      Menu: {
        buildFromTemplate: (template: MenuItemSpec[]) => {
          stub.menuTemplate = template;
          return { template };
        },
        setApplicationMenu: () => undefined,
      },
      shell: { openExternal: async () => undefined },
      screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
    } as ElectronLike;
  }
}

export class StubWindow implements WindowLike {
  readonly webContents: WebContentsLike & { sent: Array<[string, unknown]> };
  readonly listeners = new Map<string, Listener[]>();
  loaded: string | null = null;
  maximized = false;
  destroyed = false;
  shown = false;

  constructor(
    readonly options: WindowOptions,
    id: number,
    session: WebContentsLike['session'],
    stub: StubElectron,
  ) {
    const sent: Array<[string, unknown]> = [];
    this.webContents = {
      id,
      session,
      sent,
      send: (channel: string, payload: unknown) => void sent.push([channel, payload]),
      isDestroyed: () => this.destroyed,
      setWindowOpenHandler: () => undefined,
      on: (event: string, listener: Listener) => {
        stub.contentsListeners.set(event, [...(stub.contentsListeners.get(event) ?? []), listener]);
        return undefined;
      },
    } as WebContentsLike & { sent: Array<[string, unknown]> };
  }

  emit(event: string): void {
    for (const listener of this.listeners.get(event) ?? []) listener();
  }
  async loadURL(url: string): Promise<void> {
    this.loaded = url;
  }
  async loadFile(path: string): Promise<void> {
    this.loaded = path;
  }
  show(): void {
    this.shown = true;
  }
  focus(): void {}
  maximize(): void {
    this.maximized = true;
  }
  restore(): void {}
  isMaximized(): boolean {
    return this.maximized;
  }
  isMinimized(): boolean {
    return false;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  getNormalBounds() {
    return { x: this.options.x ?? 10, y: this.options.y ?? 20, width: this.options.width, height: this.options.height };
  }
  on(event: string, listener: () => void): unknown {
    this.listeners.set(event, [...(this.listeners.get(event) ?? []), listener]);
    return this;
  }
  once(event: string, listener: () => void): unknown {
    return this.on(event, listener);
  }
}
