import type { LabApi } from '../../shared/api';
import { ACTIONS } from '../actions';
import { ActionManager } from '../actions/manager';
import type { ViewBridge } from '../actions/types';
import { LIBRARY_KEY, parseLibrary, type LibraryItem } from '../core/library';
import { DEFAULT_PREFS, initialState, type EditorState, type Prefs } from '../core/state';
import { Store } from '../core/store';
import { downloadBlob } from '../export/download';
import { persistedTrainDraft } from '../train/draft';
import type { TrainDraftStore } from '../core/trainDraft';

export const PREFS_KEY = 'netsmith.prefs.v1';
export const isMac = typeof navigator !== 'undefined' && /Mac|iPhone|iPad/.test(navigator.platform || navigator.userAgent);

export interface Editor {
  store: Store<EditorState>;
  manager: ActionManager;
  library: Store<LibraryItem[]>;
  /** The Train panel's settings for the next run (kept across workspace switches and sessions). */
  trainDraft: TrainDraftStore;
  lab: LabApi | null;
  /** The canvas installs its implementation here when it mounts. */
  setView(view: Partial<ViewBridge>): void;
  /** Answers the open confirm / prompt dialog. */
  resolveDialog(id: number, value: unknown): void;
}

function loadPrefs(): Partial<Prefs> {
  try {
    const raw = JSON.parse(localStorage.getItem(PREFS_KEY) ?? '{}') as Partial<Prefs>;
    const out: Partial<Prefs> = {};
    if (raw.theme === 'dark' || raw.theme === 'light') out.theme = raw.theme;
    else if (window.matchMedia?.('(prefers-color-scheme: light)').matches) out.theme = 'light';
    for (const k of ['minimap', 'snap', 'problemsOpen'] as const) if (typeof raw[k] === 'boolean') out[k] = raw[k];
    if (typeof raw.batchSize === 'number' && raw.batchSize >= 1) out.batchSize = raw.batchSize;
    return out;
  } catch {
    return {};
  }
}

export function createEditor(lab: LabApi | null): Editor {
  const store = new Store(initialState(loadPrefs()));
  const library = new Store<LibraryItem[]>(parseLibrary(localStorage.getItem(LIBRARY_KEY)));
  const trainDraft = persistedTrainDraft();
  let lastCopy: string | null = null;
  let seq = 0;
  const resolvers = new Map<number, (v: unknown) => void>();
  let view: ViewBridge = { fitView() {}, focus() {}, center: () => ({ x: 0, y: 0 }), sizes: () => new Map() };
  const viewProxy: ViewBridge = {
    fitView: (opts) => view.fitView(opts),
    focus: (ids) => view.focus(ids),
    center: () => view.center(),
    sizes: () => view.sizes(),
  };

  const openModal = <T>(make: (id: number) => EditorState['dialog']): Promise<T> =>
    new Promise<T>((resolve) => {
      const id = ++seq;
      resolvers.set(id, resolve as (v: unknown) => void);
      store.update((s) => ({ ...s, dialog: make(id) }));
    });

  const manager = new ActionManager(store, {
    lab,
    view: viewProxy,
    isMac,
    now: () => Date.now(),
    clipboard: {
      async write(text) {
        lastCopy = text;
        try {
          await navigator.clipboard?.writeText(text);
        } catch {
          /* the in-app copy still works */
        }
      },
      async read() {
        try {
          const t = await navigator.clipboard?.readText();
          if (t) return t;
        } catch {
          /* permission refused: fall back to the last copy */
        }
        return lastCopy;
      },
    },
    files: {
      download(name, text) {
        downloadBlob(name, new Blob([text], { type: name.endsWith('.md') ? 'text/markdown' : 'application/json' }));
      },
      pick(accept) {
        return new Promise((resolve) => {
          const input = document.createElement('input');
          input.type = 'file';
          input.accept = accept;
          input.setAttribute('data-testid', 'file-picker');
          input.style.display = 'none';
          input.onchange = async () => {
            const f = input.files?.[0];
            input.remove();
            resolve(f ? { name: f.name, text: /\.onnx$/i.test(f.name) ? '' : await f.text(), blob: f } : null);
          };
          input.oncancel = () => {
            input.remove();
            resolve(null);
          };
          document.body.appendChild(input);
          input.click();
        });
      },
    },
    library: {
      list: () => library.get(),
      save(items) {
        library.set(items);
        try {
          localStorage.setItem(LIBRARY_KEY, JSON.stringify(items));
        } catch {
          /* quota: kept for this session */
        }
      },
    },
    trainDraft,
    toast(message, kind = 'info') {
      const id = ++seq;
      store.update((s) => ({ ...s, toasts: [...s.toasts.slice(-3), { id, kind, message }] }));
      setTimeout(() => store.update((s) => ({ ...s, toasts: s.toasts.filter((t) => t.id !== id) })), kind === 'error' ? 6000 : 3500);
    },
    progress(message) {
      const id = ++seq;
      store.update((s) => ({ ...s, toasts: [...s.toasts.slice(-3), { id, kind: 'info', message }] }));
      return {
        update: (text) => store.update((s) => ({ ...s, toasts: s.toasts.map((t) => (t.id === id ? { ...t, message: text } : t)) })),
        done: () => store.update((s) => ({ ...s, toasts: s.toasts.filter((t) => t.id !== id) })),
      };
    },
    confirm: (title, message, opts = {}) =>
      openModal<boolean | 'alternative'>((id) => ({ kind: 'confirm', id, title, message, confirmLabel: opts.confirmLabel ?? 'OK', danger: opts.danger, alternative: opts.alternative })),
    prompt: (title, message, value, confirmLabel = 'OK') => openModal<string | null>((id) => ({ kind: 'prompt', id, title, message, value, confirmLabel })),
  });
  manager.register(ACTIONS);

  // Preferences persist across sessions.
  let prefs = store.get().prefs;
  store.subscribe(() => {
    const p = store.get().prefs;
    if (p === prefs) return;
    prefs = p;
    try {
      localStorage.setItem(PREFS_KEY, JSON.stringify(p));
    } catch {
      /* ignore */
    }
  });

  return {
    store,
    manager,
    library,
    trainDraft,
    lab,
    setView(v) {
      view = { ...view, ...v };
    },
    resolveDialog(id, value) {
      const r = resolvers.get(id);
      resolvers.delete(id);
      store.update((s) => (s.dialog && 'id' in s.dialog && s.dialog.id === id ? { ...s, dialog: null } : s));
      r?.(value);
    },
  };
}

export { DEFAULT_PREFS };
