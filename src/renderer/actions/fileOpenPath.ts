import { baseName } from '../core/project';
import { register } from './types';
import { confirmDiscard, openProjectText } from './shared';
import { isOnnxName, openOnnxModel } from './openModel';

export default register('file.openPath', {
  predicate: (_s) => true,
  async perform(_s, p, ctx) {
    if (!ctx.lab) throw new Error('Not connected to a host');
    if (!(await confirmDiscard(ctx))) return;
    if (isOnnxName(p.path)) return openOnnxModel(ctx, { path: p.path });
    const { path, text } = await ctx.lab.readProject({ path: p.path });
    openProjectText(ctx, { text, name: baseName(path), path });
  },
});
