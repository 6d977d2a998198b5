import { baseName } from '../core/project';
import { register } from './types';
import { confirmDiscard, openProjectText } from './shared';

export default register('file.openPath', {
  predicate: (_s) => true,
  async perform(_s, p, ctx) {
    if (!ctx.lab) throw new Error('Not connected to a host');
    if (!(await confirmDiscard(ctx))) return;
    const { path, text } = await ctx.lab.readProject({ path: p.path });
    openProjectText(ctx, { text, name: baseName(path), path });
  },
});
