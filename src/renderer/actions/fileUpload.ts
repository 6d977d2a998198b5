import { register } from './types';
import { confirmDiscard, openProjectText } from './shared';

/** Opens a `.netsmith.json` from this computer (browser upload). */
export default register('file.upload', {
  async perform(_s, _p, ctx) {
    if (!(await confirmDiscard(ctx))) return;
    const file = await ctx.files.pick('.json,application/json');
    if (!file) return;
    openProjectText(ctx, { text: file.text, name: file.name, path: null });
  },
});
