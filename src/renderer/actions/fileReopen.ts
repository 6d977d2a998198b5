import { autosavePath, baseName } from '../core/project';
import { register } from './types';
import { openProjectText } from './shared';

/** Reopens, at start, the document that was open when the page or app was last left (it had no unsaved changes). */
export default register('file.reopen', {
  async perform(_s, p, ctx) {
    const path = autosavePath(p.text);
    openProjectText(ctx, { text: p.text, name: path ? baseName(path) : 'the last document', path, clean: true });
  },
});
