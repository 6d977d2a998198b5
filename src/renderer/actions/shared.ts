import { blockByType } from '../../shared/blocks';
import type { GraphDoc } from '../../shared/graph/types';
import { isDirty, type EditorState } from '../core/state';
import type { ActionContext } from './types';

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
