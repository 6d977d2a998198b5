import type { CustomSchemeLike, ElectronLike, FrameLike, IpcEventLike, MenuItemSpec, WebContentsLike, WindowLike, WindowOptions } from '../../../src/main/electron/types';

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
  permissionCheckHandler: Listener | null = null;
  privilegedSchemes: CustomSchemeLike[] = [];
  /** Set when the app registers a privileged scheme after 'ready' (Electron refuses that). */
  schemesRegisteredLate = false;
  readonly protocolHandlers = new Map<string, (request: Request) => Response | Promise<Response>>();
  readonly opened: string[] = [];
  windowOpenHandler: ((details: { url: string }) => { action: 'deny' | 'allow' }) | null = null;
  private isReady = false;
  openDialogResult = { canceled: false, filePaths: [] as string[] };
  /** The options of the last showOpenDialog call. */
  openDialogOptions: unknown;
  saveDialogResult: { canceled: boolean; filePath?: string } = { canceled: true };
  quitCalls = 0;
  private readyResolve!: () => void;
  private readonly readyPromise = new Promise<void>((resolve) => (this.readyResolve = resolve));
  private nextId = 1;

  /** Fires app 'ready'. */
  ready(): void {
    this.isReady = true;
    this.readyResolve();
  }

  /** Fetches a URL of a custom scheme through the handler the app registered, as Chromium would. */
  async fetchScheme(url: string, method = 'GET'): Promise<Response> {
    const handler = this.protocolHandlers.get(new URL(url).protocol.slice(0, -1));
    if (!handler) throw new Error(`no protocol handler for ${url}`);
    return handler(new Request(url, { method }));
  }

  emitApp(event: string, ...args: unknown[]): void {
    for (const listener of this.appListeners.get(event) ?? []) listener(...args);
  }

  /**
   * Invokes an IPC handler as the given window's renderer would; the sending frame is the window's main frame
   * showing what it loaded, unless `frame` says otherwise.
   */
  invoke(channel: string, arg: unknown, sender: { id: number } = this.windows[0].webContents, frame?: FrameLike | null): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    const window = this.windows.find((w) => w.webContents.id === sender.id);
    const senderFrame = frame === undefined ? { url: window?.loaded ?? 'about:blank', parent: null } : frame;
    return Promise.resolve(handler({ sender, senderFrame }, arg));
  }

  module(): ElectronLike {
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const stub = this;
    const session = {
      webRequest: { onHeadersReceived: (l: Listener) => void (stub.headerListener = l) },
      setPermissionRequestHandler: (h: Listener | null) => void (stub.permissionHandler = h),
      setPermissionCheckHandler: (h: Listener | null) => void (stub.permissionCheckHandler = h),
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
        showOpenDialog: async (_window: unknown, options: unknown) => {
          stub.openDialogOptions = options;
          return stub.openDialogResult;
        },
        showSaveDialog: async () => stub.saveDialogResult,
      },
      Menu: {
        buildFromTemplate: (template: MenuItemSpec[]) => {
          stub.menuTemplate = template;
          return { template };
        },
        setApplicationMenu: () => undefined,
      },
      shell: { openExternal: async (url: string) => void stub.opened.push(url) },
      protocol: {
        registerSchemesAsPrivileged: (schemes: CustomSchemeLike[]) => {
          if (stub.isReady) stub.schemesRegisteredLate = true;
          stub.privilegedSchemes.push(...schemes);
        },
        handle: (scheme: string, handler: (request: Request) => Response | Promise<Response>) => {
          if (!stub.isReady) throw new Error('protocol.handle before ready');
          stub.protocolHandlers.set(scheme, handler);
        },
      },
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
      setWindowOpenHandler: (h: (details: { url: string }) => { action: 'deny' | 'allow' }) => void (stub.windowOpenHandler = h),
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
