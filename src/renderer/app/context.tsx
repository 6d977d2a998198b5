import { createContext, useCallback, useContext, useSyncExternalStore } from 'react';
import type { ActionId } from '../../shared/actionCatalogue';
import type { PayloadArgs } from '../actions/payloads';
import type { EditorState } from '../core/state';
import type { LibraryItem } from '../core/library';
import type { Editor } from './editor';

export const EditorContext = createContext<Editor | null>(null);

export function useEditor(): Editor {
  const e = useContext(EditorContext);
  if (!e) throw new Error('useEditor outside EditorContext');
  return e;
}

/** Subscribes to a slice of the editor state; the selector must return a stable value (a stored reference or a primitive). */
export function useEditorState<T>(selector: (s: EditorState) => T): T {
  const { store } = useEditor();
  return useSyncExternalStore(store.subscribe, () => selector(store.get()));
}

export function useLibrary(): LibraryItem[] {
  const { library } = useEditor();
  return useSyncExternalStore(library.subscribe, library.get);
}

/** `run('edit.undo')`, `run('graph.focus', { nodes })`: executes an action through the manager. */
export type RunAction = <K extends ActionId>(name: K, ...payload: PayloadArgs<K>) => void;

export function useRun(): RunAction {
  const { manager } = useEditor();
  return useCallback<RunAction>((name, ...[payload]) => void manager.execute(name, payload, 'ui'), [manager]);
}
