import { autosavePath, baseName } from '../core/project';
import { register } from './types';

/** Restores autosaved work found at start (it stays dirty: it was never saved). */
export default register('file.recover', {
  async perform(_s, p, ctx) {
    const path = autosavePath(p.text);
    await ctx.dispatch('file.openText', { text: p.text, name: path ? baseName(path) : 'recovered work', path, clean: false, skipConfirm: true });
  },
});
