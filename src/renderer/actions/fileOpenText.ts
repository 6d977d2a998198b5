import { parseProject } from '../core/project';
import { loadDoc, showReport } from '../core/state';
import { register } from './types';
import { confirmDiscard } from './shared';

/**
 * Loads project text (host file, upload, recovered autosave) through `restore()`. Repairs and errors are shown
 * in the report dialog; a file that cannot be restored leaves the current document untouched.
 */
export default register('file.openText', {
  async perform(_s, p, ctx) {
    if (!p.skipConfirm && !(await confirmDiscard(ctx))) return;
    const r = parseProject(p.text);
    if (!r.ok) {
      ctx.update((s) => showReport(s, { title: `Cannot open ${p.name}`, notes: [], errors: r.errors, issues: 0 }));
      return;
    }
    ctx.update((s) => loadDoc(s, r.graph, p.path, p.clean ?? true));
    ctx.view.fitView({ readable: true });
    if (r.notes.length > 0) ctx.update((s) => showReport(s, { title: `Opened ${p.name} with repairs`, notes: r.notes, errors: [], issues: r.issues.length }));
    else ctx.toast(`Opened ${p.name}`, 'success');
  },
});
