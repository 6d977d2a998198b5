import { setSelection, type Workspace } from '../core/state';
import { register, type ActionContext } from './types';

/** Switches the main area; `focus` selects those blocks and centres the editor on them once it is shown. */
export const workspace = register('view.workspace', {
  undoable: false,
  perform(s, p, ctx) {
    let next = s.workspace === p.workspace ? s : { ...s, workspace: p.workspace };
    const remount = p.workspace === 'editor' && s.workspace !== 'editor';
    if (remount && !p.focus?.length) readableFit(ctx);
    if (p.focus?.length) {
      const known = new Set(s.doc.nodes.map((n) => n.id));
      const nodes = p.focus.filter((id) => known.has(id));
      if (nodes.length) {
        next = setSelection(next, { nodes, edges: [] });
        // The canvas mounts when the editor is shown: centre after it has measured the nodes.
        setTimeout(() => ctx.view.focus(nodes), s.workspace === 'editor' ? 0 : 250);
      }
    }
    return next;
  },
});

/** The canvas mounts anew when the editor is shown again: show the top of a deep graph legibly, as on open. */
function readableFit(ctx: ActionContext): void {
  setTimeout(() => ctx.view.fitView({ readable: true }), 120);
}

const show = (ws: Workspace) =>
  register(`view.${ws}`, {
    checked: (s) => s.workspace === ws,
    perform(s, _p, ctx) {
      if (s.workspace === ws) return s;
      if (ws === 'editor') readableFit(ctx);
      return { ...s, workspace: ws };
    },
  });

export const editor = show('editor');
export const training = show('training');
export const runs = show('runs');
export const experiments = show('experiments');
