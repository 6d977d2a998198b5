import { blockByType } from '../../shared/blocks';
import { LAYOUT } from '../../shared/graph/layout';
import type { GraphDoc, Position } from '../../shared/graph/types';
import { insertFragment, type Fragment } from '../core/fragment';
import { parseProject } from '../core/project';
import { isDirty, loadDoc, showReport, type EditorState } from '../core/state';
import type { ActionContext, ViewBridge } from './types';

/**
 * Asks before throwing away unsaved changes: Save (then go on), Discard, or Cancel. A project never saved
 * opens "Save as…" instead, and the pending action waits for the user to repeat it once saved.
 */
export async function confirmDiscard(ctx: ActionContext): Promise<boolean> {
  const s = ctx.get();
  if (!isDirty(s)) return true;
  const saved = !!ctx.lab && !!s.path;
  const answer = await ctx.confirm('Save changes?', `'${s.doc.meta.name}' has changes that are not saved. Discarding them loses them.`, { confirmLabel: 'Discard changes', danger: true, alternative: saved ? 'Save' : 'Save as…' });
  if (answer !== 'alternative') return answer;
  await ctx.dispatch(saved ? 'file.save' : 'file.saveAs');
  return saved && !isDirty(ctx.get());
}

export const hasSelection = (s: EditorState): boolean => s.selection.nodes.length > 0 || s.selection.edges.length > 0;
export const hasNodeSelection = (s: EditorState): boolean => s.selection.nodes.length > 0;

/** The single selected node's first output port (where "insert after" attaches). */
export function selectedOutput(s: EditorState): { node: string; port: string } | undefined {
  if (s.selection.nodes.length !== 1) return undefined;
  const n = s.doc.nodes.find((x) => x.id === s.selection.nodes[0]);
  const port = n && blockByType(n.type)?.outputs[0];
  return n && port ? { node: n.id, port } : undefined;
}

export const nodeById = (doc: GraphDoc, id: string) => doc.nodes.find((n) => n.id === id);

/** Inserts a composite or a library block: after the selected block (fed by it) or at a position. */
export function insertFragmentAt(s: EditorState, fragment: Fragment, position: Position | undefined, view: ViewBridge): EditorState {
  const from = position ? undefined : selectedOutput(s);
  let at = position;
  if (!at) {
    const after = from && nodeById(s.doc, from.node);
    if (after) at = { x: after.position.x, y: after.position.y + LAYOUT.rowGap };
    else {
      const c = view.center();
      at = { x: c.x - 100, y: c.y - 60 };
    }
  }
  const r = insertFragment(s.doc, fragment, { at, from });
  if (!position) queueMicrotask(() => view.focus(r.ids));
  return { ...s, doc: r.doc, selection: { nodes: r.ids, edges: [] } };
}

/** Project text to open: its name for messages, its host path (null: not saved there), and whether it counts as saved. */
export interface ProjectText {
  text: string;
  name: string;
  path: string | null;
  /** Default true; recovered work stays dirty. */
  clean?: boolean;
  /** The caller says it was opened itself (no "Opened …" toast). */
  quiet?: boolean;
}

/**
 * Loads project text (host file, upload, recovered autosave) through `restore()`. Repairs and errors are shown
 * in the report dialog; a file that cannot be restored leaves the current document untouched. The caller has
 * already asked about unsaved work (confirmDiscard).
 */
export function openProjectText(ctx: ActionContext, p: ProjectText): boolean {
  const r = parseProject(p.text);
  if (!r.ok) {
    ctx.update((s) => showReport(s, { title: `Cannot open ${p.name}`, notes: [], errors: r.errors, issues: 0 }));
    return false;
  }
  ctx.update((s) => loadDoc(s, r.graph, p.path, p.clean ?? true));
  ctx.view.fitView({ readable: true });
  if (r.notes.length > 0) ctx.update((s) => showReport(s, { title: `Opened ${p.name} with repairs`, notes: r.notes, errors: [], issues: r.issues.length }));
  else if (!p.quiet) ctx.toast(`Opened ${p.name}`, 'success');
  return true;
}
