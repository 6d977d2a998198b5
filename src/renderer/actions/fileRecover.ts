import { autosavePath, baseName } from '../core/project';
import { register } from './types';
import { openProjectText } from './shared';

/** Restores autosaved work found at start (it stays dirty: it was never saved). */
export default register('file.recover', {
  async perform(_s, p, ctx) {
    const path = autosavePath(p.text);
    openProjectText(ctx, { text: p.text, name: path ? baseName(path) : 'recovered work', path, clean: false });
  },
});
