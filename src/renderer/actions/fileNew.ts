import { emptyGraph } from '../core/state';
import { register } from './types';
import { confirmDiscard } from './shared';

export default register({
  name: 'file.new',
  label: 'New project',
  category: 'File',
  keys: ['Mod+Alt+N'],
  async perform(_s, _p, ctx) {
    if (!(await confirmDiscard(ctx))) return;
    await ctx.dispatch('doc.load', { graph: emptyGraph(), path: null, clean: true });
    ctx.view.fitView({ readable: true });
  },
});
