import { register } from './types';
import { confirmDiscard } from './shared';

/** Opens a `.netsmith.json` from this computer (browser upload). */
export default register('file.upload', {
  async perform(_s, _p, ctx) {
    if (!(await confirmDiscard(ctx))) return;
    const file = await ctx.files.pick('.json,application/json');
    if (!file) return;
    await ctx.dispatch('file.openText', { text: file.text, name: file.name, path: null, clean: true, skipConfirm: true });
  },
});
