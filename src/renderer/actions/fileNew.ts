import { emptyGraph } from '../core/state';
import { register } from './types';
import { confirmDiscard } from './shared';

export default register('file.new', {
  async perform(_s, _p, ctx) {
    if (!(await confirmDiscard(ctx))) return;
    await ctx.dispatch('doc.load', { graph: emptyGraph(), path: null, clean: true });
    ctx.view.fitView({ readable: true });
  },
});
