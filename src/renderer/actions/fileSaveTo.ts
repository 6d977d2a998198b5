import { normalizeProjectPath, serializeProject } from '../core/project';
import { closeDialog } from '../core/state';
import { register } from './types';

/** Writes the document to a host path (atomic on the host), then marks it saved and clears the autosave. */
export default register<{ path: string }>('file.saveTo', {
  async perform(s, p, ctx) {
    if (!ctx.lab) throw new Error('Not connected to a host: use Download instead');
    const path = normalizeProjectPath(p.path);
    if (!path) throw new Error('Choose a file name');
    const doc = s.doc;
    const entry = await ctx.lab.writeProject({ path, text: serializeProject(doc) });
    await ctx.dispatch('doc.markSaved', { doc, path: entry.path });
    ctx.update(closeDialog);
    await ctx.lab.clearAutosave().catch(() => undefined);
    if (entry.warning) ctx.toast(`${entry.path}: ${entry.warning}`, 'info');
    else ctx.toast(`Saved ${entry.path}`, 'success');
  },
});
