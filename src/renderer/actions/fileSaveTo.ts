import { normalizeProjectPath, serializeProject } from '../core/project';
import { closeDialog, markSaved } from '../core/state';
import { register } from './types';

/** Writes the document to a host path (atomic on the host), then marks it saved and clears the autosave. */
export default register('file.saveTo', {
  async perform(s, p, ctx) {
    if (!ctx.lab) throw new Error('Not connected to a host: use Download instead');
    const path = normalizeProjectPath(p.path);
    if (!path) throw new Error('Choose a file name');
    const doc = s.doc;
    const entry = await ctx.lab.writeProject({ path, text: serializeProject(doc) });
    ctx.update((st) => closeDialog(markSaved(st, doc, entry.path)));
    await ctx.lab.clearAutosave().catch(() => undefined);
    if (entry.warning) ctx.toast(`${entry.path}: ${entry.warning}`, 'info');
    else ctx.toast(`Saved ${entry.path}`, 'success');
  },
});
