import type { RunSummary } from '../../shared/api';
import { GRAPH_SCHEMA_VERSION, type GraphDoc } from '../../shared/graph/types';
import { emptyHistory, type History } from './history';

export interface Selection {
  nodes: readonly string[];
  edges: readonly string[];
}
export const EMPTY_SELECTION: Selection = { nodes: [], edges: [] };

export type Theme = 'dark' | 'light';

/** The main area: the graph editor, the Train panel with live dashboards, or the list of runs. */
export type Workspace = 'editor' | 'training' | 'runs' | 'experiments';

export interface Prefs {
  theme: Theme;
  minimap: boolean;
  snap: boolean;
  /** Batch size used for the activation-memory estimate in the status bar. */
  batchSize: number;
  problemsOpen: boolean;
}

export const DEFAULT_PREFS: Prefs = { theme: 'dark', minimap: true, snap: true, batchSize: 32, problemsOpen: true };

export interface RestoreReport {
  title: string;
  notes: string[];
  errors: { path: string; message: string }[];
  issues: number;
}

export type Dialog =
  | { kind: 'templates' }
  | { kind: 'open' }
  | { kind: 'saveAs' }
  | { kind: 'palette' }
  | { kind: 'shortcuts' }
  | { kind: 'report'; report: RestoreReport }
  | { kind: 'recover'; savedAt: string; text: string }
  | { kind: 'confirm'; id: number; title: string; message: string; confirmLabel: string; danger?: boolean; alternative?: string }
  | { kind: 'prompt'; id: number; title: string; message: string; value: string; confirmLabel: string }
  | { kind: 'export'; runId?: string }
  | { kind: 'picture' }
  | { kind: 'loadWeights' };

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  message: string;
}

/** The run the status bar and the run actions follow. */
export type RunInfo = Pick<RunSummary, 'id' | 'state' | 'epoch' | 'epochs' | 'step'>;

export interface EditorState {
  doc: GraphDoc;
  selection: Selection;
  history: History;
  /** Host path of the project file (relative to the host's projects folder); null when never saved. */
  path: string | null;
  /** The document as last saved or opened: dirty ⇔ `doc !== savedDoc`. */
  savedDoc: GraphDoc | null;
  prefs: Prefs;
  dialog: Dialog | null;
  toasts: Toast[];
  run: RunInfo | null;
  workspace: Workspace;
}

export function emptyGraph(name = 'Untitled'): GraphDoc {
  return {
    schemaVersion: GRAPH_SCHEMA_VERSION,
    meta: { name, task: 'classification', input: { shape: [28, 28, 1] } },
    nodes: [{ id: 'input_1', type: 'io/input', v: 1, label: 'input', params: {}, position: { x: 0, y: 0 } }],
    edges: [],
    groups: [],
  };
}

export function initialState(prefs: Partial<Prefs> = {}, doc: GraphDoc = emptyGraph()): EditorState {
  return {
    doc,
    selection: EMPTY_SELECTION,
    history: emptyHistory(),
    path: null,
    savedDoc: doc,
    prefs: { ...DEFAULT_PREFS, ...prefs },
    dialog: null,
    toasts: [],
    run: null,
    workspace: 'editor',
  };
}

export const isDirty = (s: Pick<EditorState, 'doc' | 'savedDoc'>): boolean => s.doc !== s.savedDoc;

/** After a successful write: remember the path and the document that was written (edits made meanwhile stay dirty). */
export function markSaved(s: EditorState, doc: GraphDoc, path: string | null): EditorState {
  return { ...s, savedDoc: doc, path: path ?? s.path };
}

/** Shows what a load repaired, or why it failed. */
export const showReport = (s: EditorState, report: RestoreReport): EditorState => ({ ...s, dialog: { kind: 'report', report } });

/** Replaces the document as a fresh load: new history, clean (or dirty for recovered/unsaved work). */
/** Replaces the document (open, new, template, recovery): a fresh history, and any dialog closes. */
export function loadDoc(s: EditorState, doc: GraphDoc, path: string | null, clean: boolean): EditorState {
  return { ...s, doc, path, savedDoc: clean ? doc : null, selection: EMPTY_SELECTION, history: emptyHistory(), dialog: null };
}

export const closeDialog = (s: EditorState): EditorState => (s.dialog === null ? s : { ...s, dialog: null });

/** News of a run from the host (telemetry, a control reply) updates the run shown in the status bar. */
export function updateRun(s: EditorState, run: Partial<RunInfo> & { id: string }): EditorState {
  const base: RunInfo = s.run && s.run.id === run.id ? s.run : { id: run.id, state: 'queued', epoch: 0, epochs: 0, step: 0 };
  return { ...s, run: { ...base, ...run } };
}

export function setSelection(s: EditorState, sel: Partial<Selection>): EditorState {
  const next = { nodes: sel.nodes ?? s.selection.nodes, edges: sel.edges ?? s.selection.edges };
  if (sameList(next.nodes, s.selection.nodes) && sameList(next.edges, s.selection.edges)) return s;
  return { ...s, selection: next };
}

export function sameList(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  const set = new Set(a);
  return b.every((x) => set.has(x));
}

/** Drops selected ids that no longer exist in the document. */
export function pruneSelection(s: EditorState): EditorState {
  const nodes = new Set(s.doc.nodes.map((n) => n.id));
  const edges = new Set(s.doc.edges.map((e) => e.id));
  const sel = { nodes: s.selection.nodes.filter((id) => nodes.has(id)), edges: s.selection.edges.filter((id) => edges.has(id)) };
  return sel.nodes.length === s.selection.nodes.length && sel.edges.length === s.selection.edges.length ? s : { ...s, selection: sel };
}
