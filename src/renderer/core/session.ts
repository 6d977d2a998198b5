import type { GraphDoc } from '../../shared/graph/types';
import { serializeAutosave } from './project';

/**
 * The document open in this tab (or window), kept in sessionStorage: it lives as long as the tab, so a reload
 * reopens the same project (saved or with its unsaved changes), while a new window starts as before.
 */
const KEY = 'netsmith.openDocument';

export interface TabSession {
  /** The project text with its path (the autosave format). */
  text: string;
  /** No unsaved changes: it reopens clean; otherwise it reopens as unsaved work. */
  clean: boolean;
}

interface Storage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

const defaultStorage = (): Storage | undefined => {
  try {
    return (globalThis as { sessionStorage?: Storage }).sessionStorage;
  } catch {
    return undefined; // storage disabled
  }
};

export function writeTabSession(doc: GraphDoc, path: string | null, clean: boolean, storage: Storage | undefined = defaultStorage()): void {
  try {
    storage?.setItem(KEY, JSON.stringify({ text: serializeAutosave(doc, path), clean } satisfies TabSession));
  } catch {
    // Over the storage quota: a reload then starts blank (unsaved work is still in the host's autosave).
  }
}

export function readTabSession(storage: Storage | undefined = defaultStorage()): TabSession | null {
  try {
    const raw = storage?.getItem(KEY);
    if (!raw) return null;
    const v = JSON.parse(raw) as Partial<TabSession>;
    return typeof v.text === 'string' && typeof v.clean === 'boolean' ? { text: v.text, clean: v.clean } : null;
  } catch {
    return null;
  }
}
