import type { GraphDoc } from '../../shared/graph/types';
import type { Selection } from './state';

/** One undo step: the document (and selection) as it was before an edit. */
export interface HistoryEntry {
  doc: GraphDoc;
  selection: Selection;
  /** Consecutive edits with the same key (typing in one param field) merge into one step. */
  key?: string;
  at: number;
}

export interface History {
  past: HistoryEntry[];
  future: HistoryEntry[];
}

export const HISTORY_LIMIT = 200;
/** Edits with the same coalesce key closer than this merge into one undo step. */
export const COALESCE_MS = 1500;

export const emptyHistory = (): History => ({ past: [], future: [] });

/** Records the state before an edit. Clears the redo stack. */
export function record(h: History, before: Omit<HistoryEntry, 'at' | 'key'>, now: number, key?: string): History {
  const last = h.past[h.past.length - 1];
  if (key && last && last.key === key && now - last.at < COALESCE_MS) {
    // Keep the older "before" state, refresh the timer so continuous typing stays one step.
    return { past: [...h.past.slice(0, -1), { ...last, at: now }], future: [] };
  }
  const past = [...h.past, { ...before, key, at: now }];
  if (past.length > HISTORY_LIMIT) past.splice(0, past.length - HISTORY_LIMIT);
  return { past, future: [] };
}

export interface Snapshot {
  doc: GraphDoc;
  selection: Selection;
}

export function undo(h: History, current: Snapshot): { history: History; snapshot: Snapshot } | null {
  const entry = h.past[h.past.length - 1];
  if (!entry) return null;
  return {
    history: { past: h.past.slice(0, -1), future: [...h.future, { doc: current.doc, selection: current.selection, at: 0 }] },
    snapshot: { doc: entry.doc, selection: entry.selection },
  };
}

export function redo(h: History, current: Snapshot): { history: History; snapshot: Snapshot } | null {
  const entry = h.future[h.future.length - 1];
  if (!entry) return null;
  return {
    history: { past: [...h.past, { doc: current.doc, selection: current.selection, at: 0 }], future: h.future.slice(0, -1) },
    snapshot: { doc: entry.doc, selection: entry.selection },
  };
}

/** Breaks coalescing, so the next edit with the same key starts a new step (e.g. on blur). */
export function seal(h: History): History {
  const last = h.past[h.past.length - 1];
  if (!last?.key) return h;
  return { ...h, past: [...h.past.slice(0, -1), { ...last, key: undefined }] };
}
