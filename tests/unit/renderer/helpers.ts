import { ACTIONS } from '../../../src/renderer/actions';
import { ActionManager } from '../../../src/renderer/actions/manager';
import type { ActionContext } from '../../../src/renderer/actions/types';
import type { LibraryItem } from '../../../src/renderer/core/library';
import { initialState, type EditorState } from '../../../src/renderer/core/state';
import { Store } from '../../../src/renderer/core/store';
import { TrainDraftStore } from '../../../src/renderer/core/trainDraft';
import { GraphBuilder } from '../../../src/shared/graph/builder';
import type { GraphDoc } from '../../../src/shared/graph/types';

/** A small CNN: input → conv → bn → relu → gap → dense. */
export function smallNet(): GraphDoc {
  const b = new GraphBuilder({ name: 'small', input: [32, 32, 3] });
  let x = b.input();
  x = b.add('core/conv2d', { filters: 16 }, x);
  x = b.add('norm/batchnorm', {}, x);
  x = b.add('act/relu', {}, x);
  x = b.add('pool/global_avgpool', {}, x);
  b.add('core/dense', { units: 10 }, x);
  return b.build();
}

export interface Harness {
  store: Store<EditorState>;
  manager: ActionManager;
  toasts: string[];
  clipboard: { text: string | null };
  library: LibraryItem[];
  answers: { confirm: boolean; prompt: string | null };
  clock: { now: number };
  /** The Train panel's draft (in memory). */
  trainDraft: TrainDraftStore;
}

export function harness(doc?: GraphDoc, over: Partial<ActionContext> = {}): Harness {
  const store = new Store<EditorState>(initialState({}, doc));
  const h: Harness = { store, manager: undefined as unknown as ActionManager, toasts: [], clipboard: { text: null }, library: [], answers: { confirm: true, prompt: 'Block' }, clock: { now: 1_000_000 }, trainDraft: new TrainDraftStore() };
  h.manager = new ActionManager(store, {
    lab: null,
    isMac: false,
    now: () => h.clock.now,
    view: { fitView() {}, focus() {}, center: () => ({ x: 0, y: 0 }), sizes: () => new Map() },
    clipboard: {
      write: async (t) => void (h.clipboard.text = t),
      read: async () => h.clipboard.text,
    },
    files: { download() {}, pick: async () => null },
    library: { list: () => h.library, save: (items) => void (h.library = items) },
    trainDraft: h.trainDraft,
    toast: (m) => void h.toasts.push(m),
    progress: (m) => {
      h.toasts.push(m);
      return { update: (text) => void h.toasts.push(text), done: () => undefined };
    },
    confirm: async () => h.answers.confirm,
    prompt: async () => h.answers.prompt,
    ...over,
  });
  h.manager.onError = () => undefined;
  h.manager.register(ACTIONS);
  return h;
}

export const key = (k: string, mods: { ctrl?: boolean; shift?: boolean; alt?: boolean; meta?: boolean } = {}) => ({
  key: k,
  code: /^[a-z]$/i.test(k) ? `Key${k.toUpperCase()}` : /^\d$/.test(k) ? `Digit${k}` : k,
  ctrlKey: !!mods.ctrl,
  shiftKey: !!mods.shift,
  altKey: !!mods.alt,
  metaKey: !!mods.meta,
});
