import { setSelection, type Workspace } from '../core/state';
import { register, type ActionContext } from './types';

/** Switches the main area; `focus` selects those blocks and centres the editor on them once it is shown. */
export const workspace = register<{ workspace: Workspace; focus?: string[] }>({
  name: 'view.workspace',
  label: 'Switch workspace',
  category: 'View',
  palette: false,
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

const show = (ws: Workspace, label: string, key: string) =>
  register({
    name: `view.${ws}`,
    label,
    category: 'View',
    keys: [key],
    checked: (s) => s.workspace === ws,
    perform(s, _p, ctx) {
      if (s.workspace === ws) return s;
      if (ws === 'editor') readableFit(ctx);
      return { ...s, workspace: ws };
    },
  });

export const editor = show('editor', 'Show the editor', 'Mod+Shift+1');
export const training = show('training', 'Show training (Train panel and dashboards)', 'Mod+Shift+2');
export const runs = show('runs', 'Show runs (compare past runs)', 'Mod+Shift+3');
export const experiments = show('experiments', 'Show experiments (guided studies from the notes)', 'Mod+Shift+4');
