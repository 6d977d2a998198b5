import { ACTION_CATALOGUE, type ActionCategory, type ActionId, type ActionSpec } from '../../shared/actionCatalogue';
import type { LabApi } from '../../shared/api';
import type { Position } from '../../shared/graph/types';
import type { EditorState } from '../core/state';
import type { LibraryItem } from '../core/library';
import type { TrainRecommendation } from '../core/trainDraft';
import type { PayloadArgs, PayloadOf } from './payloads';

export type { ActionPayloads, PayloadArgs, PayloadOf } from './payloads';

export type Category = ActionCategory;

/** What the canvas lends the actions (filled in when it mounts; no-ops before that and in tests). */
export interface ViewBridge {
  /** Fits the graph; `readable` shows the top of a deep graph at a legible zoom instead of all of it. */
  fitView(opts?: { readable?: boolean }): void;
  /** Centres the viewport on these nodes (document ids). */
  focus(nodeIds: readonly string[]): void;
  /** The flow-space point at the centre of the visible canvas. */
  center(): Position;
  /** Measured node sizes (for layout). */
  sizes(): ReadonlyMap<string, { width: number; height: number }>;
}

export interface ClipboardBridge {
  write(text: string): Promise<void>;
  read(): Promise<string | null>;
}

export interface FilesBridge {
  download(name: string, text: string): void;
  /** Opens a file picker; resolves with the chosen file's text (empty for an .onnx) and the file, or null when cancelled. */
  pick(accept: string): Promise<{ name: string; text: string; blob?: Blob } | null>;
}

export interface LibraryBridge {
  list(): LibraryItem[];
  save(items: LibraryItem[]): void;
}

export interface ActionContext {
  /** Runs another action (through the manager, so it is recorded like any other). */
  dispatch<K extends ActionId>(name: K, ...payload: PayloadArgs<K>): Promise<void>;
  get(): EditorState;
  /** A plain state change (no action, no undo step): closing a dialog, loading a document, run news. */
  update(fn: (state: EditorState) => EditorState): void;
  /** A document edit made after an await (paste, a named group, an insert): recorded as one undo step, like a sync action's result. */
  edit(fn: (state: EditorState) => EditorState): void;
  lab: LabApi | null;
  view: ViewBridge;
  clipboard: ClipboardBridge;
  files: FilesBridge;
  library: LibraryBridge;
  /** The Train panel's draft: a loaded template hands it its recommended settings. */
  trainDraft: { recommend(rec: TrainRecommendation): void };
  toast(message: string, kind?: 'info' | 'success' | 'error'): void;
  /** An info toast that stays until `done`, its text replaced by `update` (an upload's percentage). */
  progress(message: string): ProgressToast;
  /** true: confirmed, false: cancelled, 'alternative': the third button (`alternative`, e.g. "Save") was chosen. */
  confirm(title: string, message: string, opts?: { confirmLabel?: string; danger?: boolean; alternative?: string }): Promise<boolean | 'alternative'>;
  prompt(title: string, message: string, value: string, confirmLabel?: string): Promise<string | null>;
  now(): number;
  isMac: boolean;
}

export interface ProgressToast {
  update(message: string): void;
  done(): void;
}

/** What an action does; its label and shortcuts come from the action catalogue (src/shared/actionCatalogue.ts). */
export interface ActionBehaviour<P = unknown> {
  predicate?(state: EditorState, payload?: P): boolean;
  checked?(state: EditorState): boolean;
  undoable?: boolean;
  /** Consecutive runs with the same key merge into one undo step (param typing, nudging). */
  coalesce?(payload: P): string | undefined;
  perform(state: EditorState, payload: P, ctx: ActionContext): EditorState | void | Promise<void>;
}

/**
 * One command: its catalogue entry and its behaviour. `perform` returns the next state (sync edits) or does side
 * effects (async: open, save), changing state through `ctx.dispatch` (another action) or `ctx.update` (a plain
 * state change). Document changes are recorded for undo by the manager, in one place, unless `undoable` is false.
 */
export interface Action<P = unknown> extends ActionSpec, ActionBehaviour<P> {
  name: ActionId;
}

/**
 * Declares an action (one per file in this folder): the behaviour of a catalogue entry, with the catalogue's label
 * and shortcuts and the payload type ActionPayloads gives its id. The manager registers the list (index.ts).
 */
export function register<K extends ActionId>(id: K, behaviour: ActionBehaviour<PayloadOf<K>>): Action<PayloadOf<K>> {
  return { name: id, ...ACTION_CATALOGUE[id], ...behaviour };
}
